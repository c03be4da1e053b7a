"""The ministerial brief: every figure it shows, computed here from the services that own
them, for the unit of work's principal (need-to-know), and stored so the next brief for the
same audience can show what changed.

One home per figure: coverage is `services.coverage.coverage_rows` (`coalition status
--json`), burden-sharing `services.burden.report` (`coalition burden --json`), taskings
`services.cooperation.overdue_taskings`; the gaps and deliveries are computed here and printed
by `coalition report brief --json`. The PDF, the HTML and the web dashboard render this data.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from coalition.domain import checks
from coalition.domain.access import may_see_aggregate
from coalition.domain.lifecycle import offer_meaning
from coalition.domain.markings import DEFAULT_MARKING
from coalition.domain.requirements import COUNTED_REQUIREMENT_STATES
from coalition.registries.kinds import (
    BASELINES,
    COMPATIBILITY,
    FAMILIES,
    ITEM_TYPES,
    OFFERS,
    REQUIREMENTS,
)
from coalition.services import burden, cooperation, coverage, planners
from coalition.services.errors import ServiceError
from coalition.storage.briefs import BRIEF_ENTITY
from coalition.storage.changelog import Change
from coalition.storage.unit_of_work import UnitOfWork

TOP_GAPS = 10
OFFERS_PER_GAP = 3
BELOW_SHARE_SHOWN = 3
DEFAULT_DAYS = 182  # a brief covers about six months unless told


def default_period(today: date | None = None) -> tuple[date, date]:
    last = today or checks.today()
    return last - timedelta(days=DEFAULT_DAYS), last


def baseline_year(uow: UnitOfWork, last: date) -> int:
    """The newest burden-sharing baseline not after the period's end (else the oldest)."""
    years = sorted(int(r["year"]) for r in uow.records(BASELINES).find())
    if not years:
        raise ServiceError("no burden-sharing baseline: import one (coalition import baselines)")
    before = [y for y in years if y <= last.year]
    return before[-1] if before else years[0]


def figures(
    uow: UnitOfWork, first: date, last: date, year: int | None = None, marking: str | None = None
) -> dict[str, Any]:
    """Every figure of the brief for [first, last], as the principal may see it."""
    if last < first:
        raise ServiceError(f"--period {first}..{last} ends before it starts")
    principal = uow.principal
    year = year if year is not None else baseline_year(uow, last)
    rows = coverage.coverage_rows(uow)
    burden_data = burden.as_dict(burden.report(uow, year))
    previous = uow.briefs.latest()
    data: dict[str, Any] = {
        "title": "Ministerial brief",
        "marking": marking or DEFAULT_MARKING,
        "period": {"from": first.isoformat(), "to": last.isoformat()},
        "prepared_for": {
            "user": principal.user,
            "role": str(principal.role),
            "donor": principal.donor_code,
        },
        "coverage": {
            "rows": [r.as_dict() for r in rows],
            "previous": _previous_coverage(previous, rows),
        },
        "gaps": critical_gaps(uow, burden_data),
        "deliveries": deliveries(uow, first, last),
        "logistics": _section(planners.logistics(uow, first, last), "logistics"),
        "training": _section(planners.training(uow, first, last), "training"),
        "readiness": _section(planners.readiness(uow, last), "readiness"),
        "burden": _burden_section(burden_data),
        "taskings": {
            "overdue": cooperation.overdue_taskings(uow),
            "as_of": checks.today().isoformat(),
        },
    }
    from coalition.reports.brief_text import summaries

    data["summaries"] = summaries(data)
    return data


def _section(found: dict[str, Any] | None, name: str) -> dict[str, Any]:
    if found is None:
        return {"available": False, "reason": planners.NOT_AVAILABLE[name]}
    return {"available": True, **found}


def _previous_coverage(previous: dict[str, Any] | None, rows: list[Any]) -> dict[str, Any] | None:
    """The change in coverage since the previous brief for the same audience (points)."""
    if previous is None:
        return None
    before = {r["capability_area"]: r for r in json.loads(previous["figures"])["coverage"]}
    change: dict[str, float | None] = {}
    for row in rows:
        now = row.as_dict()
        old = before.get(row.capability_area)
        if old is None or now["coverage_pct"] is None or old["coverage_pct"] is None:
            change[row.capability_area] = None
        else:
            change[row.capability_area] = round(now["coverage_pct"] - old["coverage_pct"], 1)
    return {
        "brief_id": previous["id"],
        "created_at": previous["created_at"].isoformat(),
        "change_pct_points": change,
    }


def _burden_section(data: dict[str, Any]) -> dict[str, Any]:
    """The brief's burden table: the rows of `coalition burden --json`, as they are there."""
    keep = (
        "code",
        "name",
        "participant",
        "totals",
        "fair_share",
        "delivered_pct_of_fair_share",
        "shortfall",
    )
    return {
        "year": data["year"],
        "baseline": {
            k: data["baseline"][k]
            for k in ("amount", "currency", "source")
            if k in data["baseline"]
        },
        "donors": [{k: d.get(k) for k in keep} for d in data["donors"] if d["participant"]],
        "groups": data["groups"],
    }


