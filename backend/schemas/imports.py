"""Import reports and the 422 answer of a refused import."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

DatasetFormat = Literal["coco", "voc", "yolo"]
ExportPool = Literal["adapt", "holdout", "all"]


class ImportReport(BaseModel):
    """What an import stored."""

    format: DatasetFormat
    images_added: int = Field(description="new images stored")
    images_matched: int = Field(
        description="images already in the project that the import named (their boxes were "
        "replaced by the imported ones)"
    )
    annotations: int = Field(description="boxes stored")
    classes_added: list[str] = Field(description="classes added to the project")
    boxes_clipped: int = Field(description="boxes outside their image by under 1 px, clipped")
    pools: dict[str, int] = Field(description="images per pool")
    skipped_files: list[str] = Field(
        description="image files in the archive that no annotation file named (not imported)"
    )


class ImportProblem(BaseModel):
    item: str = Field(description="the file, with its line or annotation id when there is one")
    reason: str


class ImportRefusal(BaseModel):
    """A refused import: nothing was stored."""

    detail: str = Field(description="a sentence: how many problems, and the first")
    problems: list[ImportProblem] = Field(description="every problem (the first 1000)")
    problem_count: int


class ImportOutcome(BaseModel):
    """An import job and what it came to: the report once it succeeded, the problems once it
    was refused (both null while it runs, or when it was cancelled or cut off)."""

    job_id: int
    state: str = Field(description="queued, running, succeeded, failed or cancelled")
    progress: float = Field(description="0 to 1")
    stage: str
    error: str | None
    report: ImportReport | None
    refusal: ImportRefusal | None
