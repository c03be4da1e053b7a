"""`allocate(snapshot) -> Plan`: the planner's single entry point (pure: no I/O, no database)."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Literal

import numpy as np

from . import budget
from .audit import objective_tolerance
from .components import split_components
from .greedy import greedy_plan
from .highs import solver_version
from .inputs import Snapshot, parameters_as_dict, snapshot_hash
from .milp import ComponentOutcome, checked_greedy, fallback_outcome, merge_outcomes
from .model import LINKING_DEFAULT, Linking
from .pairs import FloatArray, PairTable, build_pairs, main_objective
from .parallel import Task, TaskResult, Worker, run_parallel, run_task, start_workers
from .plan import (
    AreaCoverage,
    Assignment,
    ComponentSummary,
    Plan,
    PlanStatus,
    RequirementCoverage,
)
from .validate import validate_snapshot
from .verify import verify_snapshot_plan

Method = Literal["milp", "greedy"]
# Below this many pairs, worker start-up costs more than it saves.
PARALLEL_MIN_PAIRS = 20_000
# A second pass over time-limited components is not worth starting with less time left.
RETRY_MIN_S = 0.2
# From this many offers a snapshot usually has more than PARALLEL_MIN_PAIRS pairs.
EARLY_WORKERS_OFFERS = 5_000
# Small components are batched into one task until a task holds this many pairs.
TASK_MIN_PAIRS = 500


@dataclass(frozen=True)
class _Header:
    method: str
    parameters: dict[str, Any]
    solver: str
    snapshot_hash: str


def allocate(
    snapshot: Snapshot,
    method: Method = "milp",
    *,
    linking: Linking = LINKING_DEFAULT,
    workers: int | None = None,
) -> Plan:
    """Build the best plan for the snapshot (or the greedy plan with `method="greedy"`).

    Never raises on bad input: an impossible pin or malformed snapshot gives a plan with
    status `invalid_input` and the reasons in `messages`.
    """
    started = time.perf_counter()
    params = snapshot.parameters
    n_workers = max(1, params.workers if workers is None else workers)
    # Large snapshots will need workers: start them now, so that their start-up overlaps the
    # hash, the checks and the pair table instead of eating into the time limit.
    big = method == "milp" and len(snapshot.offers) >= EARLY_WORKERS_OFFERS
    early = start_workers(n_workers) if big else []
    try:
        return _allocate(snapshot, method, linking, n_workers, started, early)
    finally:
        for worker in early:
            if worker.process.poll() is None:  # started early but never needed
                worker.stop(kill=True)


def _allocate(
    snapshot: Snapshot,
    method: Method,
    linking: Linking,
    n_workers: int,
    started: float,
    early: list[Worker],
) -> Plan:
    params = snapshot.parameters
    header = _Header(
        method=method,
        parameters=parameters_as_dict(params),
        solver=solver_version() if method == "milp" else "greedy",
        snapshot_hash=snapshot_hash(snapshot),
    )
    errors = validate_snapshot(snapshot)
    if errors:
        return Plan(
            status=PlanStatus.INVALID_INPUT,
            objective=0.0,
            best_bound=None,
            gap=None,
            build_seconds=time.perf_counter() - started,
            solve_seconds=0.0,
            messages=tuple(errors),
            **header.__dict__,
        )
    table = build_pairs(snapshot)
    if not snapshot.requirements or not snapshot.offers:
        x = np.zeros(0)
        return _assemble(snapshot, table, x, PlanStatus.EMPTY, 0.0, started, 0.0, (), header)
    if method == "greedy":
        build = time.perf_counter() - started
        x = greedy_plan(table)
        plan = _assemble(snapshot, table, x, PlanStatus.GREEDY, None, started, build, (), header)
        return _audited(snapshot, plan, [])

    parts = split_components(table)
    tables = [table.subset(p) for p in parts]
    build = time.perf_counter() - started
    outcomes = _solve_components(tables, snapshot, n_workers, started, linking, early)
    x = np.zeros(table.n_pairs)
    summaries = []
    for k, (pairs, outcome) in enumerate(zip(parts, outcomes, strict=True)):
        x[pairs] = outcome.x
        build += outcome.build_seconds
        summaries.append(
            ComponentSummary(
                index=k,
                offers=int(tables[k].offer_quantity.size),
                requirements=int(tables[k].requirement_quantity.size),
                pairs=outcome.n_pairs,
                binaries=outcome.n_groups,
                status=outcome.status,
                objective=outcome.objective,
                bound=outcome.bound,
                gap=relative_gap(outcome.objective, outcome.bound),
                seconds=outcome.build_seconds + outcome.solve_seconds,
                time_limit=outcome.time_limit,
            )
        )
    status = _plan_status({o.status for o in outcomes})
    bound_sum = float(sum(o.bound for o in outcomes))
    bound = bound_sum if np.isfinite(bound_sum) else None
    messages = [
        f"component {k}: {o.status}: {o.detail}"
        for k, o in enumerate(outcomes)
        if o.status not in ("optimal", "time_limit_feasible") or "audit" in o.detail
    ]
    plan = _assemble(
        snapshot, table, x, status, bound, started, build, tuple(summaries), header, ()
    )
    return _audited(snapshot, plan, messages)


def _plan_status(statuses: set[str]) -> PlanStatus:
    for label, status in (
        ("infeasible", PlanStatus.INFEASIBLE),
        ("solver_error", PlanStatus.SOLVER_ERROR),
        ("greedy_fallback", PlanStatus.GREEDY_FALLBACK),
        ("time_limit_feasible", PlanStatus.TIME_LIMIT_FEASIBLE),
    ):
        if label in statuses:
            return status
    return PlanStatus.OPTIMAL


def relative_gap(objective: float, bound: float | None) -> float | None:
    if bound is None or not np.isfinite(bound):
        return None
    return max(bound - objective, 0.0) / max(abs(objective), 1e-9)


def _audited(snapshot: Snapshot, plan: Plan, messages: list[str]) -> Plan:
    """The last word before a status is reported: the independent verifier (plain Python, its
    own reading of the rules) re-checks the assembled plan, and the bound must not lie below
    the plan's own objective. Any failure makes the plan a solver error, whatever the label."""
    rows = [(a.offer_id, a.requirement_id, a.quantity) for a in plan.assignments]
    report = verify_snapshot_plan(snapshot, rows, plan.objective)
    problems = [f"audit: {v.rule}: {v.text}" for v in report.violations]
    if plan.best_bound is not None and plan.best_bound < plan.objective - objective_tolerance(
        plan.objective
    ):
        problems.append(
            f"audit: bound {plan.best_bound!r} lies below the objective {plan.objective!r}"
        )
    if problems:
        return replace(
            plan,
            status=PlanStatus.SOLVER_ERROR,
            best_bound=None,
            gap=None,
            messages=tuple(messages + problems),
        )
    return replace(plan, messages=tuple(messages))


