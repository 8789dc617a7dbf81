from enum import StrEnum


class PredictionsReviewImagesSort(StrEnum):
    CONFIDENCE = "confidence"
    IMAGE = "image"
    UNCERTAINTY = "uncertainty"

    def __str__(self) -> str:
        return str(self.value)
