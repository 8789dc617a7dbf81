from enum import StrEnum


class JobCreateKind(StrEnum):
    ADAPT = "adapt"
    DETECT = "detect"
    EVALUATE = "evaluate"
    ITERATE = "iterate"

    def __str__(self) -> str:
        return str(self.value)