def make_tasks(
    tables: list[PairTable],
    time_limit: float,
    params_gap: float,
    eps: float,
    linking: Linking,
    starts: tuple[FloatArray, ...] = (),
) -> list[Task]:
    """Components in order (largest first), small ones batched until a task has
    `TASK_MIN_PAIRS` pairs: a message per component would cost more than solving it."""
    tasks: list[Task] = []
    batch: list[int] = []
    batch_pairs = 0
    for k, t in enumerate(tables):
        batch.append(k)
        batch_pairs += t.n_pairs
        if batch_pairs >= TASK_MIN_PAIRS or k == len(tables) - 1:
            tasks.append(
                Task(
                    len(tasks),
                    tuple(tables[i] for i in batch),
                    time_limit,
                    params_gap,
                    eps,
                    linking,
                    starts=tuple(starts[i] for i in batch) if starts else (),
                )
            )
            batch, batch_pairs = [], 0
    return tasks


def _solve_components(
    tables: list[PairTable],
    snapshot: Snapshot,
    n_workers: int,
    started: float,
    linking: Linking,
    early: list[Worker],
) -> list[ComponentOutcome]:
    """Two passes: every component with its share of the time (so none starves), then the
    time left over goes to those that stopped at their share, warm-started from their plan."""
    params = snapshot.parameters
    workers: list[Worker] = list(early)
    try:
        outcomes = _solve_pass(tables, (), snapshot, n_workers, started, linking, workers)
        retry = sorted(
            (k for k, o in enumerate(outcomes) if o.status == "time_limit_feasible"),
            key=lambda k: outcomes[k].objective - outcomes[k].bound,  # largest gap first
        )
        solve_by = budget.solve_deadline(started, params.time_limit_s)
        if retry and solve_by - time.perf_counter() > RETRY_MIN_S:
            again = _solve_pass(
                [tables[k] for k in retry],
                tuple(outcomes[k].x for k in retry),
                snapshot,
                n_workers,
                started,
                linking,
                workers,
            )
            for k, outcome in zip(retry, again, strict=True):
                outcomes[k] = merge_outcomes(
                    tables[k], outcomes[k], outcome, params.mip_gap, params.tie_break_epsilon
                )
    finally:
        for worker in workers:
            if worker.process.poll() is None:
                worker.stop(kill=False)
    return outcomes


