"""Random small instances: every plan obeys every rule (via the verifier) and its objective equals
that of an independent per-pair formulation solved by a different solver (PuLP + CBC)."""

from __future__ import annotations

from datetime import date, timedelta
from types import MappingProxyType

import pulp
import pytest
from allocation_regressions import SEED_29, STALE_WARM_START
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from coalition.planning.allocation import (
    ItemType,
    Offer,
    Parameters,
    Pin,
    PlanStatus,
    Requirement,
    Snapshot,
    allocate,
    verify_snapshot_plan,
)

DAY0 = date(2027, 1, 1)
FAMILIES = ("F0", "F1", "F2")
AREAS = ("artillery", "air defence")
TYPES = (
    ItemType("T0", "F0", True),
    ItemType("T1", "F0", True),
    ItemType("T2", "F1", True),
    ItemType("T3", "F2", False),
)


@st.composite
def snapshots(draw: st.DrawFn) -> Snapshot:
    n_req = draw(st.integers(1, 5))
    n_off = draw(st.integers(1, 6))
    requirements = tuple(
        Requirement(
            id=f"R{i}",
            capability_area=draw(st.sampled_from(AREAS)),
            family=draw(st.sampled_from(FAMILIES)),
            quantity=draw(st.integers(1, 8)),
            priority=draw(st.integers(1, 5)),
            needed_by=DAY0 + timedelta(days=draw(st.integers(0, 120))),
            destination=draw(st.sampled_from(("W", "E"))),
            divisible=draw(st.booleans()),
        )
        for i in range(n_req)
    )
    offers = tuple(
        Offer(
            id=f"O{j}",
            donor=f"D{j % 3}",
            item_type=draw(st.sampled_from([t.code for t in TYPES])),
            quantity=draw(st.integers(1, 8)),
            available_from=DAY0 + timedelta(days=draw(st.integers(0, 150))),
            origin=f"D{j % 3}",
            unit_value_eur=float(draw(st.integers(1, 5)) * 1000),
            allowed_capability_areas=draw(
                st.one_of(st.none(), st.sets(st.sampled_from(AREAS)).map(frozenset))
            ),
        )
        for j in range(n_off)
    )
    compatibility = MappingProxyType(
        {"T0": frozenset({"F1"}), "T3": frozenset(draw(st.sets(st.sampled_from(FAMILIES))))}
    )
    fleet_candidates = [(f, t.code) for f in FAMILIES for t in TYPES]
    fleet = frozenset(draw(st.sets(st.sampled_from(fleet_candidates), max_size=4)))
    pairs = [(o.id, r.id) for o in offers for r in requirements]
    forbids = frozenset(draw(st.sets(st.sampled_from(pairs), max_size=2)))
    transit = {(f"D{k}", d): draw(st.integers(0, 30)) for k in range(3) for d in ("W", "E")}
    snapshot = Snapshot(
        requirements=requirements,
        offers=offers,
        item_types=TYPES,
        compatibility=compatibility,
        fleet=fleet,
        transit_days=MappingProxyType(transit),
        parameters=Parameters(
            new_type_penalty=draw(st.sampled_from([0.5, 4.0, 10.0])),
            forbids=forbids,
            mip_gap=1e-9,
            workers=1,
        ),
    )
    # Sometimes pin one unit of a pair the independent model says is allowed.
    allowed = _candidate_pairs(snapshot)
    if allowed and draw(st.booleans()):
        o, r = draw(st.sampled_from(sorted(allowed)))
        pin = Pin(o, r, 1)
        snapshot = Snapshot(
            **{
                **snapshot.__dict__,
                "parameters": Parameters(**{**snapshot.parameters.__dict__, "pins": (pin,)}),
            }
        )
    return snapshot


