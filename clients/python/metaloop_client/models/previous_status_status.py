from enum import StrEnum


class PreviousStatusStatus(StrEnum):
    PENDING = "pending"
    REJECTED = "rejected"

    def __str__(self) -> str:
        return str(self.value)
