"""trustworthy data: image renditions and states, annotation versions, evaluate predictions, the
current model, and ids that are never reused

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 15:10:00

Images uploaded before this revision keep their stored bytes as their rendition (they were
stored EXIF-oriented in a format Pillow wrote), and an image that had a box becomes "complete",
which is what "annotated" meant until now. On SQLite every table is rebuilt AUTOINCREMENT so that
a deleted row's id is never handed out again.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    "users",
    "workers",
    "api_tokens",
    "projects",
    "models",
    "project_members",
    "label_classes",
    "images",
    "annotations",
    "jobs",
    "tasks",
    "predictions",
    "image_uncertainties",
    "metrics",
    "pr_curves",
)


def upgrade() -> None:
    with op.batch_alter_table("images") as batch:
        batch.add_column(sa.Column("rendition_sha256", sa.String(length=64), nullable=True))
        batch.add_column(
            sa.Column("state", sa.String(length=16), nullable=False, server_default="unlabelled")
        )
        batch.add_column(
            sa.Column("annotations_version", sa.Integer(), nullable=False, server_default="1")
        )
        batch.create_index(op.f("ix_images_state"), ["state"], unique=False)
    op.execute("UPDATE images SET rendition_sha256 = sha256")
    op.execute(
        "UPDATE images SET state = 'complete' "
        "WHERE EXISTS (SELECT 1 FROM annotations WHERE annotations.image_id = images.id)"
    )
    with op.batch_alter_table("images") as batch:
        batch.alter_column("rendition_sha256", existing_type=sa.String(length=64), nullable=False)

    with op.batch_alter_table("predictions") as batch:
        batch.add_column(
            sa.Column("stage", sa.String(length=16), nullable=False, server_default="detect")
        )
        batch.add_column(sa.Column("match", sa.String(length=8), nullable=True))
        batch.create_index(op.f("ix_predictions_stage"), ["stage"], unique=False)

    with op.batch_alter_table("projects") as batch:
        batch.add_column(sa.Column("current_model_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_projects_current_model_id_models"),
            "models",
            ["current_model_id"],
            ["id"],
            ondelete="SET NULL",
            use_alter=True,
        )

    op.create_table(
        "evaluation_images",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("image_id", sa.Integer(), nullable=False),
        sa.Column("model_id", sa.Integer(), nullable=True),
        sa.Column("tp", sa.Integer(), nullable=False),
        sa.Column("fp", sa.Integer(), nullable=False),
        sa.Column("fn", sa.Integer(), nullable=False),
        sa.Column("missed", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["image_id"],
            ["images.id"],
            name=op.f("fk_evaluation_images_image_id_images"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["jobs.id"],
            name=op.f("fk_evaluation_images_job_id_jobs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["model_id"],
            ["models.id"],
            name=op.f("fk_evaluation_images_model_id_models"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_images")),
        sa.UniqueConstraint(
            "job_id", "image_id", name=op.f("uq_evaluation_images_job_id_image_id")
        ),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("evaluation_images") as batch:
        batch.create_index(op.f("ix_evaluation_images_image_id"), ["image_id"], unique=False)
        batch.create_index(op.f("ix_evaluation_images_job_id"), ["job_id"], unique=False)

    if op.get_bind().dialect.name == "sqlite":
        for table in TABLES:
            with op.batch_alter_table(
                table, recreate="always", table_kwargs={"sqlite_autoincrement": True}
            ):
                pass


def downgrade() -> None:
    with op.batch_alter_table("evaluation_images") as batch:
        batch.drop_index(op.f("ix_evaluation_images_job_id"))
        batch.drop_index(op.f("ix_evaluation_images_image_id"))
    op.drop_table("evaluation_images")
    with op.batch_alter_table("projects") as batch:
        batch.drop_constraint(op.f("fk_projects_current_model_id_models"), type_="foreignkey")
        batch.drop_column("current_model_id")
    with op.batch_alter_table("predictions") as batch:
        batch.drop_index(op.f("ix_predictions_stage"))
        batch.drop_column("match")
        batch.drop_column("stage")
    with op.batch_alter_table("images") as batch:
        batch.drop_index(op.f("ix_images_state"))
        batch.drop_column("annotations_version")
        batch.drop_column("state")
        batch.drop_column("rendition_sha256")
