"""Stored training plans, read through the principal's filter (coordination staff only)."""

from __future__ import annotations

from coalition.storage.plan_versions import VersionedPlanStore
from coalition.storage.tables import training_plans

TRAINING_PLAN_ENTITY = "training_plan"


class TrainingPlanStore(VersionedPlanStore):
    table = training_plans
    entity = TRAINING_PLAN_ENTITY
