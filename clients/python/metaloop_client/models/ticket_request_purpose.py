from enum import StrEnum


class TicketRequestPurpose(StrEnum):
    EVENTS = "events"
    FILES = "files"

    def __str__(self) -> str:
        return str(self.value)
