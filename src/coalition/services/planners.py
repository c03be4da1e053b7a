"""Figures of planners that other branches are building (logistics, training, readiness).

Each function returns None while its planner does not exist: the brief then says the section
is not available and shows no figure. Plugging a planner in means returning its figures here
(plain JSON-ready data computed through the unit of work, filtered for its principal).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from coalition.storage.unit_of_work import UnitOfWork

NOT_AVAILABLE = {
    "logistics": "the logistics planner is not built yet",
    "training": "the training planner is not built yet",
    "readiness": "the readiness and effective-capability model is not built yet",
}


def logistics(uow: UnitOfWork, first: date, last: date) -> dict[str, Any] | None:
    """Shipments moved and lanes in use in the period (route planner), or None."""
    return None


def training(uow: UnitOfWork, first: date, last: date) -> dict[str, Any] | None:
    """Who was trained on what in the period (training planner), or None."""
    return None


def readiness(uow: UnitOfWork, on: date) -> dict[str, Any] | None:
    """Readiness and effective capability per area (delivered, crewed, sustained), or None."""
    return None