def _candidate_pairs(s: Snapshot) -> dict[tuple[str, str], float]:
    """(offer, requirement) → lateness factor, for every pair the rules allow (written afresh)."""
    own = {t.code: t.family for t in s.item_types}
    p = s.parameters
    out = {}
    for o in s.offers:
        families = {own[o.item_type], *s.compatibility.get(o.item_type, ())}
        for r in s.requirements:
            if r.family not in families or (o.id, r.id) in p.forbids:
                continue
            if o.allowed_capability_areas is not None and (
                r.capability_area not in o.allowed_capability_areas
            ):
                continue
            days = s.transit_days.get((o.origin, r.destination), p.default_transit_days)
            late = max(0, (o.available_from - r.needed_by).days + days)
            factor = max(0.0, 1 - late / p.grace_days)
            if factor > 0:
                out[(o.id, r.id)] = factor
    return out


def pulp_objective(s: Snapshot) -> float:
    """Plain per-pair formulation: x ≤ min(Q, q)·y for every new-type pair, solved by CBC."""
    p = s.parameters
    offers = {o.id: o for o in s.offers}
    reqs = {r.id: r for r in s.requirements}
    platform = {t.code: t.is_platform for t in s.item_types}
    pairs = _candidate_pairs(s)
    model = pulp.LpProblem("independent", pulp.LpMaximize)
    x = {
        (o, r): model.add_variable(
            f"x_{o}_{r}",
            lowBound=0,
            upBound=min(offers[o].quantity, reqs[r].quantity),
            cat="Continuous" if reqs[r].divisible else "Integer",
        )
        for o, r in pairs
    }
    new = {
        (reqs[r].family, offers[o].item_type)
        for o, r in pairs
        if platform[offers[o].item_type] and (reqs[r].family, offers[o].item_type) not in s.fleet
    }
    y = {k: model.add_variable(f"y_{k[0]}_{k[1]}", cat="Binary") for k in sorted(new)}
    value = pulp.lpSum(
        p.priority_weights[reqs[r].priority] / reqs[r].quantity * f * x[o, r]
        for (o, r), f in pairs.items()
    )
    model += value - pulp.lpSum(p.penalty(f) * var for (f, _), var in y.items())
    for oid, o in offers.items():
        model += pulp.lpSum(v for (a, _), v in x.items() if a == oid) <= o.quantity
    for rid, r in reqs.items():
        model += pulp.lpSum(v for (_, b), v in x.items() if b == rid) <= r.quantity
    for (o, r), var in x.items():
        key = (reqs[r].family, offers[o].item_type)
        if key in y:
            model += var <= min(offers[o].quantity, reqs[r].quantity) * y[key]
    for pin in p.pins:
        model += x[pin.offer_id, pin.requirement_id] >= pin.quantity
    status = model.solve(pulp.PULP_CBC_CMD(msg=False, gapRel=1e-9))
    assert pulp.LpStatus[status] == "Optimal"
    return float(pulp.value(model.objective) or 0.0)


@pytest.mark.filterwarnings("ignore:PULP_CBC_CMD is deprecated:DeprecationWarning")
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(snapshots())
@example(STALE_WARM_START)  # --hypothesis-seed=25 under HYPOTHESIS_PROFILE=explore
@example(SEED_29)
def test_every_plan_obeys_the_rules_and_matches_an_independent_solver(s: Snapshot):
    plan = allocate(s)
    assert plan.status == PlanStatus.OPTIMAL, plan.messages
    rows = [(a.offer_id, a.requirement_id, a.quantity) for a in plan.assignments]
    report = verify_snapshot_plan(s, rows, plan.objective)
    assert report.passed, report.violations

    expected = pulp_objective(s)
    penalties = sum(s.parameters.penalty(f) for f in FAMILIES) * len(TYPES)
    # The tie-break may cost at most ε·(objective + penalties) of the main objective.
    tolerance = 2 * s.parameters.tie_break_epsilon * (abs(expected) + penalties) + 1e-6
    assert plan.objective == pytest.approx(expected, abs=tolerance)
    assert plan.best_bound is not None and plan.best_bound >= expected - tolerance

    greedy = allocate(s, method="greedy")
    greedy_rows = [(a.offer_id, a.requirement_id, a.quantity) for a in greedy.assignments]
    assert verify_snapshot_plan(s, greedy_rows, greedy.objective).passed
    assert greedy.objective <= plan.objective + tolerance
