"""Allocation planner: match donors' offers to Ukraine's prioritised requirements.

Pure functions from a frozen `Snapshot` to a `Plan`; see docs/allocation.md.
"""

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
