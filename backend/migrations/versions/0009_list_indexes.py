"""indexes for the list endpoints' keyset pages: one per sort and filter the API offers

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNCERTAINTY = [sa.text("uncertainty DESC"), sa.text("score DESC"), "id"]
CONFIDENCE = [sa.text("score DESC"), "id"]
INDEXES: list[tuple[str, str, list]] = [
    ("ix_images_project_id_id", "images", ["project_id", "id"]),
    ("ix_images_project_id_pool_id", "images", ["project_id", "pool", "id"]),
    ("ix_images_project_id_state_id", "images", ["project_id", "state", "id"]),
    ("ix_images_project_id_pool_state_id", "images", ["project_id", "pool", "state", "id"]),
    ("ix_annotations_image_id_id", "annotations", ["image_id", "id"]),
    ("ix_annotations_updated_at_id", "annotations", ["updated_at", "id"]),
    ("ix_predictions_job_id_uncertainty", "predictions", ["job_id", *UNCERTAINTY]),
    ("ix_predictions_uncertainty", "predictions", UNCERTAINTY),
    ("ix_predictions_job_id_score", "predictions", ["job_id", *CONFIDENCE]),
    ("ix_predictions_score", "predictions", CONFIDENCE),
    ("ix_predictions_job_id_image_id_score", "predictions", ["job_id", "image_id", *CONFIDENCE]),
    ("ix_predictions_image_id_score", "predictions", ["image_id", *CONFIDENCE]),
    (
        "ix_image_uncertainties_job_id_uncertainty",
        "image_uncertainties",
        ["job_id", sa.text("uncertainty DESC"), "image_id"],
    ),
    ("ix_jobs_project_id_id", "jobs", ["project_id", "id"]),
    ("ix_jobs_project_id_state_id", "jobs", ["project_id", "state", "id"]),
    ("ix_jobs_project_id_kind_id", "jobs", ["project_id", "kind", "id"]),
]


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
