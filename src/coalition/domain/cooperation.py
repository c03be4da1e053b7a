"""EU–NATO cooperation and the meetings register: common proposals, progress reports, each
proposal's status per report, meetings and the taskings their decisions hand out.

The rules that every report and command share live here: which strands exist and their
published titles, which statuses a proposal may have, which progress reports a period covers,
and when a tasking is overdue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from coalition.domain import checks
from coalition.domain.errors import InvalidValue
from coalition.domain.markings import DEFAULT_MARKING, check_marking


class Strand(StrEnum):
    """Work strands of the common set of proposals: the seven areas of the 2016 Warsaw
    declaration, the topics the 2017 set added, and the strands of the 2023 declaration."""

    HYBRID = "hybrid"
    OPERATIONAL = "operational"
    CYBER = "cyber"
    CAPABILITIES = "capabilities"
    INDUSTRY = "industry"
    EXERCISES = "exercises"
    CAPACITY_BUILDING = "capacity_building"
    MILITARY_MOBILITY = "military_mobility"
    COUNTER_TERRORISM = "counter_terrorism"
    WOMEN_PEACE_SECURITY = "women_peace_security"
    POLITICAL_DIALOGUE = "political_dialogue"
    RESILIENCE = "resilience"
    SPACE = "space"
    EDT = "edt"
    CLIMATE = "climate"


STRAND_TITLES: dict[Strand, str] = {
    Strand.HYBRID: "Countering hybrid threats",
    Strand.OPERATIONAL: "Operational cooperation including maritime issues",
    Strand.CYBER: "Cyber security and defence",
    Strand.CAPABILITIES: "Defence capabilities",
    Strand.INDUSTRY: "Defence industry and research",
    Strand.EXERCISES: "Exercises",
    Strand.CAPACITY_BUILDING: "Defence and security capacity building of partners",
    Strand.MILITARY_MOBILITY: "Military mobility",
    Strand.COUNTER_TERRORISM: "Counter-terrorism",
    Strand.WOMEN_PEACE_SECURITY: "Women, peace and security",
    Strand.POLITICAL_DIALOGUE: "Political dialogue",
    Strand.RESILIENCE: "Resilience",
    Strand.SPACE: "Space",
    Strand.EDT: "Emerging and disruptive technologies",
    Strand.CLIMATE: "Climate and defence",
}


class ProgressStatus(StrEnum):
    """A proposal's state in one progress report."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    ADVANCED = "advanced"
    COMPLETED = "completed"  # implemented; further work is routine
    STALLED = "stalled"


class MeetingFormat(StrEnum):
    NATO_DEFMIN = "nato_defmin"  # NATO defence ministers
    PSC_NAC = "psc_nac"  # EU Political and Security Committee with the North Atlantic Council
    UDCG = "udcg"  # Ukraine Defense Contact Group
    EU_FAC = "eu_fac"  # EU Foreign Affairs Council (defence)
    STAFF = "staff"  # EU–NATO staff-to-staff
    OTHER = "other"


FORMAT_TITLES: dict[MeetingFormat, str] = {
    MeetingFormat.NATO_DEFMIN: "NATO defence ministers",
    MeetingFormat.PSC_NAC: "PSC–NAC",
    MeetingFormat.UDCG: "Ukraine Defense Contact Group",
    MeetingFormat.EU_FAC: "EU Foreign Affairs Council (defence)",
    MeetingFormat.STAFF: "EU–NATO staff",
    MeetingFormat.OTHER: "other",
}


class TaskingStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


CLOSED_TASKINGS = frozenset({TaskingStatus.DONE, TaskingStatus.CANCELLED})


@dataclass(frozen=True, slots=True)
class Proposal:
    """One common proposal. `illustrative`: its text is not public, so the demo's text is a
    stand-in (reports say so)."""

    id: str
    set_year: int
    strand: Strand
    text: str
    illustrative: bool = False
    eu_lead: str = ""  # lead staff on the EU side (EEAS, Commission DG, EDA ...)
    nato_lead: str = ""  # lead staff on the NATO side (IS division, IMS ...)
    source: str = ""
    marking: str = DEFAULT_MARKING

    def __post_init__(self) -> None:
        check_marking("marking", self.marking)
        checks.code("id", self.id)
        checks.year("set_year", self.set_year)
        checks.one_of("strand", self.strand, tuple(Strand))
        checks.text("text", self.text, max_length=1000)
        checks.optional_text("eu_lead", self.eu_lead, max_length=200)
        checks.optional_text("nato_lead", self.nato_lead, max_length=200)
        checks.optional_text("source", self.source, max_length=2000)


