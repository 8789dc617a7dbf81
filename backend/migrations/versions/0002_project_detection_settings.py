"""project detection settings: working scale, max detections and base model

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 12:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("projects") as batch:
        batch.add_column(sa.Column("working_scale", sa.Double(), nullable=True))
        batch.add_column(sa.Column("max_detections", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("base_model_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_projects_base_model_id_models"),
            "models",
            ["base_model_id"],
            ["id"],
            ondelete="SET NULL",
            use_alter=True,
        )


def downgrade() -> None:
    with op.batch_alter_table("projects") as batch:
        batch.drop_constraint(op.f("fk_projects_base_model_id_models"), type_="foreignkey")
        batch.drop_column("base_model_id")
        batch.drop_column("max_detections")
        batch.drop_column("working_scale")
