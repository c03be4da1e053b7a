"""Hand-solved instances: each proves one rule of docs/allocation.md on a plan checked by eye."""

from __future__ import annotations

from dataclasses import replace

import pytest
from allocation_builders import FAMILY, offer, req, snapshot

from coalition.planning.allocation import Parameters, Pin, PlanStatus, Snapshot, allocate
from coalition.planning.allocation import solve as solve_module
from coalition.planning.allocation.pairs import build_pairs
from coalition.planning.allocation.parallel import Task, run_parallel


def units(plan, offer_id: str, requirement_id: str) -> float:
    return sum(
        a.quantity
        for a in plan.assignments
        if a.offer_id == offer_id and a.requirement_id == requirement_id
    )


def test_a_scarce_offer_goes_to_the_priority_one_requirement():
    plan = allocate(snapshot([req("R-low", priority=3), req("R-high", priority=1)], [offer("O1")]))
    assert plan.status == PlanStatus.OPTIMAL
    assert units(plan, "O1", "R-high") == 1
    assert plan.objective == pytest.approx(16.0)
    assert plan.gap is not None and plan.gap <= 1e-3


def test_a_late_offer_is_worth_less_in_proportion_to_its_lateness():
    # needed on day 30; O-late arrives on day 75: 45 days late of 90 → factor 0.5
    plan = allocate(
        snapshot(
            [req("R1", priority=1, quantity=2)],
            [offer("O-on-time"), offer("O-late", available_in=75)],
        )
    )
    assert plan.objective == pytest.approx(16 / 2 * 1 + 16 / 2 * 0.5)
    late = next(a for a in plan.assignments if a.offer_id == "O-late")
    assert late.lateness_factor == pytest.approx(0.5)
    assert late.arrival.isoformat() == "2027-03-17"


def test_an_offer_arriving_after_the_grace_period_gets_no_variable():
    plan = allocate(snapshot([req("R1", priority=1)], [offer("O-late", available_in=120)]))
    assert plan.assignments == ()
    assert plan.objective == 0.0


def test_a_new_type_is_not_used_when_its_penalty_exceeds_the_gain():
    # priority 5 weight 1 < penalty 4
    plan = allocate(snapshot([req("R1", priority=5)], [offer("O-caesar", item_type="Caesar")]))
    assert plan.assignments == ()
    assert plan.new_types == ()


def test_a_new_type_is_used_when_the_gain_exceeds_its_penalty():
    plan = allocate(snapshot([req("R1", priority=1)], [offer("O-caesar", item_type="Caesar")]))
    assert units(plan, "O-caesar", "R1") == 1
    assert plan.new_types == ((FAMILY, "Caesar"),)
    assert plan.objective == pytest.approx(16.0 - 4.0)


def test_the_new_type_penalty_is_paid_once_per_family_and_type():
    reqs = [req(f"R{i}", priority=4) for i in range(3)]  # 3 × weight 2 = 6 > 4, each 2 < 4
    plan = allocate(snapshot(reqs, [offer("O-caesar", item_type="Caesar", quantity=3)]))
    assert plan.objective == pytest.approx(6.0 - 4.0)
    assert len(plan.new_types) == 1


def test_ammunition_never_triggers_the_new_type_penalty():
    ammo = req("R-ammo", priority=5, quantity=100, family="155mm ammunition", divisible=True)
    plan = allocate(snapshot([ammo], [offer("O-shells", item_type="NATO-155", quantity=60)]))
    assert units(plan, "O-shells", "R-ammo") == 60
    assert plan.objective == pytest.approx(0.6)


def test_tie_break_picks_the_cheaper_offer():
    offers = [offer("O-dear", eur=9e6), offer("O-cheap", eur=1e6)]
    plan = allocate(snapshot([req("R1", priority=1)], offers))
    assert units(plan, "O-cheap", "R1") == 1
    assert plan.objective == pytest.approx(16.0)


def test_tie_break_picks_the_earlier_arrival_at_equal_value():
    offers = [offer("O-later", available_in=20), offer("O-sooner", available_in=5)]
    plan = allocate(snapshot([req("R1", priority=1)], offers))
    assert units(plan, "O-sooner", "R1") == 1


def test_a_pin_forces_units_even_against_the_objective():
    s = snapshot(
        [req("R-low", priority=5), req("R-high", priority=1)],
        [offer("O1")],
        pins=(Pin("O1", "R-low", 1),),
    )
    plan = allocate(s)
    assert units(plan, "O1", "R-low") == 1
    assert plan.objective == pytest.approx(1.0)


def test_a_forbidden_pair_is_never_used():
    s = snapshot(
        [req("R-low", priority=5), req("R-high", priority=1)],
        [offer("O1")],
        forbids=frozenset({("O1", "R-high")}),
    )
    plan = allocate(s)
    assert units(plan, "O1", "R-high") == 0
    assert units(plan, "O1", "R-low") == 1


def test_a_donor_condition_excludes_other_capability_areas():
    s = snapshot([req("R1", priority=1)], [offer("O1", allowed=frozenset({"air defence"}))])
    assert allocate(s).assignments == ()


