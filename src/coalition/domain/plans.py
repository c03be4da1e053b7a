"""The life of a stored plan, and what makes one stale.

A plan is proposed when computed, accepted by a coordinator, and superseded when a later plan
is accepted (an accepted plan holds the whole allocation in force, so only one is in force).
A plan may be accepted only while the ledger inputs it was computed from are unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any

# Digest of a plan's inputs: {"offers": {id: {field: value}}, "requirements": {...}}.
InputsDigest = Mapping[str, Mapping[str, Mapping[str, Any]]]


class PlanState(StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    SUPERSEDED = "superseded"


def plan_state(accepted: bool, superseded: bool) -> PlanState:
    if superseded:
        return PlanState.SUPERSEDED
    return PlanState.ACCEPTED if accepted else PlanState.PROPOSED


def input_changes(computed_from: InputsDigest, now: InputsDigest) -> list[str]:
    """Each change between the inputs a plan was computed from and today's, one line each."""
    lines: list[str] = []
    for group in sorted(set(computed_from) | set(now)):
        noun = group.rstrip("s").replace("_", " ")
        old, new = computed_from.get(group, {}), now.get(group, {})
        for key in sorted(set(old) | set(new)):
            if key not in new:
                lines.append(f"{noun} {key}: no longer open for planning")
            elif key not in old:
                lines.append(f"{noun} {key}: new since the plan was computed")
            elif old[key] != new[key]:
                fields = _changed_fields(old[key], new[key])
                lines.append(f"{noun} {key}: " + "; ".join(fields))
    return lines


def _changed_fields(old: Mapping[str, Any], new: Mapping[str, Any]) -> Sequence[str]:
    return [
        f"{name} {old.get(name)} → {new.get(name)}"
        for name in sorted(set(old) | set(new))
        if old.get(name) != new.get(name)
    ]
