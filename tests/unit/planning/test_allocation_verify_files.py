"""`verify_plan(DIR)` catches every kind of tampering with an exported plan or its inputs."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

import pytest
from allocation_builders import small_instance

from coalition.planning.allocation import (
    Parameters,
    allocate,
    export_snapshot,
    snapshot_hash,
    verify_plan,
)


def _instance():
    return small_instance()


@pytest.fixture
def exported(tmp_path: Path) -> Path:
    s = _instance()
    export_snapshot(s, allocate(s), tmp_path)
    assert verify_plan(tmp_path).passed
    return tmp_path


def _rules(directory: Path) -> set[str]:
    return {v.rule for v in verify_plan(directory).violations}


def _edit_plan(directory: Path, **changes: object) -> dict:
    data = json.loads((directory / "plan.json").read_text())
    data.update(changes)
    (directory / "plan.json").write_text(json.dumps(data))
    return data


def _edit_csv(path: Path, row_id: str, column: str, value: str) -> None:
    with path.open(newline="") as f:
        rows = list(csv.DictReader(f))
    fields = list(rows[0])
    for row in rows:
        if row["id"] == row_id:
            row[column] = value
    with path.open("w", newline="") as f:
        writer = csv.DictWriter(f, fields)
        writer.writeheader()
        writer.writerows(rows)


def test_an_offer_quantity_raised_in_offers_csv_is_caught(exported: Path):
    _edit_csv(exported / "offers.csv", "O3", "quantity", "3000")
    assert "snapshot_hash" in _rules(exported)


def test_an_edited_requirement_is_caught(exported: Path):
    _edit_csv(exported / "requirements.csv", "R2", "priority", "1")
    assert "snapshot_hash" in _rules(exported)


def test_a_zeroed_snapshot_hash_is_caught(exported: Path):
    _edit_plan(exported, snapshot_hash="0" * 64)
    assert _rules(exported) == {"snapshot_hash"}


def test_a_bound_below_the_objective_is_caught(exported: Path):
    data = json.loads((exported / "plan.json").read_text())
    _edit_plan(exported, best_bound=1.0)
    assert data["objective"] > 1.0
    assert "bound" in _rules(exported)


def test_a_bound_below_a_plan_the_verifier_finds_is_caught(exported: Path):
    # A consistent but poor plan: one assignment, objective, bound and gap all agreeing.
    data = json.loads((exported / "plan.json").read_text())
    keep = data["assignments"][:1]
    objective = sum(a["value"] for a in keep)
    _edit_plan(
        exported,
        assignments=keep,
        objective=objective,
        best_bound=objective,
        gap=0.0,
        new_types=[],
    )
    violations = verify_plan(exported).violations
    assert [v.rule for v in violations] == ["bound", "bound"]
    assert "greedy plan the verifier built" in violations[0].text


def test_an_edited_gap_is_caught(exported: Path):
    data = json.loads((exported / "plan.json").read_text())
    _edit_plan(exported, gap=data["gap"] + 0.01)
    assert _rules(exported) == {"gap"}


def test_an_optimal_label_far_from_its_bound_is_caught(exported: Path):
    data = json.loads((exported / "plan.json").read_text())
    bound = data["objective"] * 1.5
    _edit_plan(exported, best_bound=bound, gap=(bound - data["objective"]) / data["objective"])
    assert _rules(exported) == {"status"}


def test_an_edited_objective_is_caught(exported: Path):
    data = json.loads((exported / "plan.json").read_text())
    _edit_plan(exported, objective=data["objective"] + 1.0)
    assert "objective" in _rules(exported)


def test_an_edited_assignment_quantity_is_caught(exported: Path):
    data = json.loads((exported / "plan.json").read_text())
    divisible = next(a for a in data["assignments"] if a["requirement_id"] == "R3")
    divisible["quantity"] -= 1
    _edit_plan(exported, assignments=data["assignments"])
    assert {"objective", "assignment"} <= _rules(exported)


def test_the_hash_is_canonical_for_numbers_rows_and_keys():
    s = _instance()
    same = replace(
        s,
        offers=tuple(
            replace(o, unit_value_eur=Decimal(str(o.unit_value_eur)) + Decimal("0.00"))
            for o in reversed(s.offers)
        ),
        requirements=tuple(reversed(s.requirements)),
        transit_days=MappingProxyType(dict(reversed(list(s.transit_days.items())))),
        parameters=replace(s.parameters, time_limit_s=60, grace_days=90),
    )
    assert snapshot_hash(same) == snapshot_hash(s)
    assert snapshot_hash(replace(s, parameters=Parameters(time_limit_s=60.0))) == snapshot_hash(
        replace(s, parameters=Parameters(time_limit_s=60))
    )
    changed = replace(s, offers=(replace(s.offers[0], quantity=3), *s.offers[1:]))
    assert snapshot_hash(changed) != snapshot_hash(s)


def test_the_exported_plan_lists_each_components_status_gap_and_time(exported: Path):
    components = json.loads((exported / "plan.json").read_text())["components"]
    assert components and all(
        {"status", "gap", "seconds", "time_limit", "bound"} <= set(c) for c in components
    )
    assert all(c["status"] == "optimal" and c["gap"] < 1e-3 for c in components)
