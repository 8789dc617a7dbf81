from enum import StrEnum


class ProjectCreateTaskType(StrEnum):
    DETECTION = "detection"
    SEGMENTATION = "segmentation"

    def __str__(self) -> str:
        return str(self.value)
