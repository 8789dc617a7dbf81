from enum import StrEnum


class TrainLayers(StrEnum):
    ALL = "all"
    CLASSIFIER = "classifier"
    HEAD = "head"

    def __str__(self) -> str:
        return str(self.value)