def critical_gaps(uow: UnitOfWork, burden_data: dict[str, Any]) -> list[dict[str, Any]]:
    """The ten most critical gaps (highest priority, then largest shortfall in EUR), each with
    the unused compatible offers that could close it, or else the allies furthest below their
    fair share. Supply figures drawn on too few donors for the reader are withheld."""
    principal = uow.principal
    counted = [str(s) for s in COUNTED_REQUIREMENT_STATES]
    priority: dict[str, int] = {}
    for r in uow.records(REQUIREMENTS).find():
        if str(r["status"]) in counted:
            family = r["family_code"]
            priority[family] = min(priority.get(family, 9), int(r["priority"]))
    names = {f["code"]: f["name"] for f in uow.records(FAMILIES).find()}
    candidates = _open_offers_by_family(uow)
    gaps = []
    for f in coverage.family_totals(uow):
        supplied = f.accepted_units + f.delivered_units
        if f.required_units <= supplied or f.family_code not in priority:
            continue
        visible = may_see_aggregate(principal, f.donors)
        short_units = f.required_units - supplied
        short_eur = short_units * f.unit_value_eur
        offers = candidates.get((f.family_code, f.capability_area), [])
        gaps.append(
            {
                "family_code": f.family_code,
                "family": names.get(f.family_code, f.family_code),
                "capability_area": f.capability_area,
                "priority": priority[f.family_code],
                "required_units": f.required_units,
                "shortfall_units": short_units if visible else None,
                "shortfall_eur": str(short_eur) if visible else None,
                "withheld": not visible,
                "_rank": short_eur if visible else f.required_units * f.unit_value_eur,
                "closers": _closers(uow, offers, burden_data),
            }
        )
    gaps.sort(key=lambda g: (g["priority"], -g["_rank"], g["family_code"]))
    for g in gaps:
        del g["_rank"]
    return gaps[:TOP_GAPS]


