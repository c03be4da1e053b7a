"""Export → load → verify round trips, and the verifier catching each kind of violation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from allocation_builders import offer, req, small_instance, snapshot

from coalition.planning.allocation import (
    Pin,
    allocate,
    export_snapshot,
    load_snapshot,
    snapshot_hash,
    verify_plan,
    verify_snapshot_plan,
)


def _instance():
    return small_instance(
        (offer("O4", item_type="Caesar", available_in=40),),
        pins=(Pin("O1", "R1", 1),),
        forbids=frozenset({("O4", "R2")}),
    )


def test_exported_files_load_back_to_the_same_snapshot(tmp_path: Path):
    snap = _instance()
    export_snapshot(snap, allocate(snap), tmp_path)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        "compatibility.csv",
        "fleet.csv",
        "item_types.csv",
        "offers.csv",
        "parameters.json",
        "plan.json",
        "requirements.csv",
        "transit_days.csv",
    ]
    assert snapshot_hash(load_snapshot(tmp_path)) == snapshot_hash(snap)


def test_an_exported_plan_passes_verification(tmp_path: Path):
    snap = _instance()
    plan = allocate(snap)
    export_snapshot(snap, plan, tmp_path)
    report = verify_plan(tmp_path)
    assert report.passed, report.violations
    assert report.recomputed_objective == pytest.approx(plan.objective, rel=1e-9)


def test_a_tampered_plan_fails_verification(tmp_path: Path):
    snap = _instance()
    export_snapshot(snap, allocate(snap), tmp_path)
    data = json.loads((tmp_path / "plan.json").read_text())
    data["assignments"].append(
        {"offer_id": "O2", "requirement_id": "R1", "quantity": 1.5, "arrival": "", "value": 0}
    )
    (tmp_path / "plan.json").write_text(json.dumps(data))
    rules = {v.rule for v in verify_plan(tmp_path).violations}
    assert {"condition", "integrality", "requirement_quantity", "objective"} <= rules


@pytest.mark.parametrize(
    ("rows", "rule"),
    [
        ([("O3", "R1", 1)], "compatibility"),
        ([("O4", "R2", 1)], "forbidden"),
        ([("O1", "R1", 3)], "offer_quantity"),
        ([("O1", "R1", 0)], "pin"),
        ([("O9", "R1", 1)], "unknown_id"),
        ([("O1", "R1", -1)], "negative"),
    ],
)
def test_the_verifier_names_each_violated_rule(rows, rule):
    report = verify_snapshot_plan(_instance(), rows)
    assert rule in {v.rule for v in report.violations}


def test_the_verifier_flags_pairs_past_the_grace_period():
    snap = snapshot([req("R1")], [offer("O1", available_in=500)])
    report = verify_snapshot_plan(snap, [("O1", "R1", 1)])
    assert [v.rule for v in report.violations] == ["late"]