def _solve_pass(
    tables: list[PairTable],
    starts: tuple[FloatArray, ...],
    snapshot: Snapshot,
    n_workers: int,
    started: float,
    linking: Linking,
    workers: list[Worker],
) -> list[ComponentOutcome]:
    params = snapshot.parameters
    solve_by = budget.solve_deadline(started, params.time_limit_s)
    tasks = make_tasks(
        tables, params.time_limit_s, params.mip_gap, params.tie_break_epsilon, linking, starts
    )
    total_pairs = sum(t.n_pairs for t in tables)
    results: dict[int, TaskResult] = {}
    if total_pairs < PARALLEL_MIN_PAIRS and not workers:
        # In process: small enough that HiGHS's own time limit keeps the limit. Anything
        # larger goes to workers (even with one) so that the hard deadline can be enforced.
        weight_left = sum(budget.weight(t) for t in tables)
        for task in tasks:
            weight = sum(budget.weight(t) for t in task.tables)
            limit = budget.share(solve_by - time.perf_counter(), weight, weight_left)
            weight_left -= weight
            results[task.index] = result = TaskResult()
            for message in run_task(replace(task, time_limit=limit)):
                result.take(message)
    else:
        hard = budget.hard_deadline(started, params.time_limit_s)
        pool: list[Worker] = [workers.pop() for _ in range(len(workers))]
        results = run_parallel(tasks, pool or n_workers, solve_by, hard, keep=workers)

    outcomes: list[ComponentOutcome] = []
    last_call = budget.last_call(started, params.time_limit_s)
    for task in tasks:
        result = results[task.index]
        for k, t in enumerate(task.tables):
            if k in result.outcomes:
                outcomes.append(result.outcomes[k])
            else:
                reason = result.failure or "no outcome"
                outcomes.append(_greedy_fallback(t, result.fallbacks.get(k), reason, last_call))
    return outcomes


def _greedy_fallback(
    t: PairTable, x: FloatArray | None, reason: str, last_call: float
) -> ComponentOutcome:
    """The component's greedy plan; past `last_call` (the hard limit is near) only its pins,
    which are feasible and cost nothing to compute."""
    if x is None:
        if time.perf_counter() < last_call:
            x = checked_greedy(t)
        else:
            x, reason = t.lower.copy(), f"{reason}; no time left for the greedy plan: pins only"
    return fallback_outcome(t, x, reason)


def _assemble(
    snapshot: Snapshot,
    table: PairTable,
    x: FloatArray,
    status: PlanStatus,
    bound: float | None,
    started: float,
    build_seconds: float,
    components: tuple[ComponentSummary, ...],
    header: _Header,
    messages: tuple[str, ...] = (),
) -> Plan:
    reqs, offers = snapshot.requirements, snapshot.offers
    objective = main_objective(table, x) if table.n_pairs else 0.0
    used = np.flatnonzero(x > 0)
    assignments = tuple(
        Assignment(
            offer_id=offers[int(table.offer[p])].id,
            requirement_id=reqs[int(table.requirement[p])].id,
            quantity=float(x[p]),
            arrival=date.fromordinal(int(table.arrival[p])),
            lateness_factor=float(table.factor[p]),
            value=float(table.value[p] * x[p]),
        )
        for p in used.tolist()
    )
    groups = np.unique(table.group[used][table.group[used] >= 0])
    new_types = tuple(
        sorted((table.group_family[g], table.group_item_type[g]) for g in groups.tolist())
    )
    served = np.bincount(table.requirement[used], x[used], len(reqs)) if reqs else np.zeros(0)
    # Coverage of each need in full: what the allocation in force already covers, then that
    # plus this plan's units (`quantity` is only the part still open).
    coverage = tuple(
        RequirementCoverage(
            requirement_id=r.id,
            capability_area=r.capability_area,
            priority=r.priority,
            quantity=r.quantity + r.already_covered,
            covered_before=r.already_covered / (r.quantity + r.already_covered),
            covered_after=float(
                min((r.already_covered + served[i]) / (r.quantity + r.already_covered), 1.0)
            ),
        )
        for i, r in enumerate(reqs)
    )
    weights: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    for c in coverage:
        w = snapshot.parameters.weight(c.priority)
        acc = weights[c.capability_area]
        acc[0] += 1
        acc[1] += w
        acc[2] += w * c.covered_before
        acc[3] += w * c.covered_after
    areas = tuple(
        AreaCoverage(
            area, int(n), before / total if total else 0.0, after / total if total else 0.0
        )
        for area, (n, total, before, after) in sorted(weights.items())
    )
    gap = relative_gap(objective, bound)
    return Plan(
        status=status,
        objective=objective,
        best_bound=bound,
        gap=gap,
        build_seconds=build_seconds,
        solve_seconds=time.perf_counter() - started - build_seconds,
        assignments=assignments,
        new_types=new_types,
        requirement_coverage=coverage,
        area_coverage=areas,
        components=components,
        messages=messages,
        **header.__dict__,
    )
