from enum import StrEnum


class ExportsAnnotationsPool(StrEnum):
    ADAPT = "adapt"
    ALL = "all"
    HOLDOUT = "holdout"

    def __str__(self) -> str:
        return str(self.value)
