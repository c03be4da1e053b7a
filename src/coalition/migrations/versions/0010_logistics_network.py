"""logistics network: nodes and lanes registries; item types say whether they are outsize

Revision ID: 0009b_logistics_network
Revises: 0009_web_sessions
Create Date: 2026-12-02 05:10:00

Written beside the web branch's 0009 and chained after it when both landed (the revision
id keeps its original name so existing databases still find it).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0009b_logistics_network"
down_revision = "0009_web_sessions"
branch_labels = None
depends_on = None


def _exact(precision: int, scale: int) -> sa.types.TypeEngine[Any]:
    return sa.Numeric(precision, scale).with_variant(sa.String(40), "sqlite")


def _registry_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column(
            "marking", sa.String(length=120), server_default="NATO UNCLASSIFIED", nullable=False
        ),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "nodes",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("country", sa.String(length=3), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("handling_t_per_day", _exact(16, 3), nullable=True),
        *_registry_columns(),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_nodes")),
    )
    op.create_table(
        "lanes",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("from_node", sa.String(length=64), nullable=False),
        sa.Column("to_node", sa.String(length=64), nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("transit_days", _exact(8, 2), nullable=False),
        sa.Column("capacity_t_per_day", _exact(16, 3), nullable=False),
        sa.Column("outsize_per_day", sa.BigInteger(), nullable=False),
        sa.Column("cost_eur_per_t", _exact(24, 2), nullable=False),
        *_registry_columns(),
        sa.ForeignKeyConstraint(
            ["from_node"], ["nodes.code"], name=op.f("fk_lanes_from_node_nodes")
        ),
        sa.ForeignKeyConstraint(["to_node"], ["nodes.code"], name=op.f("fk_lanes_to_node_nodes")),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_lanes")),
    )
    with op.batch_alter_table("item_types") as batch:
        batch.add_column(
            sa.Column("outsize", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("item_types") as batch:
        batch.drop_column("outsize")
    op.drop_table("lanes")
    op.drop_table("nodes")
