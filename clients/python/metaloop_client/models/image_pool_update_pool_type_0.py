from enum import StrEnum


class ImagePoolUpdatePoolType0(StrEnum):
    ADAPT = "adapt"
    HOLDOUT = "holdout"

    def __str__(self) -> str:
        return str(self.value)
