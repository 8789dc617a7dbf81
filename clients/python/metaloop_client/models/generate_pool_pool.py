from enum import StrEnum


class GeneratePoolPool(StrEnum):
    ADAPT = "adapt"
    HOLDOUT = "holdout"

    def __str__(self) -> str:
        return str(self.value)
