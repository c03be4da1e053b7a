"""How the time limit is shared between components, so that no component starves.

Every piece of work (a component, or a task of batched components) gets a share of the time
still left, proportional to its weight among the work still waiting, never less than a floor
and never more than what is left. Work that finishes early leaves its unused time to the work
after it, because each share is computed from the clock when that work starts.

Deadlines, measured from the start of `allocate`:
  solve deadline = limit − reserve   HiGHS runs and polishes end here (shares are cut to it);
  hard deadline  = limit + margin    a worker still running is killed; its finished components
                                     are kept, the others take the greedy plan.
The rest, up to limit + 1 s, is for greedy fallbacks, the plan's assembly and its audit.
"""

from __future__ import annotations

from .pairs import PairTable

# A component cannot even start HiGHS in less; below this its greedy plan is used.
FLOOR_S = 0.05
# Binaries drive branch-and-bound effort; a pair-only component is one LP.
BINARY_WEIGHT = 50.0
# Kept back from the solve for assembly and the final audit (at most 10 % of the limit).
RESERVE_S = 0.25
# Past the limit, how long a worker may overrun before it is killed.
HARD_MARGIN_S = 0.4


def weight(t: PairTable) -> float:
    return float(t.n_pairs) + BINARY_WEIGHT * float(t.group_penalty.size)


def share(remaining: float, weight: float, weight_left: float, slots: int = 1) -> float:
    """Seconds for the next piece of work of `weight`, when `weight_left` (including it) is
    still waiting and `slots` workers run side by side over the `remaining` seconds."""
    if remaining <= 0.0:
        return 0.0
    if weight_left <= 0.0:
        return remaining
    proportional = remaining * slots * weight / weight_left
    return min(remaining, max(FLOOR_S, proportional))


def solve_deadline(started: float, time_limit: float) -> float:
    return started + time_limit - min(RESERVE_S, 0.1 * time_limit)


def hard_deadline(started: float, time_limit: float) -> float:
    return started + time_limit + HARD_MARGIN_S
