"""Table definitions (SQLAlchemy Core). Alembic migrations in coalition/migrations mirror them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeEngine

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class ExactDecimal(TypeDecorator[Decimal]):
    """Numeric on PostgreSQL; text on SQLite, which would otherwise round money through floats."""

    impl = Numeric
    cache_ok = True

    def __init__(self, precision: int, scale: int) -> None:
        super().__init__()
        self.precision, self.scale = precision, scale

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(40))
        return dialect.type_descriptor(Numeric(self.precision, self.scale, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None or dialect.name != "sqlite":
            return value
        return format(Decimal(value), "f")

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(str(value))


CODE = String(64)
MONEY = ExactDecimal(24, 2)
MEASURE = ExactDecimal(24, 6)

donors = Table(
    "donors",
    metadata,
    Column("code", CODE, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("parent_code", CODE, ForeignKey("donors.code"), nullable=True),
)

memberships = Table(
    "memberships",
    metadata,
    Column("donor_code", CODE, ForeignKey("donors.code"), primary_key=True),
    Column("organisation", String(10), primary_key=True),
    Column("joined", Date, primary_key=True),
    Column("left", Date, nullable=True),
)

gdp = Table(
    "gdp",
    metadata,
    Column("donor_code", CODE, ForeignKey("donors.code"), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("amount", MEASURE, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("unit", String(10), nullable=False),
    Column("source", String(500), nullable=False),
)

recipients = Table(
    "recipients",
    metadata,
    Column("code", CODE, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("location", String(200), nullable=False),
    Column("latitude", Float, nullable=True),
    Column("longitude", Float, nullable=True),
)

families = Table(
    "families",
    metadata,
    Column("code", CODE, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("capability_area", String(30), nullable=False),
)

item_types = Table(
    "item_types",
    metadata,
    Column("code", CODE, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("family_code", CODE, ForeignKey("families.code"), nullable=False),
    Column("supply_class", String(4), nullable=False),
    Column("unit_of_issue", String(64), nullable=False),
    Column("nsn", String(16), nullable=True),
    Column("mass_kg", MEASURE, nullable=True),
    Column("volume_m3", MEASURE, nullable=True),
    Column("reference_value_eur", MONEY, nullable=True),
    Column("platform_code", CODE, nullable=True),
    Column("outsize", Boolean, nullable=False, server_default=false()),
)

compatibility = Table(
    "compatibility",
    metadata,
    Column("item_type_code", CODE, ForeignKey("item_types.code"), primary_key=True),
    Column("target_kind", String(10), primary_key=True),
    Column("target_code", CODE, primary_key=True),
)

requirements = Table(
    "requirements",
    metadata,
    Column("ref", CODE, primary_key=True),
    Column("capability_area", String(30), nullable=False),
    Column("family_code", CODE, ForeignKey("families.code"), nullable=False),
    Column("quantity", BigInteger, nullable=False),
    Column("priority", Integer, nullable=False),
    Column("needed_by", Date, nullable=False),
    Column("destination_code", CODE, ForeignKey("recipients.code"), nullable=False),
    Column("status", String(20), nullable=False),
    Column("unit", String(64), nullable=False),
    Column("platform_code", CODE, nullable=True),
    Column("description", String(500), nullable=False, default=""),
)

offers = Table(
    "offers",
    metadata,
    Column("donor_code", CODE, ForeignKey("donors.code"), primary_key=True),
    Column("external_id", CODE, primary_key=True),
    Column("item_type_code", CODE, ForeignKey("item_types.code"), nullable=False),
    Column("quantity", BigInteger, nullable=False),
    Column("available_from", Date, nullable=False),
    Column("origin", CODE, nullable=False),
    Column("condition", String(10), nullable=False),
    Column("declared_value", MONEY, nullable=True),
    Column("currency", String(3), nullable=False),
    Column("only_for_areas", String(300), nullable=False, default=""),
    Column("status", String(20), nullable=False),
    Column("delivered_on", Date, nullable=True),
)

pledges = Table(
    "pledges",
    metadata,
    Column("donor_code", CODE, ForeignKey("donors.code"), primary_key=True),
    Column("external_id", CODE, primary_key=True),
    Column("amount", MONEY, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("year", Integer, nullable=False),
    Column("pledged_on", Date, nullable=False),
    Column("purpose", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    Column("channel_code", CODE, ForeignKey("donors.code"), nullable=True),
    Column("disbursed_on", Date, nullable=True),
)

fleet = Table(
    "fleet",
    metadata,
    Column("item_type_code", CODE, ForeignKey("item_types.code"), primary_key=True),
    Column("recipient_code", CODE, ForeignKey("recipients.code"), primary_key=True),
    Column("quantity", BigInteger, nullable=False),
    Column("as_of", Date, nullable=False),
)

baselines = Table(
    "baselines",
    metadata,
    Column("year", Integer, primary_key=True),
    Column("amount", MONEY, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("participants_group", String(10), nullable=False),
    Column("excluded", String(500), nullable=False),
    Column("gdp_measure", String(200), nullable=False),
    Column("gdp_year", Integer, nullable=False),
    Column("counted_categories", String(300), nullable=False),
    Column("membership_date", Date, nullable=False),
    Column("source", String(1000), nullable=False),
)

# The logistics network (domain/network.py): nodes and the lanes between them.
TONNES = ExactDecimal(16, 3)

nodes = Table(
    "nodes",
    metadata,
    Column("code", CODE, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("country", String(3), nullable=False),
    Column("latitude", Float, nullable=False),
    Column("longitude", Float, nullable=False),
    Column("handling_t_per_day", TONNES, nullable=True),
)

lanes = Table(
    "lanes",
    metadata,
    Column("code", CODE, primary_key=True),
    Column("from_node", CODE, ForeignKey("nodes.code"), nullable=False),
    Column("to_node", CODE, ForeignKey("nodes.code"), nullable=False),
    Column("mode", String(10), nullable=False),
    Column("transit_days", ExactDecimal(8, 2), nullable=False),
    Column("capacity_t_per_day", TONNES, nullable=False),
    Column("outsize_per_day", BigInteger, nullable=False),
    Column("cost_eur_per_t", MONEY, nullable=False),
)

# EU–NATO cooperation (domain/cooperation.py): common proposals, progress reports and each
# proposal's status per report; the meetings register and the taskings of its decisions.
proposals = Table(
    "proposals",
    metadata,
    Column("id", CODE, primary_key=True),
    Column("set_year", Integer, nullable=False),
    Column("strand", String(30), nullable=False),
    Column("text", String(1000), nullable=False),
    Column("illustrative", Boolean, nullable=False, server_default=false()),
    Column("eu_lead", String(200), nullable=False, default=""),
    Column("nato_lead", String(200), nullable=False, default=""),
    Column("source", String(2000), nullable=False, default=""),
)

progress_reports = Table(
    "progress_reports",
    metadata,
    Column("number", Integer, primary_key=True, autoincrement=False),
    Column("period_from", Date, nullable=False),
    Column("period_to", Date, nullable=False),
    Column("presented_on", Date, nullable=False),
    Column("title", String(200), nullable=False, default=""),
    Column("dates_note", String(500), nullable=False, default=""),
    Column("source", String(2000), nullable=False, default=""),
)

proposal_progress = Table(
    "proposal_progress",
    metadata,
    Column("proposal_id", CODE, ForeignKey("proposals.id"), primary_key=True),
    Column(
        "report_number",
        Integer,
        ForeignKey("progress_reports.number"),
        primary_key=True,
        autoincrement=False,
    ),
    Column("status", String(20), nullable=False),
    Column("narrative", String(2000), nullable=False, default=""),
    Column("evidence", String(1000), nullable=False, default=""),
    Column("next_steps", String(1000), nullable=False, default=""),
)

meetings = Table(
    "meetings",
    metadata,
    Column("code", CODE, primary_key=True),
    Column("format", String(20), nullable=False),
    Column("held_on", Date, nullable=False),
    Column("title", String(300), nullable=False),
    Column("chairs", String(300), nullable=False, default=""),
    Column("participants", String(2000), nullable=False, default=""),
    Column("location", String(200), nullable=False, default=""),
)

taskings = Table(
    "taskings",
    metadata,
    Column("meeting_code", CODE, ForeignKey("meetings.code"), primary_key=True),
    Column("number", Integer, primary_key=True, autoincrement=False),
    Column("decision", String(1000), nullable=False),
    Column("owner", String(200), nullable=False),
    Column("due_on", Date, nullable=False),
    Column("status", String(20), nullable=False),
    Column("done_on", Date, nullable=True),
    Column("follow_up", String(2000), nullable=False, default=""),
)

# Training and readiness (domain/training.py): courses, sites, intakes, cohorts, what each
# cohort did on each intake, and dated fleet-status reports (history: one row per date).
courses = Table(
    "courses",
    metadata,
    Column("code", CODE, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("skill", String(20), nullable=False),
    Column("duration_weeks", Integer, nullable=False),
    Column("provider_code", CODE, ForeignKey("donors.code"), nullable=False),
    Column("mission", String(20), nullable=False),
    Column("platform_code", CODE, ForeignKey("item_types.code"), nullable=True),
    Column("family_code", CODE, ForeignKey("families.code"), nullable=True),
    Column("per_platform", Integer, nullable=False),
    Column("prerequisites", String(2000), nullable=False),
)

sites = Table(
    "sites",
    metadata,
    Column("code", CODE, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("country", String(3), nullable=False),
    Column("provider_code", CODE, ForeignKey("donors.code"), nullable=False),
)

intakes = Table(
    "intakes",
    metadata,
    Column("code", CODE, primary_key=True),
    Column("course_code", CODE, ForeignKey("courses.code"), nullable=False),
    Column("site_code", CODE, ForeignKey("sites.code"), nullable=False),
    Column("start_date", Date, nullable=False),
    Column("seats", Integer, nullable=False),
)

cohorts = Table(
    "cohorts",
    metadata,
    Column("code", CODE, primary_key=True),
    Column("unit_code", CODE, ForeignKey("recipients.code"), nullable=False),
    Column("language_group", CODE, nullable=False),
    Column("size", Integer, nullable=False),
    Column("platform_code", CODE, ForeignKey("item_types.code"), nullable=True),
)

training_records = Table(
    "training_records",
    metadata,
    Column("intake_code", CODE, ForeignKey("intakes.code"), primary_key=True),
    Column("cohort_code", CODE, ForeignKey("cohorts.code"), primary_key=True),
    Column("enrolled", Integer, nullable=False),
    Column("graduated", Integer, nullable=False),
    Column("failed", Integer, nullable=False),
)

fleet_status = Table(
    "fleet_status",
    metadata,
    Column("item_type_code", CODE, ForeignKey("item_types.code"), primary_key=True),
    Column("recipient_code", CODE, ForeignKey("recipients.code"), primary_key=True),
    Column("as_of", Date, primary_key=True),
    Column("operational", BigInteger, nullable=False),
    Column("in_maintenance", BigInteger, nullable=False),
    Column("awaiting_parts", BigInteger, nullable=False),
    Column("lost", BigInteger, nullable=False),
)

# Every registry row carries its releasability marking (domain/markings.py) and a row version
# that each update increments: the API's ETag / If-Match, so a stale edit is refused.
REGISTRY_TABLES = (
    donors,
    memberships,
    gdp,
    recipients,
    families,
    item_types,
    compatibility,
    requirements,
    offers,
    pledges,
    fleet,
    baselines,
    nodes,
    lanes,
    proposals,
    progress_reports,
    proposal_progress,
    meetings,
    taskings,
    courses,
    sites,
    intakes,
    cohorts,
    training_records,
    fleet_status,
)
for _registry in REGISTRY_TABLES:
    _registry.append_column(
        Column("marking", String(120), nullable=False, server_default="NATO UNCLASSIFIED")
    )
    _registry.append_column(Column("version", Integer, nullable=False, server_default="1"))

# Shipment tracking (domain/tracking.py): a shipment carries units of one offer for one
# requirement from an origin node to a destination node; its events are appended, never
# changed. A shipment is owned by the donor of its offer (`domain.access`), and carries its
# releasability marking and a row version like a registry row.
shipments = Table(
    "shipments",
    metadata,
    Column("shipment_id", CODE, primary_key=True),
    Column("donor_code", CODE, ForeignKey("donors.code"), nullable=False),
    Column("external_id", CODE, nullable=False),
    Column("requirement_ref", CODE, ForeignKey("requirements.ref"), nullable=False),
    Column("quantity", BigInteger, nullable=False),
    Column("origin", CODE, ForeignKey("nodes.code"), nullable=False),
    Column("destination", CODE, ForeignKey("nodes.code"), nullable=False),
    Column("recipient_code", CODE, ForeignKey("recipients.code"), nullable=False),
    Column("marking", String(120), nullable=False, server_default="NATO UNCLASSIFIED"),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("created_by", String(100), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    ForeignKeyConstraint(
        ["donor_code", "external_id"],
        ["offers.donor_code", "offers.external_id"],
        name="fk_shipments_offer_offers",
    ),
    Index("ix_shipments_offer", "donor_code", "external_id"),
)

shipment_events = Table(
    "shipment_events",
    metadata,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("shipment_id", CODE, ForeignKey("shipments.shipment_id"), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("time", DateTime(timezone=True), nullable=False),  # UTC
    Column("place", CODE, ForeignKey("nodes.code"), nullable=False),
    Column("reported_by", String(100), nullable=False),
    Column("quantity", BigInteger, nullable=True),  # units received, on a receipt only
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("batch_id", String(64), nullable=False),
    Index("ix_shipment_events_shipment_id", "shipment_id"),
    Index("ix_shipment_events_time", "time"),
)

# Allocation plans: versioned, never overwritten. `accepted_at` is set when a coordinator
# accepts the plan. An accepted plan holds the whole allocation in force (its own assignments
# and those it carried over from the plan it supersedes), so later plans build on one plan.
# `inputs_hash` covers the ledger inputs without solver parameters; `inputs` is a JSON digest
# per record, so a stale plan can say what changed since it was computed.
plans = Table(
    "plans",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(100), nullable=False),
    Column("method", String(20), nullable=False),
    Column("status", String(30), nullable=False),
    Column("objective", Float, nullable=False),
    Column("best_bound", Float, nullable=True),
    Column("gap", Float, nullable=True),
    Column("build_seconds", Float, nullable=False),
    Column("solve_seconds", Float, nullable=False),
    Column("solver", String(100), nullable=False),
    Column("snapshot_hash", String(64), nullable=False),
    Column("parameters", Text, nullable=False),
    Column("summary", Text, nullable=False),  # JSON: coverage, new types, messages
    Column("accepted_at", DateTime(timezone=True), nullable=True),
    Column("accepted_by", String(100), nullable=True),
    Column("inputs_hash", String(64), nullable=True),
    Column("inputs", Text, nullable=True),
    Column("superseded_by", Integer, nullable=True),
    Column("superseded_at", DateTime(timezone=True), nullable=True),
)

plan_assignments = Table(
    "plan_assignments",
    metadata,
    Column("plan_id", Integer, ForeignKey("plans.id"), primary_key=True),
    Column("offer_key", String(200), primary_key=True),
    Column("requirement_ref", CODE, primary_key=True),
    Column("quantity", Float, nullable=False),
    Column("arrival", Date, nullable=False),
    Column("lateness_factor", Float, nullable=False),
    Column("value", Float, nullable=False),
    # True for an assignment carried over from the accepted plan this one builds on.
    Column("carried", Boolean, nullable=False, server_default=false()),
)


# Logistics plans: routed shipments of the allocation in force, stored whole as one JSON
# document (shipments, ETAs, unrouted lines, utilisation peaks) beside their headline figures.
def _plan_version() -> list[Column[Any]]:
    """The columns every versioned plan table (logistics, training) opens with; `day_zero` is
    the date of day 0 (logistics) or the Monday of week 0 (training) of the plan's document."""
    return [
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("created_by", String(100), nullable=False),
        Column("status", String(30), nullable=False),
        Column("day_zero", Date, nullable=False),
    ]


