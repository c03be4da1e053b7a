"""plans as records: inputs digest, supersession, carried assignments

Revision ID: 0004_plan_records
Revises: 0003_plans
Create Date: 2026-12-02 01:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_plan_records"
down_revision = "0003_plans"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.add_column(sa.Column("inputs_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("inputs", sa.Text(), nullable=True))
        batch.add_column(sa.Column("superseded_by", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("plan_assignments") as batch:
        batch.add_column(
            sa.Column("carried", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("plan_assignments") as batch:
        batch.drop_column("carried")
    with op.batch_alter_table("plans") as batch:
        batch.drop_column("superseded_at")
        batch.drop_column("superseded_by")
        batch.drop_column("inputs")
        batch.drop_column("inputs_hash")
