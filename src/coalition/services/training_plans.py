"""Training plans: cohorts scheduled onto course intakes so crews are ready when their platforms
arrive, stored as versioned records (coordination staff only), explained, accepted.

The scheduler (`planning/training`) is pure and counts in weeks from a day zero; this module
copies the ledger into its `Problem` (`prepare`), solves outside any transaction (`run`), stores
what it returned with dates, and rebuilds the problem from the stored document to explain a
line. The mapping, field by field, is in docs/training.md ("From the ledger to the scheduler").
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from coalition.domain.access import Principal
from coalition.domain.lifecycle import offer_meaning
from coalition.domain.matching import days_late
from coalition.domain.training import Course, Intake, graduation_date
from coalition.domain.training_need import equipment_date
from coalition.planning import training as tr
from coalition.registries.kinds import COHORTS, OFFERS, REQUIREMENTS, TRAINING_RECORDS
from coalition.services import logistics
from coalition.services.allocation import transit_table
from coalition.services.database import reading, writing
from coalition.services.errors import NotFound, ServiceError
from coalition.services.plan_versions import find_plan, mark_in_force, require_staff
from coalition.services.training import (
    fixed_transit_days,
    intakes_by_code,
    platform_families,
    records_of,
    visible_courses,
)
from coalition.storage.changelog import Change
from coalition.storage.training_plans import TRAINING_PLAN_ENTITY
from coalition.storage.unit_of_work import UnitOfWork

DEFAULT_HORIZON_WEEKS = 104
MAX_HORIZON_WEEKS = 260
MAX_TIME_LIMIT_S = 3600.0
UNASSIGNED_PRIORITY = 3  # a line no requirement of the allocation in force stands behind
ON_TIME, LATE, SHORT, NO_COURSE = "on time", "late", "short of crews", "no course"


@dataclass(frozen=True)
class LineSource:
    """Where a scheduler line comes from in the ledger, and its dates."""

    offer: str
    requirement: str | None
    item_type: str
    platforms: int
    crew_size: int
    eta: str  # ISO date the platforms arrive (or arrived)
    eta_from: str  # delivered | logistics plan N | available from + N transit days
    trainees_needed: int  # platforms × crew size


@dataclass(frozen=True)
class Basis:
    problem: tr.Problem
    day_zero: date
    sources: dict[str, LineSource]
    intake_dates: dict[str, str]  # intake → its start date (ISO)
    cohort_available: dict[str, str]  # cohort → the day it can start (ISO)
    cohort_trained: dict[str, str] = field(default_factory=dict)  # → its last graduation (ISO)
    without_course: tuple[tuple[str, str], ...] = ()  # (line, item type) no course crews
    spare_cohorts: tuple[str, ...] = ()  # cohorts no line of their platform needs
    allocation_plan_id: int | None = None
    logistics_plan_id: int | None = None


@dataclass(frozen=True)
class StoredTrainingPlan:
    id: int
    status: str
    day_zero: date
    horizon_weeks: int
    objective: float
    bound: float | None
    gap: float | None
    controllable_gap: float | None
    created_at: datetime
    created_by: str
    accepted_at: datetime | None
    superseded_by: int | None
    allocation_plan_id: int | None
    logistics_plan_id: int | None
    document: dict[str, Any] = field(repr=False)

    @property
    def state(self) -> str:
        if self.superseded_by is not None:
            return "superseded"
        return "accepted" if self.accepted_at is not None else "proposed"

    @property
    def summary(self) -> dict[str, Any]:
        summary: dict[str, Any] = self.document["summary"]
        return summary


def monday_of(day: date) -> date:
    """Day zero of a plan: the Monday of the week it is made in (the scheduler counts weeks)."""
    return day - timedelta(days=day.weekday())


def _week(day_zero: date, day: date) -> int:
    """The week (from day zero) a date falls in."""
    return (day - day_zero).days // 7


def _check_limits(horizon_weeks: int, time_limit: float) -> None:
    if not 1 <= horizon_weeks <= MAX_HORIZON_WEEKS:
        raise ServiceError(f"--horizon {horizon_weeks}: give 1 to {MAX_HORIZON_WEEKS} weeks")
    if not (0 < time_limit <= MAX_TIME_LIMIT_S and math.isfinite(time_limit)):
        raise ServiceError(f"--time-limit {time_limit}: give 0 to {MAX_TIME_LIMIT_S:g} seconds")


# --------------------------------------------------------------------------- the problem


def prepare(uow: UnitOfWork, day_zero: date, horizon_weeks: int = DEFAULT_HORIZON_WEEKS) -> Basis:
    """The scheduler's problem from the registries the principal sees (see docs/training.md)."""
    courses = visible_courses(uow)
    by_code = {c.code: c for c in courses}
    intakes = intakes_by_code(uow)
    plan_courses = tuple(
        tr.Course(c.code, c.duration_weeks, tuple(sorted(c.prerequisites)), str(c.skill),
                  c.provider_code, str(c.mission))
        for c in sorted(courses, key=lambda c: c.code)
    )  # fmt: skip
    plan_intakes, intake_dates = [], {}
    for i in sorted(intakes.values(), key=lambda i: (i.start_date, i.code)):
        week = _week(day_zero, i.start_date)
        if i.course_code in by_code and i.start_date >= day_zero and week < horizon_weeks:
            plan_intakes.append(tr.Intake(i.code, i.course_code, i.site_code, week, i.seats))
            intake_dates[i.code] = i.start_date.isoformat()
    lines, sources, without_course, ids = _lines(uow, courses, day_zero)
    cohorts, available, trained, spare = _cohorts(uow, lines, sources, intakes, by_code, day_zero)
    problem = tr.Problem(
        plan_courses, tuple(plan_intakes), tuple(lines), tuple(cohorts),
        tr.Parameters(horizon_weeks=horizon_weeks),
    )  # fmt: skip
    return Basis(
        problem, day_zero, sources, intake_dates, available, trained, without_course, spare, *ids
    )


