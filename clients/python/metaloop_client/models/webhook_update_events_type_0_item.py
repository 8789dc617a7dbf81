from enum import StrEnum


class WebhookUpdateEventsType0Item(StrEnum):
    IMPORT_FINISHED = "import.finished"
    JOB_FAILED = "job.failed"
    JOB_SUCCEEDED = "job.succeeded"
    MODEL_CREATED = "model.created"

    def __str__(self) -> str:
        return str(self.value)
