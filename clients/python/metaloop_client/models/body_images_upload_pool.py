from enum import StrEnum


class BodyImagesUploadPool(StrEnum):
    ADAPT = "adapt"
    HOLDOUT = "holdout"

    def __str__(self) -> str:
        return str(self.value)
