"""One declaration per registry: its record, table, key, spreadsheet columns and references.

Import, export, templates, `list`, `show` and `history` all read these, so adding a registry
means adding one Kind here (plus its table and migration).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from coalition.domain.baselines import PledgeBaseline
from coalition.domain.catalogue import (
    CompatibilityRule,
    Family,
    ItemType,
    SupplyClass,
    TargetKind,
    capability_area,
)
from coalition.domain.cooperation import (
    Meeting,
    MeetingFormat,
    ProgressReport,
    ProgressStatus,
    Proposal,
    ProposalProgress,
    Strand,
    Tasking,
    TaskingStatus,
)
from coalition.domain.donors import Donor, DonorKind, GdpFigure, Membership, Organisation
from coalition.domain.errors import InvalidValue
from coalition.domain.fleet import FleetEntry
from coalition.domain.lifecycle import OfferStatus, PledgeStatus, RequirementStatus
from coalition.domain.network import Lane, Mode, Node, NodeKind
from coalition.domain.offers import Condition, Offer
from coalition.domain.pledges import Pledge, Purpose
from coalition.domain.recipients import Recipient, RecipientKind
from coalition.domain.requirements import Requirement
from coalition.domain.training import (
    Cohort,
    Course,
    FleetStatus,
    Intake,
    Mission,
    Site,
    Skill,
    TrainingRecord,
)
from coalition.registries.fields import (
    AREAS,
    BOOLEAN,
    CODE,
    CODES,
    COST_PER_TONNE,
    COUNT,
    COUNTRY,
    CURRENCY,
    DATE,
    DURATION_WEEKS,
    EVENT_DATE,
    FLOAT,
    GDP_AMOUNT,
    LATITUDE,
    LONGITUDE,
    MARKING,
    MEASURE,
    MONEY,
    PER_PLATFORM,
    PRIORITY,
    QUANTITY,
    SEATS,
    TEXT,
    TONNES_PER_DAY,
    TRANSIT_DAYS,
    UNIT_VALUE,
    VALUE,
    YEAR,
    CellError,
    FieldType,
    enum_of,
)


def _parse_area(cell: Any) -> Any:
    try:
        return capability_area("capability_area", str(cell))
    except InvalidValue as error:
        raise CellError(error.reason) from None


AREA = FieldType(
    "capability area (e.g. air_defence)",
    _parse_area,
    render=lambda v: v.value,
    to_db=lambda v: v.value,
    from_db=lambda v: capability_area("capability_area", v),
)


@dataclass(frozen=True)
class Column:
    name: str
    type: FieldType
    required: bool
    help: str
    example: str


@dataclass(frozen=True)
class Kind:
    name: str  # as typed on the command line: offers, item-types...
    entity: str  # singular, as stored in the change log
    record: type
    table_name: str  # the storage table holding its records
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    references: tuple[tuple[str, str], ...] = ()  # (column, kind that must hold the code)
    lifecycle: str | None = None  # entity name in domain.lifecycle.TRANSITIONS
    title: str = ""
    list_columns: tuple[str, ...] = field(default=())
    # The column naming the donor that owns a record (its offers, its money), if any: the
    # visibility rule lets a donor's desk officer see its own records and no other donor's.
    owner: str | None = None

    def __post_init__(self) -> None:
        # Every registry's records carry a releasability marking, last in the template.
        if not any(c.name == "marking" for c in self.columns):
            object.__setattr__(self, "columns", (*self.columns, MARKING_COLUMN))

    def key_of(self, row: dict[str, Any]) -> str:
        return ":".join(str(row[k]) for k in self.key)

    def to_row(self, record: Any) -> dict[str, Any]:
        return {c.name: _to_db(c, getattr(record, c.name)) for c in self.columns}

    def from_row(self, row: Any) -> Any:
        values = {c.name: _from_db(c, row[c.name]) for c in self.columns}
        return self.record(**values)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


MARKING_COLUMN = Column(
    "marking", MARKING, False, "releasability marking (default NATO UNCLASSIFIED)", ""
)


def _to_db(column: Column, value: Any) -> Any:
    return None if value is None else column.type.to_db(value)


def _from_db(column: Column, value: Any) -> Any:
    return None if value is None else column.type.from_db(value)


def C(name: str, type_: FieldType, required: bool, help: str, example: str) -> Column:
    return Column(name, type_, required, help, example)


DONORS = Kind(
    "donors",
    "donor",
    Donor,
    "donors",
    ("code",),
    (
        C("code", CODE, True, "ISO 3166 alpha-3 (nation) or short code", "DEU"),
        C("name", TEXT, True, "name as shown in reports", "Germany"),
        C("kind", enum_of(DonorKind), True, "nation or organisation", "nation"),
        C("parent_code", CODE, False, "organisation this one belongs to (EPF belongs to EU)", ""),
    ),
    references=(("parent_code", "donors"),),
    title="Donors",
)

MEMBERSHIPS = Kind(
    "memberships",
    "membership",
    Membership,
    "memberships",
    ("donor_code", "organisation", "joined"),
    (
        C("donor_code", CODE, True, "a donor's code", "FIN"),
        C("organisation", enum_of(Organisation), True, "NATO or EU", "NATO"),
        C("joined", DATE, True, "first day of membership", "2023-04-04"),
        C("left", DATE, False, "first day no longer a member (blank: still a member)", ""),
    ),
    references=(("donor_code", "donors"),),
    title="Memberships",
)

GDP = Kind(
    "gdp",
    "gdp",
    GdpFigure,
    "gdp",
    ("donor_code", "year"),
    (
        C("donor_code", CODE, True, "a donor's code", "DEU"),
        C("year", YEAR, True, "calendar year", "2024"),
        C("amount", GDP_AMOUNT, True, "nominal GDP, current prices", "4659.929"),
        C("currency", CURRENCY, True, "ISO 4217 code of the amount", "USD"),
        C("unit", TEXT, True, "billion, million or unit", "billion"),
        C("source", TEXT, True, "citation of the figure", "IMF WEO October 2025 (NGDPD)"),
    ),
    references=(("donor_code", "donors"),),
    title="GDP",
)

RECIPIENTS = Kind(
    "recipients",
    "recipient",
    Recipient,
    "recipients",
    ("code",),
    (
        C("code", CODE, True, "recipient code", "UA-DEP-LVIV"),
        C("name", TEXT, True, "name", "Lviv logistics depot"),
        C("kind", enum_of(RecipientKind), True, "unit, depot or delivery_point", "depot"),
        C("location", TEXT, True, "place name", "Lviv"),
        C("latitude", FLOAT, False, "decimal degrees", "49.84"),
        C("longitude", FLOAT, False, "decimal degrees", "24.03"),
    ),
    title="Recipients",
)

FAMILIES = Kind(
    "families",
    "family",
    Family,
    "families",
    ("code",),
    (
        C("code", CODE, True, "family code", "SPH-155"),
        C("name", TEXT, True, "family name", "155mm self-propelled howitzer"),
        C("capability_area", AREA, True, "capability area", "artillery"),
    ),
    title="Families",
)

ITEM_TYPES = Kind(
    "item-types",
    "item_type",
    ItemType,
    "item_types",
    ("code",),
    (
        C("code", CODE, True, "item type code", "PZH2000"),
        C("name", TEXT, True, "item type name", "PzH 2000"),
        C("family_code", CODE, True, "family the item belongs to", "SPH-155"),
        C("supply_class", enum_of(SupplyClass), True, "NATO supply class", "II"),
        C("unit_of_issue", CODE, False, "unit of issue (default EA)", "EA"),
        C("nsn", TEXT, False, "NATO Stock Number 1005-12-123-4567", ""),
        C("mass_kg", MEASURE, False, "mass per unit, kg", "55300"),
        C("volume_m3", MEASURE, False, "volume per unit, cubic metres", ""),
        C("reference_value_eur", UNIT_VALUE, False, "reference unit value, EUR", "7800000"),
        C("platform_code", CODE, False, "platform it is (its own code) or serves", "PZH2000"),
        C("outsize", BOOLEAN, False, "too big for a container: counts as outsize cargo", "true"),
    ),
    references=(("family_code", "families"), ("platform_code", "item-types")),
    title="Item types",
)

COMPATIBILITY = Kind(
    "compatibility",
    "compatibility",
    CompatibilityRule,
    "compatibility",
    ("item_type_code", "target_kind", "target_code"),
    (
        C("item_type_code", CODE, True, "item type", "AMM-155-HE"),
        C("target_kind", enum_of(TargetKind), True, "family or platform", "family"),
        C("target_code", CODE, True, "family code or platform item type code", "SPH-155"),
    ),
    references=(("item_type_code", "item-types"),),
    title="Compatibility rules",
)

REQUIREMENTS = Kind(
    "requirements",
    "requirement",
    Requirement,
    "requirements",
    ("ref",),
    (
        C("ref", CODE, True, "requirement reference", "UA-REQ-0001"),
        C("capability_area", AREA, True, "capability area", "artillery"),
        C("family_code", CODE, True, "family needed", "SPH-155"),
        C("quantity", QUANTITY, True, "units needed", "12"),
        C("priority", PRIORITY, True, "1 (highest) to 5", "1"),
        C("needed_by", DATE, True, "date needed", "2026-03-01"),
        C("destination_code", CODE, True, "recipient receiving it", "UA-DEP-LVIV"),
        C("status", enum_of(RequirementStatus), False, "status (default draft)", "approved"),
        C("unit", CODE, False, "unit of the quantity (default EA)", "EA"),
        C("platform_code", CODE, False, "only items for this platform will do", ""),
        C("description", TEXT, False, "free text", ""),
    ),
    references=(
        ("family_code", "families"),
        ("destination_code", "recipients"),
        ("platform_code", "item-types"),
    ),
    lifecycle="requirement",
    title="Requirements",
)

OFFERS = Kind(
    "offers",
    "offer",
    Offer,
    "offers",
    ("donor_code", "external_id"),
    (
        C("donor_code", CODE, True, "offering donor", "DEU"),
        C("external_id", CODE, True, "the donor's own reference, unique per donor", "DEU-OF-0001"),
        C("item_type_code", CODE, True, "item type offered", "PZH2000"),
        C("quantity", QUANTITY, True, "units offered", "4"),
        C("available_from", DATE, True, "first day the items can leave", "2026-02-01"),
        C("origin", CODE, True, "depot or hub the items leave from", "DEU"),
        C("condition", enum_of(Condition), False, "new or used (default new)", "used"),
        C("declared_value", VALUE, False, "value of the whole line in `currency`", "20000000"),
        C("currency", CURRENCY, False, "currency of the declared value (default EUR)", "EUR"),
        C("only_for_areas", AREAS, False, "donor condition: capability areas allowed", ""),
        C("status", enum_of(OfferStatus), False, "lifecycle status (default offered)", "offered"),
        C("delivered_on", EVENT_DATE, False, "delivery date: required once delivered", ""),
    ),
    references=(("donor_code", "donors"), ("item_type_code", "item-types")),
    lifecycle="offer",
    title="Offers",
    owner="donor_code",
)

PLEDGES = Kind(
    "pledges",
    "pledge",
    Pledge,
    "pledges",
    ("donor_code", "external_id"),
    (
        C("donor_code", CODE, True, "pledging donor", "NLD"),
        C("external_id", CODE, True, "the donor's own reference", "NLD-FIN-2025-01"),
        C("amount", MONEY, True, "amount in `currency`", "500000000"),
        C("currency", CURRENCY, True, "ISO 4217 code", "EUR"),
        C("year", YEAR, True, "year the money counts for", "2025"),
        C("pledged_on", DATE, True, "date of the pledge", "2025-02-12"),
        C("purpose", enum_of(Purpose), True, "what the money is for", "procurement"),
        C("status", enum_of(PledgeStatus), False, "pledge, commitment or disbursed", "pledge"),
        C("channel_code", CODE, False, "organisation the money flows through", ""),
        C("disbursed_on", EVENT_DATE, False, "date paid: required once disbursed", ""),
    ),
    references=(("donor_code", "donors"), ("channel_code", "donors")),
    lifecycle="pledge",
    title="Financial pledges",
    owner="donor_code",
)

FLEET = Kind(
    "fleet",
    "fleet",
    FleetEntry,
    "fleet",
    ("item_type_code", "recipient_code"),
    (
        C("item_type_code", CODE, True, "item type in service", "PZH2000"),
        C("recipient_code", CODE, True, "unit or depot operating it", "UA-ART-43"),
        C("quantity", COUNT, True, "units in service", "18"),
        C("as_of", EVENT_DATE, True, "date of the count", "2026-01-01"),
    ),
    references=(("item_type_code", "item-types"), ("recipient_code", "recipients")),
    title="Fleet in service",
)

BASELINES = Kind(
    "baselines",
    "baseline",
    PledgeBaseline,
    "baselines",
    ("year",),
    (
        C("year", YEAR, True, "year the baseline applies to", "2025"),
        C("amount", MONEY, True, "baseline amount", "40000000000"),
        C("currency", CURRENCY, True, "EUR (the baseline is set in euros)", "EUR"),
        C("participants_group", enum_of(Organisation), True, "NATO or EU", "NATO"),
        C("excluded", CODES, False, "donor codes not taking part, separated by ;", "HUN"),
        C("gdp_measure", TEXT, True, "GDP measure used for shares", "IMF WEO NGDPD"),
        C("gdp_year", YEAR, True, "year of the GDP figures used", "2024"),
        C(
            "counted_categories",
            CODES,
            True,
            "categories counted, separated by ;",
            "procurement;training;equipment",
        ),
        C("membership_date", DATE, True, "date membership is read on", "2025-12-31"),
        C("source", TEXT, True, "citation of the pledge", "Washington Summit Declaration"),
    ),
    references=(("excluded", "donors"),),
    title="Burden-sharing baselines",
)

NODES = Kind(
    "nodes",
    "node",
    Node,
    "nodes",
    ("code",),
    (
        C("code", CODE, True, "node code (a delivery point: its recipient's code)", "POL-HUB-1"),
        C("name", TEXT, True, "name", "Rzeszów-Jasionka logistics hub (POLLOG HUB)"),
        C("kind", enum_of(NodeKind), True, "depot, hub, border or delivery", "hub"),
        C("country", COUNTRY, True, "ISO 3166 alpha-3 country it is in", "POL"),
        C("latitude", LATITUDE, True, "decimal degrees north", "50.11"),
        C("longitude", LONGITUDE, True, "decimal degrees east", "22.02"),
        C("handling_t_per_day", TONNES_PER_DAY, False, "tonnes a day it can handle", "2000"),
    ),
    title="Logistics nodes",
)

LANES = Kind(
    "lanes",
    "lane",
    Lane,
    "lanes",
    ("code",),
    (
        C("code", CODE, True, "lane code", "POL-HUB-1_POL-BX-MEDYKA_road"),
        C("from_node", CODE, True, "node it leaves from", "POL-HUB-1"),
        C("to_node", CODE, True, "node it arrives at", "POL-BX-MEDYKA"),
        C("mode", enum_of(Mode), True, "rail, road, air or sea", "road"),
        C("transit_days", TRANSIT_DAYS, True, "days from leaving to arriving", "0.5"),
        C("capacity_t_per_day", TONNES_PER_DAY, True, "tonnes a day", "800"),
        C("outsize_per_day", COUNT, True, "outsize items a day (0: none fit)", "12"),
        C("cost_eur_per_t", COST_PER_TONNE, True, "cost per tonne carried, EUR", "45"),
    ),
    references=(("from_node", "nodes"), ("to_node", "nodes")),
    title="Logistics lanes",
)

# EU–NATO cooperation (domain/cooperation.py): the common proposals, the joint progress
# reports, each proposal's status per report; and the meetings register with its taskings.
PROPOSALS = Kind(
    "proposals",
    "proposal",
    Proposal,
    "proposals",
    ("id",),
    (
        C("id", CODE, True, "proposal id (the official texts number none: ours)", "2016-HYB-a"),
        C("set_year", YEAR, True, "year of the set it belongs to (2016 or 2017)", "2016"),
        C("strand", enum_of(Strand), True, "work strand", "hybrid"),
        C("text", TEXT, True, "what the proposal asks (paraphrased)", "Join the Hybrid CoE"),
        C("illustrative", BOOLEAN, False, "true: the text is not public, ours is a stand-in", ""),
        C("eu_lead", TEXT, False, "lead staff on the EU side", "EEAS"),
        C("nato_lead", TEXT, False, "lead staff on the NATO side", "NATO IS ESCD"),
        C("source", TEXT, False, "citation", "EEAS factsheet, June 2017"),
    ),
    title="EU–NATO common proposals",
    list_columns=("id", "strand", "text"),
)

PROGRESS_REPORTS = Kind(
    "progress-reports",
    "progress_report",
    ProgressReport,
    "progress_reports",
    ("number",),
    (
        C("number", COUNT, True, "report number", "8"),
        C("period_from", DATE, True, "first day covered", "2022-06-01"),
        C("period_to", DATE, True, "last day covered", "2023-05-31"),
        C("presented_on", DATE, True, "day presented to both Councils", "2023-06-16"),
        C("title", TEXT, False, "title", "Eighth progress report"),
        C("dates_note", TEXT, False, "which dates are verified or inferred", ""),
        C("source", TEXT, False, "citation", ""),
    ),
    title="EU–NATO progress reports",
)

PROPOSAL_PROGRESS = Kind(
    "proposal-progress",
    "proposal_progress",
    ProposalProgress,
    "proposal_progress",
    ("proposal_id", "report_number"),
    (
        C("proposal_id", CODE, True, "a proposal's id", "2016-HYB-a"),
        C("report_number", COUNT, True, "the progress report", "8"),
        C("status", enum_of(ProgressStatus), True, "status in that report", "in_progress"),
        C("narrative", TEXT, False, "short narrative of the progress", ""),
        C("evidence", TEXT, False, "where it is shown", ""),
        C("next_steps", TEXT, False, "next steps", ""),
    ),
    references=(("proposal_id", "proposals"), ("report_number", "progress-reports")),
    title="Proposal status per progress report",
)

MEETINGS = Kind(
    "meetings",
    "meeting",
    Meeting,
    "meetings",
    ("code",),
    (
        C("code", CODE, True, "meeting code", "UDCG-25"),
        C("format", enum_of(MeetingFormat), True, "format", "udcg"),
        C("held_on", DATE, True, "date", "2025-02-12"),
        C("title", TEXT, True, "title", "25th Ukraine Defense Contact Group"),
        C("chairs", TEXT, False, "chairs", "GBR; DEU"),
        C("participants", TEXT, False, "participants", "about 50 nations"),
        C("location", TEXT, False, "place", "NATO HQ, Brussels"),
    ),
    title="Meetings",
)

TASKINGS = Kind(
    "taskings",
    "tasking",
    Tasking,
    "taskings",
    ("meeting_code", "number"),
    (
        C("meeting_code", CODE, True, "meeting that decided it", "UDCG-25"),
        C("number", COUNT, True, "decision number within the meeting", "1"),
        C("decision", TEXT, True, "the decision and the tasking it gives", ""),
        C("owner", TEXT, True, "who must do it", "Air defence coalition"),
        C("due_on", DATE, True, "due date", "2025-04-01"),
        C("status", enum_of(TaskingStatus), False, "open, in_progress, done, cancelled", "open"),
        C("done_on", EVENT_DATE, False, "date done: required once done", ""),
        C("follow_up", TEXT, False, "follow-up notes", ""),
    ),
    references=(("meeting_code", "meetings"),),
    title="Decisions and taskings",
)

# Training and readiness (domain/training.py; docs/training-readiness.md).
COURSES = Kind(
    "courses",
    "course",
    Course,
    "courses",
    ("code",),
    (
        C("code", CODE, True, "course code", "EUMAM-PZH2000-CREW"),
        C("name", TEXT, True, "course name", "PzH 2000 crew"),
        C("skill", enum_of(Skill), True, "what it trains", "crew"),
        C("duration_weeks", DURATION_WEEKS, True, "length in weeks", "6"),
        C("provider_code", CODE, True, "donor giving the course", "DEU"),
        C("mission", enum_of(Mission), True, "EUMAM, NSATU or bilateral", "EUMAM"),
        C(
            "platform_code",
            CODE,
            False,
            "platform it trains for (crew courses: required)",
            "PZH2000",
        ),
        C("family_code", CODE, False, "family of platforms it trains for (instead)", ""),
        C("per_platform", PER_PLATFORM, False, "trainees per platform: crew size (0: none)", "5"),
        C("prerequisites", CODES, False, "course codes to pass first, separated by ;", ""),
    ),
    references=(
        ("provider_code", "donors"),
        ("platform_code", "item-types"),
        ("family_code", "families"),
        ("prerequisites", "courses"),
    ),
    title="Training courses",
)

SITES = Kind(
    "sites",
    "site",
    Site,
    "sites",
    ("code",),
    (
        C("code", CODE, True, "site code", "DEU-SITE-IDAR"),
        C("name", TEXT, True, "name", "Idar-Oberstein artillery school"),
        C("country", COUNTRY, True, "ISO 3166 alpha-3 country it is in", "DEU"),
        C("provider_code", CODE, True, "donor running the site", "DEU"),
    ),
    references=(("provider_code", "donors"),),
    title="Training sites",
)

INTAKES = Kind(
    "intakes",
    "intake",
    Intake,
    "intakes",
    ("code",),
    (
        C("code", CODE, True, "intake code", "PZH2000-CREW-2026-01"),
        C("course_code", CODE, True, "course it runs", "EUMAM-PZH2000-CREW"),
        C("site_code", CODE, True, "site it runs at", "DEU-SITE-IDAR"),
        C("start_date", DATE, True, "first day", "2026-01-12"),
        C("seats", SEATS, True, "places", "40"),
    ),
    references=(("course_code", "courses"), ("site_code", "sites")),
    title="Course intakes",
)

COHORTS = Kind(
    "cohorts",
    "cohort",
    Cohort,
    "cohorts",
    ("code",),
    (
        C("code", CODE, True, "cohort id", "UA-ART-1-C01"),
        C("unit_code", CODE, True, "recipient (unit) the cohort comes from", "UA-ART-1"),
        C("language_group", CODE, True, "language it trains in (uk, en, de...)", "uk"),
        C("size", SEATS, True, "people in the cohort", "40"),
        C("platform_code", CODE, False, "platform (course line) it trains for", "PZH2000"),
    ),
    references=(("unit_code", "recipients"), ("platform_code", "item-types")),
    title="Training cohorts",
)

TRAINING_RECORDS = Kind(
    "training-records",
    "training_record",
    TrainingRecord,
    "training_records",
    ("intake_code", "cohort_code"),
    (
        C("intake_code", CODE, True, "intake", "PZH2000-CREW-2026-01"),
        C("cohort_code", CODE, True, "cohort", "UA-ART-1-C01"),
        C("enrolled", SEATS, True, "trainees who started", "40"),
        C("graduated", COUNT, False, "trainees who passed (default 0)", "37"),
        C("failed", COUNT, False, "trainees who left or failed (default 0)", "1"),
    ),
    references=(("intake_code", "intakes"), ("cohort_code", "cohorts")),
    title="Training records",
)

FLEET_STATUS = Kind(
    "fleet-status",
    "fleet_status",
    FleetStatus,
    "fleet_status",
    ("item_type_code", "recipient_code", "as_of"),
    (
        C("item_type_code", CODE, True, "item type", "PZH2000"),
        C("recipient_code", CODE, True, "unit or depot holding it", "UA-ART-1"),
        C("as_of", EVENT_DATE, True, "date of the report", "2026-11-01"),
        C("operational", COUNT, True, "units ready for use", "14"),
        C("in_maintenance", COUNT, False, "units in maintenance or repair (default 0)", "3"),
        C("awaiting_parts", COUNT, False, "units waiting for spare parts (default 0)", "1"),
        C("lost", COUNT, False, "units destroyed or lost (default 0)", "2"),
    ),
    references=(("item_type_code", "item-types"), ("recipient_code", "recipients")),
    title="Fleet status reports",
)

# In dependency order: importing in this order never meets an unknown reference.
KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        DONORS,
        MEMBERSHIPS,
        GDP,
        RECIPIENTS,
        FAMILIES,
        ITEM_TYPES,
        COMPATIBILITY,
        REQUIREMENTS,
        OFFERS,
        PLEDGES,
        FLEET,
        BASELINES,
        NODES,
        LANES,
        PROPOSALS,
        PROGRESS_REPORTS,
        PROPOSAL_PROGRESS,
        MEETINGS,
        TASKINGS,
        COURSES,
        SITES,
        INTAKES,
        COHORTS,
        TRAINING_RECORDS,
        FLEET_STATUS,
    )
}


def kind_named(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise KeyError(f"unknown kind '{name}'; one of: {', '.join(KINDS)}") from None
