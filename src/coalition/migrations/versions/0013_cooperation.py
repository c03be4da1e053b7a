"""cooperation: EU–NATO proposals, progress reports and statuses; meetings and taskings;
stored briefs

Revision ID: 0013_cooperation
Revises: 0012_training
Create Date: 2026-12-02 06:20:00

The chain is linear: 0009 web sessions, 0009b network, 0011 tracking, 0012 training, this,
0014 logistics plans.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0013_cooperation"
down_revision = "0012_training"
branch_labels = None
depends_on = None


def _registry_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column(
            "marking", sa.String(length=120), server_default="NATO UNCLASSIFIED", nullable=False
        ),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "proposals",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("set_year", sa.Integer(), nullable=False),
        sa.Column("strand", sa.String(length=30), nullable=False),
        sa.Column("text", sa.String(length=1000), nullable=False),
        sa.Column("illustrative", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("eu_lead", sa.String(length=200), nullable=False),
        sa.Column("nato_lead", sa.String(length=200), nullable=False),
        sa.Column("source", sa.String(length=2000), nullable=False),
        *_registry_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposals")),
    )
    op.create_table(
        "progress_reports",
        sa.Column("number", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("period_from", sa.Date(), nullable=False),
        sa.Column("period_to", sa.Date(), nullable=False),
        sa.Column("presented_on", sa.Date(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("dates_note", sa.String(length=500), nullable=False),
        sa.Column("source", sa.String(length=2000), nullable=False),
        *_registry_columns(),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_progress_reports")),
    )
    op.create_table(
        "proposal_progress",
        sa.Column("proposal_id", sa.String(length=64), nullable=False),
        sa.Column("report_number", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("narrative", sa.String(length=2000), nullable=False),
        sa.Column("evidence", sa.String(length=1000), nullable=False),
        sa.Column("next_steps", sa.String(length=1000), nullable=False),
        *_registry_columns(),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposals.id"],
            name=op.f("fk_proposal_progress_proposal_id_proposals"),
        ),
        sa.ForeignKeyConstraint(
            ["report_number"],
            ["progress_reports.number"],
            name=op.f("fk_proposal_progress_report_number_progress_reports"),
        ),
        sa.PrimaryKeyConstraint("proposal_id", "report_number", name=op.f("pk_proposal_progress")),
    )
    op.create_table(
        "meetings",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("format", sa.String(length=20), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("chairs", sa.String(length=300), nullable=False),
        sa.Column("participants", sa.String(length=2000), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=False),
        *_registry_columns(),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_meetings")),
    )
    op.create_table(
        "taskings",
        sa.Column("meeting_code", sa.String(length=64), nullable=False),
        sa.Column("number", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("decision", sa.String(length=1000), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("follow_up", sa.String(length=2000), nullable=False),
        *_registry_columns(),
        sa.ForeignKeyConstraint(
            ["meeting_code"], ["meetings.code"], name=op.f("fk_taskings_meeting_code_meetings")
        ),
        sa.PrimaryKeyConstraint("meeting_code", "number", name=op.f("pk_taskings")),
    )
    op.create_table(
        "briefs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("audience", sa.String(length=100), nullable=False),
        sa.Column("period_from", sa.Date(), nullable=False),
        sa.Column("period_to", sa.Date(), nullable=False),
        sa.Column("batch_id", sa.String(length=64), nullable=False),
        sa.Column("figures", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_briefs")),
    )
    op.create_index("ix_briefs_audience", "briefs", ["audience"])


def downgrade() -> None:
    op.drop_index("ix_briefs_audience", table_name="briefs")
    op.drop_table("briefs")
    op.drop_table("taskings")
    op.drop_table("meetings")
    op.drop_table("proposal_progress")
    op.drop_table("progress_reports")
    op.drop_table("proposals")
