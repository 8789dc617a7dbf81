"""event_log: published server events, replayed to clients that reconnect with Last-Event-ID

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "event_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_event_log_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_log")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_event_log_project_id"), "event_log", ["project_id"], unique=False)
    op.create_index(op.f("ix_event_log_created_at"), "event_log", ["created_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_event_log_created_at"), table_name="event_log")
    op.drop_index(op.f("ix_event_log_project_id"), table_name="event_log")
    op.drop_table("event_log")
