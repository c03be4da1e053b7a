"""Export a snapshot and its plan as plain CSV/JSON files anyone can check, and load them back.

File formats are documented in docs/allocation.md ("Checkable by anyone").
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .inputs import ItemType, Offer, Parameters, Pin, Requirement, Snapshot, parameters_as_dict
from .plan import ComponentSummary, Plan

NO_CONDITION = ""
EMPTY_CONDITION = "(none)"  # a condition that allows no capability area at all


def _write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _condition_text(allowed: frozenset[str] | None) -> str:
    if allowed is None:
        return NO_CONDITION
    return ";".join(sorted(allowed)) if allowed else EMPTY_CONDITION


def _condition(text: str) -> frozenset[str] | None:
    if text == NO_CONDITION:
        return None
    return frozenset() if text == EMPTY_CONDITION else frozenset(text.split(";"))


def plan_as_dict(plan: Plan) -> dict[str, Any]:
    return {
        "status": str(plan.status),
        "method": plan.method,
        "objective": plan.objective,
        "best_bound": plan.best_bound,
        "gap": plan.gap,
        "solver": plan.solver,
        "snapshot_hash": plan.snapshot_hash,
        "build_seconds": plan.build_seconds,
        "solve_seconds": plan.solve_seconds,
        "assignments": [
            {
                "offer_id": a.offer_id,
                "requirement_id": a.requirement_id,
                "quantity": a.quantity,
                "arrival": a.arrival.isoformat(),
                "lateness_factor": a.lateness_factor,
                "value": a.value,
            }
            for a in plan.assignments
        ],
        "new_types": [list(t) for t in plan.new_types],
        "messages": list(plan.messages),
    }


def _component(c: ComponentSummary) -> dict[str, Any]:
    """One component's status, gap and time (an unknown bound is written as null)."""
    data = dict(c.__dict__)
    data["bound"] = c.bound if math.isfinite(c.bound) else None
    return data


def export_snapshot(snapshot: Snapshot, plan: Plan | None, directory: str | Path) -> Path:
    """Write the snapshot (and the plan, if given) as the documented files; return the path."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    _write_csv(
        out / "requirements.csv",
        [
            "id",
            "capability_area",
            "family",
            "quantity",
            "priority",
            "needed_by",
            "destination",
            "divisible",
            "already_covered",
        ],
        (
            [
                r.id,
                r.capability_area,
                r.family,
                r.quantity,
                r.priority,
                r.needed_by.isoformat(),
                r.destination,
                "true" if r.divisible else "false",
                r.already_covered,
            ]
            for r in snapshot.requirements
        ),
    )
    _write_csv(
        out / "offers.csv",
        [
            "id",
            "donor",
            "item_type",
            "quantity",
            "available_from",
            "origin",
            "unit_value_eur",
            "allowed_capability_areas",
        ],
        (
            [
                o.id,
                o.donor,
                o.item_type,
                o.quantity,
                o.available_from.isoformat(),
                o.origin,
                str(o.unit_value_eur),
                _condition_text(o.allowed_capability_areas),
            ]
            for o in snapshot.offers
        ),
    )
    _write_csv(
        out / "item_types.csv",
        ["code", "family", "is_platform"],
        ([t.code, t.family, "true" if t.is_platform else "false"] for t in snapshot.item_types),
    )
    _write_csv(
        out / "compatibility.csv",
        ["item_type", "family"],
        sorted((t, f) for t, fams in snapshot.compatibility.items() for f in fams),
    )
    _write_csv(
        out / "transit_days.csv",
        ["origin", "destination", "days"],
        sorted((o, d, n) for (o, d), n in snapshot.transit_days.items()),
    )
    _write_csv(out / "fleet.csv", ["family", "item_type"], sorted(snapshot.fleet))
    (out / "parameters.json").write_text(
        json.dumps(parameters_as_dict(snapshot.parameters), indent=2, sort_keys=True) + "\n"
    )
    if plan is not None:
        data = plan_as_dict(plan) | {"components": [_component(c) for c in plan.components]}
        (out / "plan.json").write_text(json.dumps(data, indent=2) + "\n")
    return out


def _parameters(data: dict[str, Any]) -> Parameters:
    defaults = Parameters()
    return Parameters(
        priority_weights=MappingProxyType(
            {int(k): float(v) for k, v in data.get("priority_weights", {}).items()}
        )
        or defaults.priority_weights,
        grace_days=int(data.get("grace_days", defaults.grace_days)),
        new_type_penalty=float(data.get("new_type_penalty", defaults.new_type_penalty)),
        new_type_penalty_by_family=MappingProxyType(
            {str(k): float(v) for k, v in data.get("new_type_penalty_by_family", {}).items()}
        ),
        default_transit_days=int(data.get("default_transit_days", defaults.default_transit_days)),
        time_limit_s=float(data.get("time_limit_s", defaults.time_limit_s)),
        mip_gap=float(data.get("mip_gap", defaults.mip_gap)),
        pins=tuple(Pin(str(o), str(r), int(q)) for o, r, q in data.get("pins", [])),
        forbids=frozenset((str(o), str(r)) for o, r in data.get("forbids", [])),
        tie_break_epsilon=float(data.get("tie_break_epsilon", defaults.tie_break_epsilon)),
        workers=int(data.get("workers", defaults.workers)),
    )


def load_snapshot(directory: str | Path) -> Snapshot:
    """Read the files written by `export_snapshot` back into a Snapshot."""
    src = Path(directory)
    requirements = tuple(
        Requirement(
            id=row["id"],
            capability_area=row["capability_area"],
            family=row["family"],
            quantity=int(row["quantity"]),
            priority=int(row["priority"]),
            needed_by=date.fromisoformat(row["needed_by"]),
            destination=row["destination"],
            divisible=row["divisible"].strip().lower() == "true",
            already_covered=int(row.get("already_covered") or 0),
        )
        for row in _read_csv(src / "requirements.csv")
    )
    offers = tuple(
        Offer(
            id=row["id"],
            donor=row["donor"],
            item_type=row["item_type"],
            quantity=int(row["quantity"]),
            available_from=date.fromisoformat(row["available_from"]),
            origin=row["origin"],
            unit_value_eur=float(row["unit_value_eur"]),
            allowed_capability_areas=_condition(row["allowed_capability_areas"]),
        )
        for row in _read_csv(src / "offers.csv")
    )
    item_types = tuple(
        ItemType(row["code"], row["family"], row["is_platform"].strip().lower() == "true")
        for row in _read_csv(src / "item_types.csv")
    )
    compatibility: dict[str, set[str]] = {}
    for row in _read_csv(src / "compatibility.csv"):
        compatibility.setdefault(row["item_type"], set()).add(row["family"])
    transit = {
        (row["origin"], row["destination"]): int(row["days"])
        for row in _read_csv(src / "transit_days.csv")
    }
    fleet = frozenset((row["family"], row["item_type"]) for row in _read_csv(src / "fleet.csv"))
    return Snapshot(
        requirements=requirements,
        offers=offers,
        item_types=item_types,
        compatibility=MappingProxyType({k: frozenset(v) for k, v in compatibility.items()}),
        fleet=fleet,
        transit_days=MappingProxyType(transit),
        parameters=_parameters(json.loads((src / "parameters.json").read_text())),
    )


def load_plan(directory: str | Path) -> dict[str, Any]:
    """plan.json as a dict (see docs/allocation.md for its fields)."""
    data: dict[str, Any] = json.loads((Path(directory) / "plan.json").read_text())
    return data
