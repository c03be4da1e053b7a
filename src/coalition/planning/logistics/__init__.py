"""Logistics planner: route lines over a time-expanded network of lanes and hubs.

Pure functions of frozen inputs (`Network`, `Line`s, a horizon) to a `RoutePlan`; see
docs/logistics.md. `plan_routes` plans, `whatif` re-plans after closures, `verify` lists every
rule a plan breaks.
"""

from __future__ import annotations

from coalition.domain.network import Mode, NodeKind

from .model import (
    Closure,
    Eta,
    Lane,
    Leg,
    Line,
    LineDelay,
    Network,
    Node,
    Parameters,
    PlanStatus,
    RoutePlan,
    Shipment,
    Unrouted,
    UnroutedReason,
    WhatIf,
)
from .solve import plan_routes
from .verify import verify
from .whatif import whatif

__all__ = [
    "Closure",
    "Eta",
    "Lane",
    "Leg",
    "Line",
    "LineDelay",
    "Mode",
    "Network",
    "Node",
    "NodeKind",
    "Parameters",
    "PlanStatus",
    "RoutePlan",
    "Shipment",
    "Unrouted",
    "UnroutedReason",
    "WhatIf",
    "plan_routes",
    "verify",
    "whatif",
]
