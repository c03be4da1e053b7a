"""shipment tracking: shipments and their events

Revision ID: 0011_tracking
Revises: 0009b_logistics_network
Create Date: 2026-12-02 06:10:00

Revised from the logistics network (0009b, file 0010) while the web branch adds its own 0009:
when the lead re-chains the network migration after that 0009, this one follows unchanged.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_tracking"
down_revision = "0009b_logistics_network"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "shipments",
        sa.Column("shipment_id", sa.String(length=64), nullable=False),
        sa.Column("donor_code", sa.String(length=64), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("requirement_ref", sa.String(length=64), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("origin", sa.String(length=64), nullable=False),
        sa.Column("destination", sa.String(length=64), nullable=False),
        sa.Column("recipient_code", sa.String(length=64), nullable=False),
        sa.Column(
            "marking", sa.String(length=120), server_default="NATO UNCLASSIFIED", nullable=False
        ),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["donor_code"], ["donors.code"], name=op.f("fk_shipments_donor_code_donors")
        ),
        sa.ForeignKeyConstraint(
            ["donor_code", "external_id"],
            ["offers.donor_code", "offers.external_id"],
            name="fk_shipments_offer_offers",
        ),
        sa.ForeignKeyConstraint(
            ["requirement_ref"],
            ["requirements.ref"],
            name=op.f("fk_shipments_requirement_ref_requirements"),
        ),
        sa.ForeignKeyConstraint(["origin"], ["nodes.code"], name=op.f("fk_shipments_origin_nodes")),
        sa.ForeignKeyConstraint(
            ["destination"], ["nodes.code"], name=op.f("fk_shipments_destination_nodes")
        ),
        sa.ForeignKeyConstraint(
            ["recipient_code"],
            ["recipients.code"],
            name=op.f("fk_shipments_recipient_code_recipients"),
        ),
        sa.PrimaryKeyConstraint("shipment_id", name=op.f("pk_shipments")),
    )
    op.create_index("ix_shipments_offer", "shipments", ["donor_code", "external_id"])
    op.create_table(
        "shipment_events",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("shipment_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("place", sa.String(length=64), nullable=False),
        sa.Column("reported_by", sa.String(length=100), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("batch_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["shipment_id"],
            ["shipments.shipment_id"],
            name=op.f("fk_shipment_events_shipment_id_shipments"),
        ),
        sa.ForeignKeyConstraint(
            ["place"], ["nodes.code"], name=op.f("fk_shipment_events_place_nodes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipment_events")),
    )
    op.create_index("ix_shipment_events_shipment_id", "shipment_events", ["shipment_id"])
    op.create_index("ix_shipment_events_time", "shipment_events", ["time"])


def downgrade() -> None:
    op.drop_index("ix_shipment_events_time", table_name="shipment_events")
    op.drop_index("ix_shipment_events_shipment_id", table_name="shipment_events")
    op.drop_table("shipment_events")
    op.drop_index("ix_shipments_offer", table_name="shipments")
    op.drop_table("shipments")
