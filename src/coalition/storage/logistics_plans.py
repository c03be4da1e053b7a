"""Stored logistics plans, read through the principal's filter (coordination staff only)."""

from __future__ import annotations

from coalition.storage.plan_versions import VersionedPlanStore
from coalition.storage.tables import logistics_plans

LOGISTICS_PLAN_ENTITY = "logistics_plan"


class LogisticsPlanStore(VersionedPlanStore):
    table = logistics_plans
    entity = LOGISTICS_PLAN_ENTITY
