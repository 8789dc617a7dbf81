from enum import StrEnum


class PreviousStateState(StrEnum):
    COMPLETE = "complete"
    IN_PROGRESS = "in_progress"
    UNLABELLED = "unlabelled"

    def __str__(self) -> str:
        return str(self.value)