def _decision() -> list[Column[Any]]:
    """... and close with: who accepted it, when, and the plan that superseded it."""
    return [
        Column("accepted_at", DateTime(timezone=True), nullable=True),
        Column("accepted_by", String(100), nullable=True),
        Column("superseded_by", Integer, nullable=True),
    ]


logistics_plans = Table(
    "logistics_plans",
    metadata,
    *_plan_version(),
    Column("horizon_days", Integer, nullable=False),
    Column("objective", Float, nullable=False),
    Column("weighted_lateness", Float, nullable=False),
    Column("cost", Float, nullable=False),
    Column("lower_bound", Float, nullable=False),
    Column("gap", Float, nullable=False),
    Column("seconds", Float, nullable=False),
    Column("allocation_plan_id", Integer, ForeignKey("plans.id"), nullable=True),
    Column("closures", Text, nullable=False),  # JSON: what-if closures it was planned under
    Column("document", Text, nullable=False),  # JSON: shipments, ETAs, unrouted, peaks
    *_decision(),
)

# Training plans: cohorts scheduled onto course intakes, versioned like logistics plans (never
# overwritten; one accepted plan in force). Weeks in the document count from `day_zero`.
training_plans = Table(
    "training_plans",
    metadata,
    *_plan_version(),
    Column("horizon_weeks", Integer, nullable=False),
    Column("objective", Float, nullable=False),
    Column("bound", Float, nullable=True),  # proven lower bound (none for a greedy plan)
    Column("gap", Float, nullable=True),
    Column("controllable_gap", Float, nullable=True),
    Column("seconds", Float, nullable=False),
    Column("allocation_plan_id", Integer, ForeignKey("plans.id"), nullable=True),
    Column("logistics_plan_id", Integer, ForeignKey("logistics_plans.id"), nullable=True),
    Column("document", Text, nullable=False),  # JSON: lines, schedules, line reports, unmet
    *_decision(),
)

