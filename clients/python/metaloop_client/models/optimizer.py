from enum import StrEnum


class Optimizer(StrEnum):
    ADAM = "adam"
    METASGD = "metasgd"
    SGD = "sgd"

    def __str__(self) -> str:
        return str(self.value)
