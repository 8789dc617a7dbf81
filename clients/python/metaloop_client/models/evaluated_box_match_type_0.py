from enum import StrEnum


class EvaluatedBoxMatchType0(StrEnum):
    FP = "fp"
    TP = "tp"

    def __str__(self) -> str:
        return str(self.value)