# People and programs that act in Coalition. Passwords are stored only as Argon2id hashes and
# API tokens only as SHA-256 digests (they are long random secrets, so a fast hash is safe).
users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("role", String(20), nullable=False),
    Column("donor_code", CODE, ForeignKey("donors.code"), nullable=True),
    Column("password_hash", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("disabled_at", DateTime(timezone=True), nullable=True),
    Column("failed_logins", Integer, nullable=False, server_default="0"),
    Column("locked_until", DateTime(timezone=True), nullable=True),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("digest", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
)

# Signed-in browser sessions of the web pages. Like API tokens, only a SHA-256 digest of the
# session id is stored (the cookie holds the id); the CSRF token is per session.
web_sessions = Table(
    "web_sessions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False, index=True),
    Column("digest", String(64), nullable=False, unique=True),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

# Append-only history. Each row's hash covers its content and the previous row's hash, so any
# edit or deletion of history is detectable by `coalition history --verify`.
change_log = Table(
    "change_log",
    metadata,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(100), nullable=False),
    Column("batch_id", String(64), nullable=False),
    Column("entity", String(30), nullable=False),
    Column("entity_key", String(200), nullable=False),
    Column("action", String(10), nullable=False),
    Column("before", Text, nullable=True),
    Column("after", Text, nullable=True),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Index("ix_change_log_entity_key", "entity", "entity_key"),
)

# One row holding the chain's tip; updating it serialises writers on PostgreSQL.
change_log_head = Table(
    "change_log_head",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("last_hash", String(64), nullable=False),
)


# Background jobs (an allocation run). `heartbeat_at` is refreshed every few seconds by the
# process that owns a queued or running job; a job whose heartbeat stopped, or that ran past
# its time limit and a margin, was left behind by a process that died (services/jobs.py).
jobs = Table(
    "jobs",
    metadata,
    Column("id", String(43), primary_key=True),  # random, URL-safe
    Column("kind", String(30), nullable=False),
    Column("status", String(20), nullable=False),  # queued | running | succeeded | failed
    Column("progress", Float, nullable=False),  # 0 to 1, never decreases
    Column("message", String(500), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=True),
    Column("finished_at", DateTime(timezone=True), nullable=True),
    Column("heartbeat_at", DateTime(timezone=True), nullable=False),
    Column("time_limit_s", Float, nullable=False),
    Column("parameters", Text, nullable=False),  # JSON
    Column("result", Text, nullable=True),  # JSON, e.g. {"plan_id": 7}
    Column("error", Text, nullable=True),  # one line for the user, never a traceback
    Index("ix_jobs_status", "status"),
    Index("ix_jobs_created_by", "created_by"),
)

# Responses to requests sent with an Idempotency-Key, replayed when the same user sends the
# same request with the same key again (within 24 hours; services/idempotency.py). A row with
# no `response_status` is a claim: its first request is still running.
idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_name", String(200), nullable=False),
    Column("key", String(200), nullable=False),
    Column("method", String(10), nullable=False),
    Column("path", String(2000), nullable=False),
    Column("body_hash", String(64), nullable=False),
    Column("response_status", Integer, nullable=True),
    Column("response_body", Text, nullable=True),  # JSON
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("user_name", "key", name="uq_idempotency_keys_user_name_key"),
    Index("ix_idempotency_keys_created_at", "created_at"),
)

# Briefs as issued: the figures each one showed, for the audience it was made for (staff see
# every record; a donor's desk officer, Ukraine's staff and analysts each get their own view),
# so the next brief for the same audience can show what changed. Logged as entity "brief".
briefs = Table(
    "briefs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(100), nullable=False),
    Column("audience", String(100), nullable=False),
    Column("period_from", Date, nullable=False),
    Column("period_to", Date, nullable=False),
    Column("batch_id", String(64), nullable=False),
    Column("figures", Text, nullable=False),  # JSON: the figures the brief showed
    Index("ix_briefs_audience", "audience"),
)


def table_of(table_name: str) -> Table:
    """The table a registry declaration names (see `registries.kinds.Kind.table_name`)."""
    return metadata.tables[table_name]
