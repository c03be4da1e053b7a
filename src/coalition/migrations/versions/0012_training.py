"""training and readiness: courses, sites, intakes, cohorts, training records, fleet status

Revision ID: 0012_training
Revises: 0011_tracking
Create Date: 2026-12-02 06:30:00

Chained after 0011 tracking when the branches landed; 0013 cooperation follows.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0012_training"
down_revision = "0011_tracking"
branch_labels = None
depends_on = None


def _registry_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column(
            "marking", sa.String(length=120), server_default="NATO UNCLASSIFIED", nullable=False
        ),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
    ]


def _code(name: str, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.String(length=64), nullable=nullable)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.code"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def upgrade() -> None:
    op.create_table(
        "courses",
        _code("code"),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("skill", sa.String(length=20), nullable=False),
        sa.Column("duration_weeks", sa.Integer(), nullable=False),
        _code("provider_code"),
        sa.Column("mission", sa.String(length=20), nullable=False),
        _code("platform_code", nullable=True),
        _code("family_code", nullable=True),
        sa.Column("per_platform", sa.Integer(), nullable=False),
        sa.Column("prerequisites", sa.String(length=2000), nullable=False),
        *_registry_columns(),
        _fk("courses", "provider_code", "donors"),
        _fk("courses", "platform_code", "item_types"),
        _fk("courses", "family_code", "families"),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_courses")),
    )
    op.create_table(
        "sites",
        _code("code"),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("country", sa.String(length=3), nullable=False),
        _code("provider_code"),
        *_registry_columns(),
        _fk("sites", "provider_code", "donors"),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_sites")),
    )
    op.create_table(
        "intakes",
        _code("code"),
        _code("course_code"),
        _code("site_code"),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        *_registry_columns(),
        _fk("intakes", "course_code", "courses"),
        _fk("intakes", "site_code", "sites"),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_intakes")),
    )
    op.create_table(
        "cohorts",
        _code("code"),
        _code("unit_code"),
        _code("language_group"),
        sa.Column("size", sa.Integer(), nullable=False),
        _code("platform_code", nullable=True),
        *_registry_columns(),
        _fk("cohorts", "unit_code", "recipients"),
        _fk("cohorts", "platform_code", "item_types"),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_cohorts")),
    )
    op.create_table(
        "training_records",
        _code("intake_code"),
        _code("cohort_code"),
        sa.Column("enrolled", sa.Integer(), nullable=False),
        sa.Column("graduated", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        *_registry_columns(),
        _fk("training_records", "intake_code", "intakes"),
        _fk("training_records", "cohort_code", "cohorts"),
        sa.PrimaryKeyConstraint("intake_code", "cohort_code", name=op.f("pk_training_records")),
    )
    op.create_table(
        "fleet_status",
        _code("item_type_code"),
        _code("recipient_code"),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("operational", sa.BigInteger(), nullable=False),
        sa.Column("in_maintenance", sa.BigInteger(), nullable=False),
        sa.Column("awaiting_parts", sa.BigInteger(), nullable=False),
        sa.Column("lost", sa.BigInteger(), nullable=False),
        *_registry_columns(),
        _fk("fleet_status", "item_type_code", "item_types"),
        _fk("fleet_status", "recipient_code", "recipients"),
        sa.PrimaryKeyConstraint(
            "item_type_code", "recipient_code", "as_of", name=op.f("pk_fleet_status")
        ),
    )


def downgrade() -> None:
    for table in ("fleet_status", "training_records", "cohorts", "intakes", "sites", "courses"):
        op.drop_table(table)