def _lines(
    uow: UnitOfWork, courses: list[Course], day_zero: date
) -> tuple[list[tr.Line], dict[str, LineSource], tuple[tuple[str, str], ...], tuple[Any, Any]]:
    """One line per platform offer accepted or further along and each requirement the
    allocation in force sends it to (OFFER_KEY>REQUIREMENT_REF, as logistics names it), plus
    one line of its units no assignment covers (OFFER_KEY)."""
    platforms = platform_families(uow)
    requirements = {r["ref"]: r for r in uow.records(REQUIREMENTS).find()}
    in_force = uow.plans.in_force()
    assigned: dict[str, list[tuple[str, int]]] = defaultdict(list)
    if in_force is not None:
        for a in uow.plans.assignments(int(in_force["id"])):
            assigned[a["offer_key"]].append((a["requirement_ref"], round(a["quantity"])))
    logistics_id, routed = logistics.etas_in_force(uow)
    pairs = logistics.transit_days_in_force(uow)
    table = transit_table()
    crews: dict[str, list[Course]] = defaultdict(list)
    for c in courses:
        if c.platform_code is not None:
            crews[c.platform_code].append(c)
    lines, sources, without = [], {}, []
    for offer in uow.records(OFFERS).find():
        item = offer["item_type_code"]
        if item not in platforms or not offer_meaning(offer["status"]).accepted:
            continue
        key = OFFERS.key_of(offer)
        parts: list[tuple[str, str | None, int]] = [
            (f"{key}{logistics.LINE_SEPARATOR}{ref}", ref, n)
            for ref, n in assigned.get(key, [])
            if n > 0
        ]
        rest = int(offer["quantity"]) - sum(n for _, _, n in parts)
        if rest > 0:
            parts.append((key, None, rest))
        for line_id, ref, units in parts:
            need = requirements.get(ref) if ref else None
            destination = need["destination_code"] if need else None
            days = pairs.get((offer["origin"], destination or ""))
            days = fixed_transit_days(offer["origin"], table) if days is None else days
            eta = equipment_date(offer["status"], offer["available_from"], days,
                                 offer["delivered_on"], routed.get(line_id))  # fmt: skip
            if eta is None:
                continue
            if offer_meaning(offer["status"]).arrived and offer["delivered_on"]:
                eta_from = "delivered"
            elif line_id in routed:
                eta_from = f"logistics plan {logistics_id}"
            else:
                eta_from = f"available from + {days} transit days"
            own = crews.get(item, [])
            if not own:
                without.append((line_id, item))
                continue
            crew = max(c.per_platform for c in own)
            priority = int(need["priority"]) if need else UNASSIGNED_PRIORITY
            lines.append(
                tr.Line(line_id, max(0, _week(day_zero, eta)), priority, crew,
                        tuple(sorted(c.code for c in own)), units)
            )  # fmt: skip
            sources[line_id] = LineSource(
                key, ref, item, units, crew, eta.isoformat(), eta_from, units * crew
            )
    ids = (None if in_force is None else int(in_force["id"]), logistics_id)
    return lines, sources, tuple(without), ids


