"""The earliest-intake baseline: cohorts by line priority, then ETA, then size (largest first);
each takes, course after course in chain order, the earliest intake with seats left that starts
after its prerequisites end. A cohort that cannot finish its chain is left out and its seats
released."""

from __future__ import annotations

import numpy as np

from .arrays import Arrays, IntArray


def greedy_assignment(a: Arrays, remaining: np.ndarray | None = None) -> IntArray:
    """(K, max chain) intake indices per cohort, -1 padded; row all -1: unscheduled (or no
    course to take; see Arrays.signatures)."""
    seats = a.seats.copy() if remaining is None else remaining
    width = max((len(s.chain) for s in a.signatures), default=0)
    out = np.full((len(a.cohort_ids), width), -1, dtype=np.int64)
    # Candidate intakes of each signature's courses: those that appear in a feasible schedule.
    cands = [
        [np.unique(sig.schedules[:, j]) for j in range(len(sig.chain))] for sig in a.signatures
    ]
    for lst in cands:
        for j, c in enumerate(lst):
            lst[j] = c[np.argsort(a.intake_start[c], kind="stable")]
    order = np.lexsort((-a.size, a.eta, -a.line_weight))
    start, end = a.intake_start, a.intake_end
    for k in order:
        sig = a.signatures[a.cohort_signature[k]]
        if sig.schedules.shape[0] == 0:
            continue
        n = a.size[k]
        chosen: list[int] = []
        ready = -(10**9)
        ok = True
        for j in range(len(sig.chain)):
            # in chain order the prerequisites come first; waiting for all earlier courses is
            # what "earliest intake after its prerequisites" means for a chain
            found = -1
            for i in cands[a.cohort_signature[k]][j]:
                if start[i] >= ready and seats[i] >= n:
                    found = int(i)
                    break
            if found < 0:
                ok = False
                break
            chosen.append(found)
            ready = max(ready, int(end[found]))
        if ok:
            seats[chosen] -= n
            out[k, : len(chosen)] = chosen
    return out
