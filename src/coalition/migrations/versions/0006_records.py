"""registry rows carry a releasability marking and a row version

Revision ID: 0006_records
Revises: 0005_users
Create Date: 2026-12-02 02:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_records"
down_revision = "0005_users"
branch_labels = None
depends_on = None

REGISTRY_TABLES = (
    "donors",
    "memberships",
    "gdp",
    "recipients",
    "families",
    "item_types",
    "compatibility",
    "requirements",
    "offers",
    "pledges",
    "fleet",
    "baselines",
)


def upgrade() -> None:
    for table in REGISTRY_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column(
                    "marking",
                    sa.String(length=120),
                    server_default="NATO UNCLASSIFIED",
                    nullable=False,
                )
            )
            batch.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))


def downgrade() -> None:
    for table in REGISTRY_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
            batch.drop_column("marking")
