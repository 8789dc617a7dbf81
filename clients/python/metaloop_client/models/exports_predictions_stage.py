from enum import StrEnum


class ExportsPredictionsStage(StrEnum):
    DETECT = "detect"
    EVALUATE = "evaluate"

    def __str__(self) -> str:
        return str(self.value)
