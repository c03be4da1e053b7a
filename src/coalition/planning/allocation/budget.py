"""How the time limit is shared between components, so that no component starves.

Every piece of work (a component, or a task of batched components) gets a share of the time
still left, proportional to its weight among the work still waiting, never less than a floor
and never more than what is left. Work that finishes early leaves its unused time to the work
after it, because each share is computed from the clock when that work starts.

Deadlines, measured from the start of `allocate`:
  solve deadline = limit − reserve   HiGHS runs and polishes end here (shares are cut to it);
  hard deadline  = limit + margin    a worker still running is killed; its finished components
                                     are kept, the others take the greedy plan the worker sent
                                     or, computed here, until
  last call      = limit + 0.6 s     after which a component left without a plan gets its pins
                                     only (feasible, free to compute).
The rest, up to limit + 1 s, is for greedy fallbacks, the plan's assembly and its audit.
"""

from __future__ import annotations

from .pairs import PairTable

# Shares are this many times the strictly proportional one. Measured on bench M with a 2 s
# limit: 1 → 31 of 99 components without a plan, 2 → 78, 3 → 84 (components cut at their share
# waste it); the second pass in solve.py gives the time left over to the components cut.
GENEROSITY = 1.0
# A component cannot even start HiGHS in less; below this its greedy plan is used.
FLOOR_S = 0.05
# Binaries drive branch-and-bound effort; a pair-only component is one LP.
BINARY_WEIGHT = 50.0
# Kept back from the solve for assembly and the final audit (at most 10 % of the limit).
RESERVE_S = 0.25
# Past the limit, how long a worker may overrun before it is killed.
HARD_MARGIN_S = 0.4
# Past the limit, until when a missing component may still get its greedy plan.
LAST_CALL_S = 0.6


def weight(t: PairTable) -> float:
    return float(t.n_pairs) + BINARY_WEIGHT * float(t.group_penalty.size)


def share(remaining: float, weight: float, weight_left: float, slots: int = 1) -> float:
    """Seconds for the next piece of work of `weight`, when `weight_left` (including it) is
    still waiting and `slots` workers run side by side over the `remaining` seconds."""
    if remaining <= 0.0:
        return 0.0
    if weight_left <= 0.0:
        return remaining
    proportional = GENEROSITY * remaining * slots * weight / weight_left
    return min(remaining, max(FLOOR_S, proportional))


def solve_deadline(started: float, time_limit: float) -> float:
    return started + time_limit - min(RESERVE_S, 0.1 * time_limit)


def hard_deadline(started: float, time_limit: float) -> float:
    return started + time_limit + HARD_MARGIN_S


def last_call(started: float, time_limit: float) -> float:
    """After this, a component without an outcome gets its pins only (no greedy pass)."""
    return started + time_limit + LAST_CALL_S
