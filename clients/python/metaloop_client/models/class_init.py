from enum import StrEnum


class ClassInit(StrEnum):
    MODEL = "model"
    PROTOTYPE = "prototype"

    def __str__(self) -> str:
        return str(self.value)