def _cohorts(
    uow: UnitOfWork,
    lines: list[tr.Line],
    sources: dict[str, LineSource],
    intakes: dict[str, Intake],
    courses: dict[str, Course],
    day_zero: date,
) -> tuple[list[tr.Cohort], dict[str, str], dict[str, str], tuple[str, ...]]:
    """Cohorts of the registry that train for a platform, each on the earliest line of its
    platform still short of trainees. A course a cohort passed (graduates, nobody still in
    training) is completed; one it is still on is completed at the intake's graduation, and
    the cohort is available from then."""
    done: dict[str, set[str]] = defaultdict(set)
    free: dict[str, date] = {}
    graduated: dict[str, date] = {}  # the day a cohort finished its last course
    for record in records_of(uow, TRAINING_RECORDS):
        intake = intakes.get(record.intake_code)
        course = courses.get(intake.course_code) if intake else None
        if intake is None or course is None:
            continue
        end = graduation_date(intake.start_date, course.duration_weeks)
        if record.in_training or record.graduated:
            done[record.cohort_code].add(course.code)
            graduated[record.cohort_code] = max(end, graduated.get(record.cohort_code, end))
        if record.in_training:
            free[record.cohort_code] = max(end, free.get(record.cohort_code, end))
    waiting: dict[str, list[tr.Line]] = defaultdict(list)
    for line in sorted(lines, key=lambda ln: (ln.eta_week, ln.priority, ln.id)):
        waiting[sources[line.id].item_type].append(line)
    seated: dict[str, int] = defaultdict(int)
    cohorts, available, spare = [], {}, []
    found = records_of(uow, COHORTS)
    for k in sorted(found, key=lambda k: (free.get(k.code, day_zero), k.code)):
        if k.platform_code is None:
            continue  # trains for no platform line (language, medics, maintainers)
        open_lines = [ln for ln in waiting.get(k.platform_code, [])
                      if seated[ln.id] < sources[ln.id].trainees_needed]  # fmt: skip
        if not open_lines:
            spare.append(k.code)
            continue
        line = open_lines[0]
        seated[line.id] += k.size
        start = max(day_zero, free.get(k.code, day_zero))
        available[k.code] = start.isoformat()
        cohorts.append(
            tr.Cohort(k.code, line.id, k.size, k.language_group,
                      completed=frozenset(done.get(k.code, ())),
                      available_week=-(-(start - day_zero).days // 7))
        )  # fmt: skip
    trained = {k.id: graduated[k.id].isoformat() for k in cohorts if k.id in graduated}
    return cohorts, available, trained, tuple(spare)


# --------------------------------------------------------------------------- run and store


def check_run(principal: Principal, horizon_weeks: int, time_limit: float) -> None:
    """Whether `principal` may run a plan of these bounds (before anything is read or queued:
    the background job checks it on submission, `run` before it reads)."""
    require_staff(principal, TRAINING_PLAN_ENTITY, "plan training")
    _check_limits(horizon_weeks, time_limit)


def solve(basis: Basis, time_limit: float) -> tr.TrainingPlan:
    """The scheduler on the inputs `prepare` read, outside any transaction."""
    return tr.schedule(basis.problem, time_limit=time_limit)


def run(
    principal: Principal,
    time_limit: float = 30.0,
    engine: Engine | None = None,
    day_zero: date | None = None,
    horizon_weeks: int = DEFAULT_HORIZON_WEEKS,
) -> StoredTrainingPlan:
    """Read, schedule outside any transaction, and store the plan as a new proposed version."""
    check_run(principal, horizon_weeks, time_limit)
    start = monday_of(day_zero or date.today())
    with reading(principal, engine) as uow:
        basis = prepare(uow, start, horizon_weeks)
    plan = solve(basis, time_limit)
    with writing(principal, engine) as uow:
        stored = store(uow, basis, plan)
        uow.commit()
    return stored


def store(uow: UnitOfWork, basis: Basis, plan: tr.TrainingPlan) -> StoredTrainingPlan:
    """Store a plan (never overwriting one) and log it; the caller commits."""
    document = _document(basis, plan)
    record = {
        "created_at": datetime.now(UTC),
        "created_by": uow.actor,
        "status": str(plan.status),
        "day_zero": basis.day_zero,
        "horizon_weeks": basis.problem.parameters.horizon_weeks,
        "objective": plan.objective,
        "bound": plan.bound,
        "gap": plan.gap,
        "controllable_gap": plan.controllable_gap,
        "seconds": sum(plan.seconds.values()),
        "allocation_plan_id": basis.allocation_plan_id,
        "logistics_plan_id": basis.logistics_plan_id,
        "document": json.dumps(document, sort_keys=True),
    }
    plan_id = uow.training_plans.insert(record)
    logged = {k: v for k, v in record.items() if k not in ("document", "created_at")}
    logged.update(document["summary"], day_zero=basis.day_zero.isoformat())
    uow.changes.record([Change(TRAINING_PLAN_ENTITY, str(plan_id), "create", None, logged)])
    row = uow.training_plans.get(plan_id)
    assert row is not None
    return _stored(row)


def _document(basis: Basis, plan: tr.TrainingPlan) -> dict[str, Any]:
    problem = basis.problem
    durations = {c.id: c.duration_weeks for c in problem.courses}
    starts = basis.intake_dates

    def ready(s: tr.CohortSchedule) -> str | None:
        """The day a scheduled cohort graduates from its last course (its real dates)."""
        if s.ready_week is None:
            return None
        pairs = zip(s.intakes, _intake_courses(problem, s.intakes), strict=True)
        ends = [graduation_date(date.fromisoformat(starts[i]), durations[c]) for i, c in pairs]
        # Nothing left to take: ready since its last graduation (or from when it is available).
        done = basis.cohort_trained.get(s.cohort) or basis.cohort_available[s.cohort]
        return max(ends, default=date.fromisoformat(done)).isoformat()

    schedules: list[dict[str, Any]] = [
        {
            "cohort": s.cohort,
            "line": s.line,
            "intakes": [
                {"intake": i, "course": c, "start": starts[i]}
                for i, c in zip(s.intakes, _intake_courses(problem, s.intakes), strict=True)
            ],
            "ready": ready(s),
            "weeks_late": s.weeks_late,
            "cost": s.cost,
        }
        for s in plan.schedules
    ]
    cohorts_of: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in schedules:
        cohorts_of[row["line"]].append(row)
    unmet_of: dict[str, list[str]] = defaultdict(list)
    for u in plan.unmet:
        unmet_of[u.line].append(f"cohort {u.cohort}: {u.text}")
    size = {k.id: k.size for k in problem.cohorts}
    lines = []
    for r in plan.lines:
        source = basis.sources[r.line]
        mine = cohorts_of.get(r.line, [])
        named = sum(size[row["cohort"]] for row in mine)
        reasons = list(unmet_of.get(r.line, []))
        unnamed = max(0, source.trainees_needed - named)
        if unnamed:
            platforms = math.ceil(unnamed / source.crew_size)
            reasons.append(
                f"{unnamed} of {source.trainees_needed} trainees ({platforms} platforms) are in "
                f"no cohort of the cohorts registry for {source.item_type}"
            )
        dates = [row["ready"] for row in mine]
        crew_ready = None if not dates or None in dates else max(dates)
        late = _days_late(crew_ready, source.eta)
        unmet_platforms = r.platforms_unmet + unnamed / source.crew_size
        state = SHORT if reasons or crew_ready is None else (LATE if late else ON_TIME)
        lines.append({
            "line": r.line, **asdict(source), "priority": r.priority, "state": state,
            "crew_ready": crew_ready, "days_late": late, "weeks_late": r.weeks_late,
            "cohorts": [row["cohort"] for row in mine], "trainees_in_cohorts": named,
            "platforms_trained": r.platforms_trained, "platforms_unmet": unmet_platforms,
            "equipment_idle_platform_weeks": r.equipment_idle_platform_weeks,
            "crews_idle_platform_weeks": r.crews_idle_platform_weeks, "unmet": reasons,
        })  # fmt: skip
    for line_id, item in basis.without_course:
        why = f"no course in the courses registry trains crews for {item}"
        lines.append({"line": line_id, "item_type": item, "state": NO_COURSE, "unmet": [why]})
    lines.sort(key=lambda ln: ln["line"])
    summary = {
        "lines": len(lines),
        "on_time": sum(1 for ln in lines if ln["state"] == ON_TIME),
        "late": sum(1 for ln in lines if ln["state"] == LATE),
        "short": sum(1 for ln in lines if ln["state"] == SHORT),
        "no_course": sum(1 for ln in lines if ln["state"] == NO_COURSE),
        "platforms_unmet": sum(ln.get("platforms_unmet", 0.0) for ln in lines),
        "cohorts": len(problem.cohorts),
        "cohorts_unscheduled": len(plan.unmet),
        "spare_cohorts": len(basis.spare_cohorts),
        "equipment_idle_platform_weeks": sum(r.equipment_idle_platform_weeks for r in plan.lines),
        "crews_idle_platform_weeks": sum(r.crews_idle_platform_weeks for r in plan.lines),
    }
    return {
        "summary": summary,
        "lines": lines,
        "schedules": schedules,
        "unmet": [asdict(u) | {"reason": str(u.reason)} for u in plan.unmet],
        "spare_cohorts": list(basis.spare_cohorts),
        "messages": list(plan.messages),
        "method": plan.method,
        "empty_objective": plan.empty_objective,
        "seconds": plan.seconds,
        "problem": _problem_json(problem),
        "cohort_available": basis.cohort_available,
        "intake_dates": basis.intake_dates,
        "sources": {k: asdict(v) for k, v in basis.sources.items()},
    }


def _days_late(ready: str | None, eta: str) -> int:
    """Days crews graduate after their platforms arrive (0: on time, or not ready at all)."""
    return 0 if ready is None else days_late(date.fromisoformat(ready), date.fromisoformat(eta))


def _intake_courses(problem: tr.Problem, intakes: tuple[str, ...]) -> list[str]:
    course = {i.id: i.course for i in problem.intakes}
    return [course[i] for i in intakes]


def _problem_json(problem: tr.Problem) -> dict[str, Any]:
    def plain(value: Any) -> Any:
        return sorted(value) if isinstance(value, frozenset) else value

    return {
        name: [{k: plain(v) for k, v in asdict(x).items()} for x in getattr(problem, name)]
        for name in ("courses", "intakes", "lines", "cohorts")
    } | {"horizon_weeks": problem.parameters.horizon_weeks}


def _problem_from(document: dict[str, Any]) -> tr.Problem:
    p = document["problem"]
    return tr.Problem(
        tuple(tr.Course(**c | {"prerequisites": tuple(c["prerequisites"])}) for c in p["courses"]),
        tuple(tr.Intake(**i | {"languages": frozenset(i["languages"])}) for i in p["intakes"]),
        tuple(tr.Line(**ln | {"courses": tuple(ln["courses"])}) for ln in p["lines"]),
        tuple(tr.Cohort(**k | {"completed": frozenset(k["completed"]),
                               "chain": None if k["chain"] is None else tuple(k["chain"])})
              for k in p["cohorts"]),
        tr.Parameters(horizon_weeks=int(p["horizon_weeks"])),
    )  # fmt: skip


def _plan_from(stored: StoredTrainingPlan, problem: tr.Problem) -> tr.TrainingPlan:
    """The scheduler's plan as `explain` reads it: the schedules and line figures stored."""
    d = stored.document
    schedules = tuple(
        tr.CohortSchedule(s["cohort"], s["line"], tuple(i["intake"] for i in s["intakes"]),
                          None if s["ready"] is None else _ready_week(problem, s),
                          s["weeks_late"], s["cost"])
        for s in d["schedules"]
    )  # fmt: skip
    eta = {ln.id: ln.eta_week for ln in problem.lines}
    ready: dict[str, list[int | None]] = defaultdict(list)
    for s in schedules:
        ready[s.line].append(s.ready_week)
    reports = tuple(
        tr.LineReport(ln.id, eta[ln.id], ln.priority,
                      None if not ready[ln.id] or None in ready[ln.id]
                      else max(w for w in ready[ln.id] if w is not None),
                      None, 0.0, 0.0, 0.0, 0.0)
        for ln in problem.lines
    )  # fmt: skip
    unmet = tuple(
        tr.Unmet(u["cohort"], u["line"], tr.UnmetReason(u["reason"]), u["text"]) for u in d["unmet"]
    )
    return tr.TrainingPlan(
        tr.PlanStatus(stored.status), d["method"], stored.objective, stored.bound,
        float(d["empty_objective"]), schedules, reports, unmet,
    )  # fmt: skip


def _ready_week(problem: tr.Problem, schedule: dict[str, Any]) -> int:
    starts = {i.id: (i.start_week, i.course) for i in problem.intakes}
    durations = {c.id: c.duration_weeks for c in problem.courses}
    available = {k.id: k.available_week for k in problem.cohorts}
    ends = [starts[i["intake"]][0] + durations[starts[i["intake"]][1]]
            for i in schedule["intakes"]]  # fmt: skip
    return max(ends, default=available[schedule["cohort"]])


def _stored(row: dict[str, Any]) -> StoredTrainingPlan:
    return StoredTrainingPlan(
        id=int(row["id"]),
        status=row["status"],
        day_zero=row["day_zero"],
        horizon_weeks=int(row["horizon_weeks"]),
        objective=float(row["objective"]),
        bound=row["bound"],
        gap=row["gap"],
        controllable_gap=row["controllable_gap"],
        created_at=row["created_at"],
        created_by=row["created_by"],
        accepted_at=row["accepted_at"],
        superseded_by=row["superseded_by"],
        allocation_plan_id=row["allocation_plan_id"],
        logistics_plan_id=row["logistics_plan_id"],
        document=json.loads(row["document"]),
    )


# --------------------------------------------------------------------------- read and decide


def get_plan(uow: UnitOfWork, plan_id: int) -> StoredTrainingPlan:
    return _stored(
        find_plan(uow.training_plans, plan_id, "training plan", "coalition training plans")
    )


def list_plans(
    uow: UnitOfWork, limit: int = 50, offset: int = 0
) -> tuple[list[StoredTrainingPlan], int]:
    """Stored training plans, newest first, and how many the principal may see in all."""
    if not 1 <= limit <= 1000 or offset < 0:
        raise ServiceError("--limit must be 1 to 1000 and --offset zero or more")
    found = uow.training_plans
    return [_stored(r) for r in found.newest(limit, offset)], found.count()


def accept(uow: UnitOfWork, plan_id: int) -> StoredTrainingPlan:
    """Accept a training plan: it supersedes the one in force."""
    stored = get_plan(uow, plan_id)  # first: a plan the principal may not see is a 404
    require_staff(uow.principal, TRAINING_PLAN_ENTITY, "accept training plans")
    if stored.state != "proposed":
        raise ServiceError(f"training plan {plan_id} was already decided ({stored.state})")
    if stored.status not in (str(s) for s in (tr.PlanStatus.OPTIMAL, tr.PlanStatus.FEASIBLE,
                                               tr.PlanStatus.GREEDY)):  # fmt: skip
        raise ServiceError(f"training plan {plan_id} is {stored.status}: it cannot be accepted")
    mark_in_force(uow, uow.training_plans, plan_id)
    uow.commit()
    return get_plan(uow, plan_id)


def in_force(uow: UnitOfWork) -> StoredTrainingPlan | None:
    """The accepted training plan in force, when the principal may see one."""
    row = uow.training_plans.in_force()
    return None if row is None else _stored(row)


def plan_in_view(uow: UnitOfWork, plan_id: int | None) -> StoredTrainingPlan:
    """The plan asked for; without an id, the plan in force, else the newest."""
    if plan_id is not None:
        return get_plan(uow, plan_id)
    row = uow.training_plans.in_force() or next(iter(uow.training_plans.newest(1)), None)
    if row is None:
        raise NotFound("no training plan yet: run `coalition training plan`")
    return _stored(row)


def explain(uow: UnitOfWork, line_id: str, plan_id: int | None = None) -> dict[str, Any]:
    """Why a line's crews are ready when they are, per cohort, in dates."""
    stored = plan_in_view(uow, plan_id)
    lines = {ln["line"]: ln for ln in stored.document["lines"]}
    if line_id not in lines:
        raise NotFound(
            f"line {line_id!r} is not in training plan {stored.id} "
            f"(`coalition training show {stored.id}` lists its lines)"
        )
    line = lines[line_id]
    problem = _problem_from(stored.document)
    if line_id not in {ln.id for ln in problem.lines}:
        return {"plan_id": stored.id, "line": line_id, "summary": "; ".join(line["unmet"]),
                "cohorts": [], "unmet": line["unmet"]}  # fmt: skip
    why = tr.explain(problem, _plan_from(stored, problem), line_id)
    ready = {s["cohort"]: s["ready"] for s in stored.document["schedules"]}
    start = {i.id: stored.document["intake_dates"][i.id] for i in problem.intakes}

    def on(week: int | None) -> str | None:
        return None if week is None else (stored.day_zero + timedelta(weeks=week)).isoformat()

    cohorts = []
    for r in why.cohorts:
        if r.code == "on_time":
            text = f"ready {ready.get(r.cohort)}, before the platforms arrive"
        elif r.code == "intake_dates":
            text = (f"no schedule graduates earlier (about {on(r.earliest_possible_week)}): the "
                    f"binding course is {r.binding_course}, intake {r.binding_intake} starting "
                    f"{start.get(r.binding_intake or '')}")  # fmt: skip
        elif r.code == "seats_taken":
            text = (f"a schedule graduating about {on(r.earliest_possible_week)} exists, but "
                    f"intake {r.binding_intake} ({r.binding_course}, starting "
                    f"{start.get(r.binding_intake or '')}) is full"
                    + (f": its seats went to higher-priority lines {', '.join(r.taken_by)}"
                       if r.taken_by else ""))  # fmt: skip
        else:
            text = r.text
        cohorts.append({
            "cohort": r.cohort, "code": r.code, "ready": ready.get(r.cohort),
            "earliest_possible": on(r.earliest_possible_week), "binding_course": r.binding_course,
            "binding_intake": r.binding_intake, "taken_by": list(r.taken_by),
            "days_late": _days_late(ready.get(r.cohort), line["eta"]),
            "text": text,
        })  # fmt: skip
    when = line["crew_ready"] or "not all ready within the plan"
    summary = (
        f"line {line_id}: platforms arrive {line['eta']}, crews ready {when} ({line['state']})"
    )
    return {"plan_id": stored.id, "line": line_id, "eta": line["eta"],
            "crew_ready": line["crew_ready"], "state": line["state"], "summary": summary,
            "cohorts": cohorts, "unmet": line["unmet"]}  # fmt: skip


def plan_summary(stored: StoredTrainingPlan) -> dict[str, Any]:
    """A stored plan's headline as plain data: what `training plans` and an API list show."""
    return {
        "id": stored.id,
        "state": stored.state,
        "status": stored.status,
        "day_zero": stored.day_zero.isoformat(),
        "horizon_weeks": stored.horizon_weeks,
        "objective": stored.objective,
        "bound": stored.bound,
        "gap": stored.gap,
        "controllable_gap": stored.controllable_gap,
        "created_at": stored.created_at.isoformat(),
        "created_by": stored.created_by,
        "accepted_at": None if stored.accepted_at is None else stored.accepted_at.isoformat(),
        "superseded_by": stored.superseded_by,
        "allocation_plan_id": stored.allocation_plan_id,
        "logistics_plan_id": stored.logistics_plan_id,
        **stored.summary,
    }


def plan_figures(stored: StoredTrainingPlan) -> dict[str, Any]:
    """A plan as `--json` shows it: the headline, every line, every cohort's schedule."""
    d = stored.document
    return {
        **plan_summary(stored),
        "lines": d["lines"],
        "schedules": d["schedules"],
        "unmet": d["unmet"],
        "spare_cohorts": d["spare_cohorts"],
        "messages": d["messages"],
    }