def _open_offers_by_family(uow: UnitOfWork) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Offers still only offered (no plan has used them), per (family, area) they may serve."""
    family_of = {i["code"]: i["family_code"] for i in uow.records(ITEM_TYPES).find()}
    area_of = {f["code"]: str(f["capability_area"]) for f in uow.records(FAMILIES).find()}
    extra: dict[str, set[str]] = defaultdict(set)
    for rule in uow.records(COMPATIBILITY).find():
        if str(rule["target_kind"]) == "family":
            extra[rule["item_type_code"]].add(rule["target_code"])
    out: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    # Every donor's offers: what the reader sees of them is decided in `_closers`.
    for o in uow.records(OFFERS).find_for_aggregate():
        if not offer_meaning(o["status"]).open:
            continue
        item = o["item_type_code"]
        served = set(extra.get(item, ())) | ({family_of[item]} if item in family_of else set())
        allowed = set(o["only_for_areas"].split(";")) if o["only_for_areas"] else None
        for family in served:
            area = area_of.get(family)
            if area is not None and (allowed is None or area in allowed):
                out[(family, area)].append(o)
    return out


def _closers(
    uow: UnitOfWork, offers: list[dict[str, Any]], burden_data: dict[str, Any]
) -> dict[str, Any]:
    principal = uow.principal
    donors = frozenset(o["donor_code"] for o in offers)
    if offers:
        visible = may_see_aggregate(principal, donors)
        shown = [o for o in offers if principal.sees_all or o["donor_code"] == principal.donor_code]
        shown.sort(key=lambda o: (-int(o["quantity"]), o["donor_code"], o["external_id"]))
        return {
            "kind": "offers",
            "offers": [
                {
                    "key": f"{o['donor_code']}:{o['external_id']}",
                    "donor": o["donor_code"],
                    "item_type": o["item_type_code"],
                    "units": int(o["quantity"]),
                }
                for o in shown[:OFFERS_PER_GAP]
            ],
            "offer_count": len(offers) if visible else None,
            "units": sum(int(o["quantity"]) for o in offers) if visible else None,
            "donor_count": len(donors) if visible else None,
        }
    below = sorted(
        (d for d in burden_data["donors"] if d["participant"] and d["shortfall"]),
        key=lambda d: (Decimal(d["delivered_pct_of_fair_share"] or 0), d["code"]),
    )
    return {
        "kind": "below_fair_share",
        "donors": [
            {
                "code": d["code"],
                "name": d["name"],
                "delivered_pct_of_fair_share": d["delivered_pct_of_fair_share"],
            }
            for d in below[:BELOW_SHARE_SHOWN]
        ],
    }


def deliveries(uow: UnitOfWork, first: date, last: date) -> dict[str, Any]:
    """What arrived in [first, last] per capability area (units, reference value in EUR);
    an area drawn on too few donors for the reader is withheld, and the total with it."""
    principal = uow.principal
    values = {i["code"]: i["reference_value_eur"] for i in uow.records(ITEM_TYPES).find()}
    family_of = {i["code"]: i["family_code"] for i in uow.records(ITEM_TYPES).find()}
    area_of = {f["code"]: str(f["capability_area"]) for f in uow.records(FAMILIES).find()}
    sums: dict[str, list[Any]] = {}
    own = []
    for o in uow.records(OFFERS).find_for_aggregate():
        day = o["delivered_on"]
        if day is None or not first <= day <= last or not offer_meaning(o["status"]).arrived:
            continue
        area = area_of.get(family_of.get(o["item_type_code"], ""), "unknown")
        entry = sums.setdefault(area, [0, Decimal(0), 0, set()])
        value = values.get(o["item_type_code"])
        entry[0] += int(o["quantity"])
        entry[1] += Decimal(value) * int(o["quantity"]) if value is not None else Decimal(0)
        entry[2] += 1
        entry[3].add(o["donor_code"])
        if principal.sees_all or o["donor_code"] == principal.donor_code:
            own.append(
                {
                    "key": f"{o['donor_code']}:{o['external_id']}",
                    "item_type": o["item_type_code"],
                    "units": int(o["quantity"]),
                    "delivered_on": day.isoformat(),
                }
            )
    areas: list[dict[str, Any]] = []
    for area, (units, eur, lines, who) in sorted(sums.items()):
        seen = may_see_aggregate(principal, frozenset(who))
        areas.append(
            {
                "capability_area": area,
                "lines": lines if seen else None,
                "units": units if seen else None,
                "value_eur": str(eur) if seen else None,
                "withheld": not seen,
            }
        )
    withheld = any(a["withheld"] for a in areas)
    total = {
        "lines": None if withheld else sum(a["lines"] for a in areas),
        "units": None if withheld else sum(a["units"] for a in areas),
        "value_eur": None
        if withheld
        else str(sum((Decimal(a["value_eur"]) for a in areas), Decimal(0))),
        "withheld": withheld,
    }
    own.sort(key=lambda d: (d["delivered_on"], d["key"]))
    return {
        "areas": areas,
        "total": total,
        "records": own if not principal.sees_all else [],
        "record_count": len(own),
    }


def issue(uow: UnitOfWork, data: dict[str, Any]) -> int:
    """Store the brief's figures for its audience and log it (a writing unit of work)."""
    stored = {k: v for k, v in data.items() if k != "summaries"}
    record = {
        "created_at": datetime.now(UTC),
        "created_by": uow.actor,
        "period_from": date.fromisoformat(data["period"]["from"]),
        "period_to": date.fromisoformat(data["period"]["to"]),
        "batch_id": uow.batch_id,
        "figures": json.dumps(
            {"coverage": stored["coverage"]["rows"], "period": stored["period"]},
            sort_keys=True,
            default=str,
        ),
    }
    brief_id = uow.briefs.insert(record)
    logged = {"period": data["period"], "audience": uow.briefs.audience}
    uow.changes.record([Change(BRIEF_ENTITY, str(brief_id), "create", None, logged)])
    uow.commit()
    return brief_id


def export_tables(data: dict[str, Any], out: Path) -> list[Path]:
    """Every table of the brief, as CSV files (one per table) or one XLSX workbook."""
    from coalition.reports.brief import export_brief_tables

    return export_brief_tables(data, out)


def render(data: dict[str, Any], out: Path) -> Path:
    from coalition.reports.brief import render_brief

    return render_brief(data, out)


def check_output(out: Path, suffixes: tuple[str, ...] = (".pdf", ".html")) -> None:
    from coalition.io.spreadsheets import check_writable
    from coalition.services.errors import UnreadableFile

    try:
        check_writable(out, suffixes)
    except UnreadableFile as error:
        raise ServiceError(f"--out {error}") from None


def produce(
    principal: Any,
    first: date | None,
    last: date | None,
    year: int | None = None,
    marking: str | None = None,
    record: bool = True,
) -> dict[str, Any]:
    """Compute the brief for `principal` and (unless `record` is False) store it, in one
    writing unit of work so the figures stored are exactly the figures shown."""
    from coalition.domain.markings import check_marking
    from coalition.services.database import reading, writing

    if first is None or last is None:
        default_first, default_last = default_period()
        first, last = first or default_first, last or default_last
    shown = check_marking("--marking", marking) if marking else None
    # Only a brief that is stored takes the write lock.
    with (writing if record else reading)(principal) as uow:
        data = figures(uow, first, last, year, shown)
        if record:
            data["brief_id"] = issue(uow, data)
    return data
