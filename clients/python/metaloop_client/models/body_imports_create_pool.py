from enum import StrEnum


class BodyImportsCreatePool(StrEnum):
    ADAPT = "adapt"
    HOLDOUT = "holdout"

    def __str__(self) -> str:
        return str(self.value)
