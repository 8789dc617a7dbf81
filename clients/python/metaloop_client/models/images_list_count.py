from enum import StrEnum


class ImagesListCount(StrEnum):
    BOUNDED = "bounded"
    EXACT = "exact"

    def __str__(self) -> str:
        return str(self.value)
