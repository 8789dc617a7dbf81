"""indexes for the list endpoints' keyset pages: one per sort and filter the API offers (they
replace five single-column indexes)

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
# the review lists only detect predictions: so do its indexes
DETECT = {
    "postgresql_where": sa.text("stage = 'detect'"),
    "sqlite_where": sa.text("stage = 'detect'"),
}
INDEXES: list[tuple[str, str, list, dict]] = [
    ("ix_images_project_id_id", "images", ["project_id", "id"], {}),
    ("ix_images_project_id_pool_id", "images", ["project_id", "pool", "id"], {}),
    ("ix_images_project_id_state_id", "images", ["project_id", "state", "id"], {}),
    ("ix_images_project_id_pool_state_id", "images", ["project_id", "pool", "state", "id"], {}),
    ("ix_annotations_image_id_id", "annotations", ["image_id", "id"], {}),
    ("ix_annotations_updated_at_id", "annotations", ["updated_at", "id"], {}),
    ("ix_predictions_job_id_uncertainty", "predictions", ["job_id", *UNCERTAINTY], DETECT),
    ("ix_predictions_uncertainty", "predictions", UNCERTAINTY, DETECT),
    ("ix_predictions_job_id_score", "predictions", ["job_id", *CONFIDENCE], DETECT),
    ("ix_predictions_score", "predictions", CONFIDENCE, DETECT),
    (
        "ix_predictions_job_id_image_id_score",
        "predictions",
        ["job_id", "image_id", *CONFIDENCE],
        DETECT,
    ),
    ("ix_predictions_image_id_score", "predictions", ["image_id", *CONFIDENCE], DETECT),
    (
        "ix_predictions_job_id_status_image_id_score",
        "predictions",
        ["job_id", "status", "image_id", *CONFIDENCE],
        DETECT,
    ),
    (
        "ix_image_uncertainties_job_id_uncertainty",
        "image_uncertainties",
        ["job_id", sa.text("uncertainty DESC"), "image_id"],
        {},
    ),
    ("ix_jobs_project_id_id", "jobs", ["project_id", "id"], {}),
    ("ix_jobs_project_id_state_id", "jobs", ["project_id", "state", "id"], {}),
    ("ix_jobs_project_id_kind_id", "jobs", ["project_id", "kind", "id"], {}),
]


# single-column indexes that the ones above replace (a prefix of them, or too coarse to help)
REPLACED = [
    ("ix_images_project_id", "images", "project_id"),
    ("ix_images_pool", "images", "pool"),
    ("ix_images_state", "images", "state"),
    ("ix_annotations_image_id", "annotations", "image_id"),
    ("ix_jobs_project_id", "jobs", "project_id"),
]


def upgrade() -> None:
    for name, table, columns, where in INDEXES:
        op.create_index(name, table, columns, **where)
    for name, table, _ in REPLACED:
        op.drop_index(name, table_name=table)


def downgrade() -> None:
    for name, table, column in REPLACED:
        op.create_index(name, table, [column])
    for name, table, _, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
