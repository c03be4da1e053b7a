"""A HiGHS instance that prints nothing, for every planning engine that solves an LP or MIP.

The first `highspy.Highs()` in a process prints a banner on stdout (which would corrupt, for
example, a command's JSON output), so that construction runs with fd 1 pointed at /dev/null;
every instance then has its log off, one thread and a fixed random seed (repeatable runs).
"""

from __future__ import annotations

import ctypes
import os
import sys

import highspy

_banner_shown = False


def quiet_highs(time_limit: float) -> highspy.Highs:
    global _banner_shown
    if _banner_shown:
        h = highspy.Highs()  # type: ignore[no-untyped-call]
    else:
        sys.stdout.flush()
        saved, devnull = os.dup(1), os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, 1)
            h = highspy.Highs()  # type: ignore[no-untyped-call]
            ctypes.CDLL(None).fflush(None)  # push the C-level buffer into /dev/null
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            os.close(devnull)
        _banner_shown = True
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("random_seed", 0)
    h.setOptionValue("time_limit", max(float(time_limit), 0.01))
    return h