@dataclass(frozen=True, slots=True)
class ProgressReport:
    """A joint progress report and the period it covers (first and last day)."""

    number: int
    period_from: date
    period_to: date
    presented_on: date
    title: str = ""
    dates_note: str = ""  # what of the dates is verified, inferred or approximated
    source: str = ""
    marking: str = DEFAULT_MARKING

    def __post_init__(self) -> None:
        check_marking("marking", self.marking)
        checks.COUNT("number", self.number)
        checks.is_date("period_from", self.period_from)
        checks.is_date("period_to", self.period_to)
        checks.is_date("presented_on", self.presented_on)
        if self.period_to < self.period_from:
            raise InvalidValue("period_to", self.period_to, "must not be before period_from")
        checks.optional_text("title", self.title, max_length=200)
        checks.optional_text("dates_note", self.dates_note, max_length=500)
        checks.optional_text("source", self.source, max_length=2000)


@dataclass(frozen=True, slots=True)
class ProposalProgress:
    """A proposal's status in one progress report, with the evidence and a short narrative."""

    proposal_id: str
    report_number: int
    status: ProgressStatus
    narrative: str = ""
    evidence: str = ""  # where the status is shown (a report's paragraph, a document)
    next_steps: str = ""
    marking: str = DEFAULT_MARKING

    def __post_init__(self) -> None:
        check_marking("marking", self.marking)
        checks.code("proposal_id", self.proposal_id)
        checks.COUNT("report_number", self.report_number)
        checks.one_of("status", self.status, tuple(ProgressStatus))
        checks.optional_text("narrative", self.narrative, max_length=2000)
        checks.optional_text("evidence", self.evidence, max_length=1000)
        checks.optional_text("next_steps", self.next_steps, max_length=1000)


@dataclass(frozen=True, slots=True)
class Meeting:
    code: str
    format: MeetingFormat
    held_on: date
    title: str
    chairs: str = ""
    participants: str = ""
    location: str = ""
    marking: str = DEFAULT_MARKING

    def __post_init__(self) -> None:
        check_marking("marking", self.marking)
        checks.code("code", self.code)
        checks.one_of("format", self.format, tuple(MeetingFormat))
        checks.is_date("held_on", self.held_on)
        checks.text("title", self.title, max_length=300)
        checks.optional_text("chairs", self.chairs, max_length=300)
        checks.optional_text("participants", self.participants, max_length=2000)
        checks.optional_text("location", self.location, max_length=200)


@dataclass(frozen=True, slots=True)
class Tasking:
    """A decision of a meeting and the tasking it gives an owner, due on a date."""

    meeting_code: str
    number: int
    decision: str
    owner: str
    due_on: date
    status: TaskingStatus = TaskingStatus.OPEN
    done_on: date | None = None
    follow_up: str = ""
    marking: str = DEFAULT_MARKING

    def __post_init__(self) -> None:
        check_marking("marking", self.marking)
        checks.code("meeting_code", self.meeting_code)
        checks.COUNT("number", self.number)
        checks.text("decision", self.decision, max_length=1000)
        checks.text("owner", self.owner, max_length=200)
        checks.is_date("due_on", self.due_on)
        checks.one_of("status", self.status, tuple(TaskingStatus))
        checks.EVENT_DATES.optional("done_on", self.done_on)
        if self.status is TaskingStatus.DONE and self.done_on is None:
            raise InvalidValue("done_on", self.done_on, "required once a tasking is done")
        checks.optional_text("follow_up", self.follow_up, max_length=2000)


def is_overdue(status: TaskingStatus | str, due_on: date, on: date) -> bool:
    """A tasking still open (or in progress) after its due date."""
    return TaskingStatus(status) not in CLOSED_TASKINGS and due_on < on


def days_overdue(due_on: date, on: date) -> int:
    return max(0, (on - due_on).days)


def overlaps(first: date, last: date, period_from: date, period_to: date) -> bool:
    """Does the period [first, last] share a day with [period_from, period_to]?"""
    return first <= period_to and period_from <= last