@pytest.mark.parametrize(
    ("pin", "expected"),
    [
        (Pin("O-ammo", "R1", 1), "cannot serve family"),
        (Pin("O1", "R1", 5), "offers only 1"),
        (Pin("O-nope", "R1", 1), "unknown offer"),
        (Pin("O1", "R1", 0), "quantity must be positive"),
    ],
)
def test_an_impossible_pin_gives_a_clear_message_not_a_crash(pin: Pin, expected: str):
    s = snapshot(
        [req("R1", priority=1, quantity=9)],
        [offer("O1"), offer("O-ammo", item_type="NATO-155", quantity=10)],
        pins=(pin,),
    )
    plan = allocate(s)
    assert plan.status == PlanStatus.INVALID_INPUT
    assert not plan.is_usable
    assert any(expected in m for m in plan.messages), plan.messages


def test_a_pin_on_a_forbidden_pair_is_refused():
    s = snapshot(
        [req("R1")], [offer("O1")], pins=(Pin("O1", "R1", 1),), forbids=frozenset({("O1", "R1")})
    )
    plan = allocate(s)
    assert plan.status == PlanStatus.INVALID_INPUT
    assert "forbidden" in plan.messages[0]


def test_an_empty_snapshot_gives_an_empty_plan():
    plan = allocate(Snapshot())
    assert plan.status == PlanStatus.EMPTY
    assert plan.assignments == () and plan.objective == 0.0


def test_requirements_without_offers_give_an_empty_plan_with_zero_coverage():
    plan = allocate(snapshot([req("R1")], []))
    assert plan.status == PlanStatus.EMPTY
    assert plan.requirement_coverage[0].covered_after == 0.0


def test_indivisible_requirements_receive_whole_units():
    reqs = [req(f"R{i}", priority=1 + i % 5, quantity=3) for i in range(4)]
    offers = [offer(f"O{j}", quantity=2 + j) for j in range(3)]
    plan = allocate(snapshot(reqs, offers))
    assert all(a.quantity == int(a.quantity) for a in plan.assignments)


def test_coverage_is_reported_per_requirement_and_per_area():
    reqs = [req("R1", priority=1, quantity=2), req("R2", priority=3, area="air defence")]
    plan = allocate(snapshot(reqs, [offer("O1")]))
    coverage = {c.requirement_id: c.covered_after for c in plan.requirement_coverage}
    assert coverage == {"R1": 0.5, "R2": 0.0}
    areas = {a.capability_area: a.covered_after for a in plan.area_coverage}
    assert areas == {"artillery": 0.5, "air defence": 0.0}


def test_the_plan_records_its_inputs_hash_solver_and_parameters():
    s = snapshot([req("R1")], [offer("O1")])
    plan = allocate(s)
    assert len(plan.snapshot_hash) == 64
    assert (
        plan.snapshot_hash == allocate(replace(s, offers=tuple(reversed(s.offers)))).snapshot_hash
    )
    assert plan.solver.startswith("HiGHS ")
    assert plan.method == "milp" and plan.parameters["grace_days"] == 90


def test_the_greedy_method_returns_a_scored_plan_without_bound():
    plan = allocate(snapshot([req("R1", priority=1)], [offer("O1")]), method="greedy")
    assert plan.status == PlanStatus.GREEDY and plan.best_bound is None
    assert plan.objective == pytest.approx(16.0)


def _many_components() -> Snapshot:
    reqs, offers = [], []
    for k in range(6):
        family = f"family-{k}"
        reqs += [req(f"R{k}-{i}", priority=1 + i, quantity=3, family=family) for i in range(3)]
        offers += [offer(f"O{k}-{j}", item_type=f"T{k}", quantity=2) for j in range(3)]
    from coalition.planning.allocation import ItemType

    s = snapshot(reqs, offers)
    types = tuple(ItemType(f"T{k}", f"family-{k}", k % 2 == 0) for k in range(6))
    return replace(s, item_types=types, parameters=Parameters(time_limit_s=30))


def test_worker_processes_give_the_same_plan_as_in_process(monkeypatch: pytest.MonkeyPatch):
    s = _many_components()
    in_process = allocate(s, workers=1)
    monkeypatch.setattr(solve_module, "PARALLEL_MIN_PAIRS", 0)
    monkeypatch.setattr(solve_module, "TASK_MIN_PAIRS", 1)
    parallel = allocate(s, workers=2)
    assert parallel.status == in_process.status == PlanStatus.OPTIMAL
    assert parallel.objective == pytest.approx(in_process.objective)
    assert len(parallel.components) == 6


def test_a_worker_past_the_hard_deadline_is_stopped_and_reported():
    table = build_pairs(_many_components())
    task = Task(0, (table,), time_limit=10.0, mip_gap=1e-3, epsilon=1e-5, linking="offer")
    results = run_parallel([task], workers=1, solve_deadline=0.0, hard_deadline=0.0)
    assert "hard time limit" in results[0].failure and not results[0].outcomes


@pytest.mark.parametrize("linking", ["pair", "offer", "requirement", "offer+requirement"])
def test_every_linking_form_gives_the_same_optimum(linking: str):
    s = _many_components()
    reference = allocate(s)
    plan = allocate(s, linking=linking)  # type: ignore[arg-type]
    assert plan.objective == pytest.approx(reference.objective, rel=1e-6)
