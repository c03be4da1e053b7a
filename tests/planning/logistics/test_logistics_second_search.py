"""The second rip-up search on the other core (`solve._improve`): it runs only once the flow
bound's process has finished — checked before every step of the first search, and started
from that search's incumbent then — and the better of the two plans is kept."""

from __future__ import annotations

import multiprocessing
import time
from unittest import mock

import pytest
from lx_support import greedy_routing, heavy_and_small

from coalition.planning.logistics import Parameters
from coalition.planning.logistics import solve as solve_module
from coalition.planning.logistics.lagrange import Multipliers
from coalition.planning.logistics.network import build_arrays
from coalition.planning.logistics.primal import Routing

P = Parameters(horizon_days=8, time_limit_s=10.0, lateness_eur=100.0)

pytestmark = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="needs fork"
)


def _case():
    # S first makes H a day late (120 EUR); H first is on time for both (20 EUR)
    net, lines = heavy_and_small()
    a = build_arrays(net, lines, P.horizon_days)
    greedy, has_path = greedy_routing(a, P.lateness_eur)
    h_first = Routing({(0, ((0, 0, 1),)): 1, (1, ((0, 1, 2),)): 10})
    return a, has_path, greedy, h_first


def _sends(send):
    send.send("bound")
    send.close()


def _silent(send):
    time.sleep(30)


def _finished_job():
    job = solve_module._fork(_sends, ())
    assert job[1].poll(10)
    return job


def _sends_later(send):
    time.sleep(0.5)
    _sends(send)


def _run(a, has_path, bound_job, by_seed):
    def search(a, routing, lam, has_path, le, pen, chunk, stop, seed, each_step=None):
        if each_step is not None:
            each_step(routing)  # the first step: the fork happens here if the bound is done
        return by_seed[seed]

    with mock.patch.object(solve_module, "_search", search):
        return solve_module._improve(
            a, by_seed[0], Multipliers.zeros(a), has_path, P, time.monotonic() + 10, bound_job
        )


def test_the_better_plan_of_the_two_searches_is_kept():
    a, has_path, greedy, h_first = _case()
    assert solve_module._value(a, greedy, P) == pytest.approx(120.0)
    assert solve_module._value(a, h_first, P) == pytest.approx(20.0)
    # the forked search (seed 1) finds the better plan
    kept = _run(a, has_path, _finished_job(), {0: greedy, 1: h_first})
    assert solve_module._value(a, kept, P) == pytest.approx(20.0)
    # the search here (seed 0) finds it
    kept = _run(a, has_path, _finished_job(), {0: h_first, 1: greedy})
    assert solve_module._value(a, kept, P) == pytest.approx(20.0)


def test_no_second_search_while_the_bound_still_runs_or_was_computed_inline():
    a, has_path, greedy, h_first = _case()
    running = solve_module._fork(_silent, ())  # sends nothing: still running
    try:
        kept = _run(a, has_path, running, {0: greedy, 1: h_first})
    finally:
        running[0].terminate()
        running[0].join()
    assert solve_module._value(a, kept, P) == pytest.approx(120.0)
    inline = solve_module.FlowBound(0.0, "optimal", 0, 0)
    kept = _run(a, has_path, inline, {0: greedy, 1: h_first})
    assert solve_module._value(a, kept, P) == pytest.approx(120.0)


def test_the_second_search_starts_when_the_bound_finishes_during_the_first():
    a, has_path, greedy, h_first = _case()
    job = solve_module._fork(_sends_later, ())
    forked = []
    real_fork = solve_module._fork

    def fork(target, args):
        forked.append(args[1])  # the plan the second search starts from
        return real_fork(target, args)

    def search(a, routing, lam, has_path, le, pen, chunk, stop, seed, each_step=None):
        if each_step is None:
            return routing  # the second search: returns the plan it started from
        each_step(greedy)  # the bound is still running: nothing is forked
        assert forked == []
        assert job[1].poll(10)
        each_step(h_first)  # a later step, the incumbent improved: forked from it
        each_step(greedy)  # and only once
        return greedy

    with (
        mock.patch.object(solve_module, "_search", search),
        mock.patch.object(solve_module, "_fork", fork),
    ):
        kept = solve_module._improve(
            a, greedy, Multipliers.zeros(a), has_path, P, time.monotonic() + 10, job
        )
    assert forked == [h_first]
    assert solve_module._value(a, kept, P) == pytest.approx(20.0)
