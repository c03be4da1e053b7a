"""The seeded bench instance S (30 nodes × 40 days × 400 lines) plans, and the plan passes every
rule of the independent checker; its what-if on the busiest hub does too."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from coalition.planning.logistics import (
    Closure,
    NodeKind,
    Parameters,
    PlanStatus,
    plan_routes,
    verify,
    whatif,
)

# Loaded from its file, not by putting bench/ on sys.path: bench/api.py would then shadow the
# tests' own `api` package for every test collected after this one.
_PATH = Path(__file__).resolve().parents[3] / "bench" / "logistics_instances.py"
_SPEC = importlib.util.spec_from_file_location("logistics_instances", _PATH)
assert _SPEC is not None and _SPEC.loader is not None
instances = importlib.util.module_from_spec(_SPEC)
sys.modules["logistics_instances"] = instances  # dataclasses look their module up by name
_SPEC.loader.exec_module(instances)
SIZES, generate = instances.SIZES, instances.generate


@pytest.mark.slow
def test_bench_instance_s_plans_within_every_capacity():
    size = SIZES["S"]
    network, lines = generate(size)
    plan = plan_routes(
        network, lines, parameters=Parameters(horizon_days=size.days, time_limit_s=10.0)
    )
    assert plan.status in (PlanStatus.OPTIMAL, PlanStatus.FEASIBLE)
    assert verify(network, lines, plan) == []
    assert np.all(plan.lane_tonnes <= plan.lane_capacity + 1e-6)
    assert np.all(plan.node_tonnes <= plan.node_capacity + 1e-6)
    assert 0.0 <= plan.gap < 1.0 and plan.lower_bound <= plan.objective

    hubs = [i for i, n in enumerate(network.nodes) if n.kind is NodeKind.HUB]
    busiest = hubs[int(np.argmax(plan.node_tonnes[hubs].sum(axis=1)))]
    closure = Closure(network.nodes[busiest].id, 5, 14)
    result = whatif(network, lines, plan, [closure], time_limit=5.0)
    assert verify(network.with_closures((closure,)), lines, result.plan) == []
    kept = {s for s in result.plan.shipments if s.line not in set(result.rerouted_lines)}
    assert kept <= set(plan.shipments)  # lines not re-routed keep their shipments
