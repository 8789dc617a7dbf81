from enum import StrEnum


class ImagesListStateType0(StrEnum):
    COMPLETE = "complete"
    IN_PROGRESS = "in_progress"
    UNLABELLED = "unlabelled"

    def __str__(self) -> str:
        return str(self.value)
