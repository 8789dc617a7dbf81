from enum import StrEnum


class MemberOutRole(StrEnum):
    ANNOTATOR = "annotator"
    OWNER = "owner"
    VIEWER = "viewer"

    def __str__(self) -> str:
        return str(self.value)
