"""`verify_plan(DIR)`: does an exported plan belong to its inputs, obey every rule, and are its
objective, bound, gap and status what the files support?

Checks, each reported as a `Violation` (rule name in brackets):
* the inputs in DIR hash (canonically) to the plan's `snapshot_hash` [snapshot_hash] — so an
  edited CSV or parameter, or a zeroed hash, is caught;
* every rule and the objective, recomputed pair by pair (verify.verify_snapshot_plan);
* each assignment's arrival, lateness factor and value, and the plan's new types [assignment,
  new_types];
* the bound is an upper bound: not below the plan's own recomputed objective, nor below any
  feasible plan the verifier finds itself (the two greedy plans, each checked by the
  independent verifier before its objective is believed) [bound] — the objective is maximised;
* the gap is (bound − objective) / max(|objective|, 1e-9) [gap], and the status agrees with
  bound and gap: a proven status has a bound, `optimal` is within the plan's `mip_gap` (plus
  the tie-break allowance) [status].
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from coalition.domain import matching

from .audit import allowed_gap, objective_tolerance
from .greedy import greedy_plan, penalty_aware_greedy
from .inputs import Snapshot, snapshot_hash
from .pairs import FloatArray, PairTable, build_pairs
from .snapshot_io import load_plan, load_snapshot
from .validate import validate_snapshot
from .verify import VerificationReport, Violation, verify_snapshot_plan

BOUNDED = ("optimal", "time_limit_feasible")
GAP_TOLERANCE = 1e-6


def verify_plan(directory: str | Path) -> VerificationReport:
    """Load the snapshot files and plan.json from `directory` and check everything."""
    snapshot = load_snapshot(directory)
    plan = load_plan(directory)
    violations: list[Violation] = []
    expected_hash = snapshot_hash(snapshot)
    if plan.get("snapshot_hash") != expected_hash:
        violations.append(
            Violation(
                "snapshot_hash",
                f"plan.json names inputs {plan.get('snapshot_hash')!r}, the files in "
                f"{directory} hash to {expected_hash!r}: the inputs or the hash were edited",
            )
        )
    rows = [
        (str(a["offer_id"]), str(a["requirement_id"]), float(a["quantity"]))
        for a in plan["assignments"]
    ]
    report = verify_snapshot_plan(snapshot, rows, float(plan["objective"]))
    violations += report.violations
    violations += _assignment_claims(snapshot, plan)
    claimed_types = sorted(tuple(t) for t in plan.get("new_types", []))
    if claimed_types != list(report.new_types):
        violations.append(
            Violation("new_types", f"claimed {claimed_types}, recomputed {list(report.new_types)}")
        )
    violations += _bound_claims(snapshot, plan, report.recomputed_objective)
    return VerificationReport(
        tuple(violations),
        report.claimed_objective,
        report.recomputed_objective,
        report.assignments,
        report.new_types,
    )


def _assignment_claims(snapshot: Snapshot, plan: dict[str, Any]) -> list[Violation]:
    offers = {o.id: o for o in snapshot.offers}
    reqs = {r.id: r for r in snapshot.requirements}
    params = snapshot.parameters
    out: list[Violation] = []
    for a in plan["assignments"]:
        o, r = offers.get(str(a["offer_id"])), reqs.get(str(a["requirement_id"]))
        if o is None or r is None:
            continue  # reported as unknown_id
        pair = f"({o.id}, {r.id})"
        arrival = matching.arrival(o.available_from, snapshot.transit(o.origin, r.destination))
        if "arrival" in a and a["arrival"] != arrival.isoformat():
            out.append(Violation("assignment", f"{pair}: arrival {a['arrival']} ≠ {arrival}"))
        factor = matching.lateness_factor(
            matching.days_late(arrival, r.needed_by), params.grace_days
        )
        if "lateness_factor" in a and not math.isclose(
            float(a["lateness_factor"]), factor, rel_tol=1e-9, abs_tol=1e-9
        ):
            out.append(
                Violation(
                    "assignment", f"{pair}: lateness factor {a['lateness_factor']} ≠ {factor}"
                )
            )
        value = matching.unit_value(params.weight(r.priority), r.quantity, factor) * float(
            a["quantity"]
        )
        if "value" in a and not math.isclose(float(a["value"]), value, rel_tol=1e-6, abs_tol=1e-9):
            out.append(Violation("assignment", f"{pair}: value {a['value']} ≠ {value}"))
    return out


def _feasible_objectives(snapshot: Snapshot, table: PairTable) -> list[tuple[str, float]]:
    """Objectives of plans the verifier builds itself, each accepted only if the independent
    verifier finds it feasible."""
    found = []
    for name, x in (
        ("greedy", greedy_plan(table)),
        ("penalty-aware greedy", penalty_aware_greedy(table)),
    ):
        rows = _rows(snapshot, table, x)
        report = verify_snapshot_plan(snapshot, rows)
        if report.passed:
            found.append((name, report.recomputed_objective))
    return found


def _rows(snapshot: Snapshot, table: PairTable, x: FloatArray) -> list[tuple[str, str, float]]:
    used = (x > 0).nonzero()[0].tolist()
    return [
        (
            snapshot.offers[int(table.offer[p])].id,
            snapshot.requirements[int(table.requirement[p])].id,
            float(x[p]),
        )
        for p in used
    ]


def _bound_claims(snapshot: Snapshot, plan: dict[str, Any], objective: float) -> list[Violation]:
    status = str(plan.get("status"))
    bound, gap = plan.get("best_bound"), plan.get("gap")
    out: list[Violation] = []
    if bound is None:
        if status in BOUNDED:
            out.append(Violation("status", f"status {status} claims a proof but has no bound"))
        if gap is not None:
            out.append(Violation("gap", f"gap {gap} without a bound"))
        return out
    bound = float(bound)
    tolerance = objective_tolerance(objective, bound)
    if not bound >= objective - tolerance:  # also catches NaN
        out.append(
            Violation(
                "bound", f"best_bound {bound!r} is below the plan's own objective {objective!r}"
            )
        )
    table: PairTable | None = None
    if not validate_snapshot(snapshot):
        table = build_pairs(snapshot)
        for name, found in _feasible_objectives(snapshot, table):
            if bound < found - objective_tolerance(found, bound):
                out.append(
                    Violation(
                        "bound",
                        f"best_bound {bound!r} is below the objective {found!r} of a feasible "
                        f"{name} plan the verifier built: it is no upper bound",
                    )
                )
    expected_gap = max(bound - objective, 0.0) / max(abs(objective), 1e-9)
    if gap is None or not math.isclose(
        float(gap), expected_gap, rel_tol=GAP_TOLERANCE, abs_tol=GAP_TOLERANCE
    ):
        out.append(Violation("gap", f"gap {gap!r}, but bound and objective give {expected_gap!r}"))
    if status == "optimal" and table is not None:
        params = snapshot.parameters
        allowed = allowed_gap(table, objective, bound, params.mip_gap, params.tie_break_epsilon)
        if bound - objective > allowed + tolerance:
            out.append(
                Violation(
                    "status",
                    f"labelled optimal {bound - objective:.6g} below its bound, more than the "
                    f"{allowed:.6g} that mip_gap {params.mip_gap} allows",
                )
            )
    return out
