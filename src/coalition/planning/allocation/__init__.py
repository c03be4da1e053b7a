"""Allocation planner: match donors' offers to Ukraine's prioritised requirements.

Pure functions from a frozen `Snapshot` to a `Plan`; see docs/allocation.md.

Names are imported lazily (PEP 562): a worker process imports `...allocation.worker`, and this
package's __init__ runs first; importing the whole planner (scipy included) there would
double each worker's start-up time.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .explain import (
        OfferExplanation,
        OfferReason,
        Reason,
        RequirementExplanation,
        ShortfallReason,
        explain_offer,
        explain_requirement,
    )
    from .inputs import ItemType, Offer, Parameters, Pin, Requirement, Snapshot, snapshot_hash
    from .plan import AreaCoverage, Assignment, Plan, PlanStatus, RequirementCoverage
    from .snapshot_io import export_snapshot, load_plan, load_snapshot
    from .solve import allocate
    from .verify import VerificationReport, verify_snapshot_plan
    from .verify_files import verify_plan

_HOMES = {
    "AreaCoverage": ".plan",
    "Assignment": ".plan",
    "ItemType": ".inputs",
    "Offer": ".inputs",
    "OfferExplanation": ".explain",
    "OfferReason": ".explain",
    "Parameters": ".inputs",
    "Pin": ".inputs",
    "Plan": ".plan",
    "PlanStatus": ".plan",
    "Reason": ".explain",
    "Requirement": ".inputs",
    "RequirementCoverage": ".plan",
    "RequirementExplanation": ".explain",
    "ShortfallReason": ".explain",
    "Snapshot": ".inputs",
    "VerificationReport": ".verify",
    "allocate": ".solve",
    "explain_offer": ".explain",
    "explain_requirement": ".explain",
    "export_snapshot": ".snapshot_io",
    "load_plan": ".snapshot_io",
    "load_snapshot": ".snapshot_io",
    "snapshot_hash": ".inputs",
    "verify_plan": ".verify_files",
    "verify_snapshot_plan": ".verify",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(home, __name__), name)


__all__ = [
    "AreaCoverage",
    "Assignment",
    "ItemType",
    "Offer",
    "OfferExplanation",
    "OfferReason",
    "Parameters",
    "Pin",
    "Plan",
    "PlanStatus",
    "Reason",
    "Requirement",
    "RequirementCoverage",
    "RequirementExplanation",
    "ShortfallReason",
    "Snapshot",
    "VerificationReport",
    "allocate",
    "explain_offer",
    "explain_requirement",
    "export_snapshot",
    "load_plan",
    "load_snapshot",
    "snapshot_hash",
    "verify_plan",
    "verify_snapshot_plan",
]
