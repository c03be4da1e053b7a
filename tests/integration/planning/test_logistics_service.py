"""The logistics service on a small ledger, with routes and dates worked by hand.

Network: DEU-DEPOT-1 →(road, 2 days)→ POL-HUB-1 →(1 day)→ POL-BX-MEDYKA →(1 day)→ UA-DEP-W1.
The accepted allocation sends 4 PzH 2000 (55.3 t each) from Germany to UA-DEP-W1.
"""

from __future__ import annotations

from datetime import date

import pytest

from coalition.domain.access import Principal, Role
from coalition.planning import allocation as planner
from coalition.services import allocation, logistics
from coalition.services.errors import Forbidden, NotFound
from coalition.storage.unit_of_work import UnitOfWork
from support_ledger import OFFERS_HEADER, import_text

DAY_ZERO = date(2026, 12, 1)
COORDINATOR = Principal("coordinator", Role.COORDINATOR)
NODES = (
    "code,name,kind,country,latitude,longitude,handling_t_per_day\n"
    "DEU-DEPOT-1,Depot,depot,DEU,52.5,13.4,\n"
    "POL-HUB-1,Hub,hub,POL,50.1,22.0,\n"
    "POL-BX-MEDYKA,Crossing,border,POL,49.8,22.9,\n"
    "UA-DEP-W1,Western depot 1,delivery,UKR,49.8,24.0,\n"
)


def lanes(middle_capacity: int) -> str:
    return (
        "code,from_node,to_node,mode,transit_days,capacity_t_per_day,outsize_per_day,"
        "cost_eur_per_t\n"
        "DEU-DEPOT-1_POL-HUB-1_road,DEU-DEPOT-1,POL-HUB-1,road,1.6,1000,8,50\n"
        f"POL-HUB-1_POL-BX-MEDYKA_road,POL-HUB-1,POL-BX-MEDYKA,road,1,{middle_capacity},8,10\n"
        "POL-BX-MEDYKA_UA-DEP-W1_road,POL-BX-MEDYKA,UA-DEP-W1,road,1,1000,8,10\n"
    )


REQUIREMENTS = (
    "ref,capability_area,family_code,quantity,priority,needed_by,destination_code,status\n"
    "REQ-2,artillery,SPH-155,4,1,2026-12-06,UA-DEP-W1,approved\n"
)
OFFERS = OFFERS_HEADER + "DEU,OF-1,PZH2000,4,2026-11-01,DEU,new,,EUR,,offered,\n"


def ledger(seeded, tmp_path, middle_capacity: int):
    import_text(seeded, tmp_path, "nodes", NODES)
    import_text(seeded, tmp_path, "lanes", lanes(middle_capacity))
    import_text(seeded, tmp_path, "requirements", REQUIREMENTS)
    import_text(seeded, tmp_path, "offers", OFFERS)
    stored, _ = allocation.run(COORDINATOR, planner.Parameters(), engine=seeded)
    with UnitOfWork(seeded, COORDINATOR) as uow:
        allocation.accept(uow, stored.id)
    return seeded


def arrivals(stored):
    (eta,) = stored.document["etas"]
    return eta["last_arrival_day"], [tuple(a) for a in eta["arrivals"]], eta["days_late"]


def test_a_line_takes_the_only_path_and_arrives_on_the_day_worked_by_hand(seeded, tmp_path):
    engine = ledger(seeded, tmp_path, middle_capacity=1000)
    stored = logistics.run(COORDINATOR, 30, 10.0, engine, DAY_ZERO)
    # 1.6 transit days round up to 2 in a daily plan: days 0→2→3→4.
    assert arrivals(stored) == (4, [(4, 4)], 0)
    assert stored.status in ("optimal", "feasible") and stored.summary.late == 0
    (shipment,) = stored.document["shipments"]
    assert [leg[0] for leg in shipment["legs"]] == [
        "DEU-DEPOT-1_POL-HUB-1_road", "POL-HUB-1_POL-BX-MEDYKA_road",
        "POL-BX-MEDYKA_UA-DEP-W1_road",
    ]  # fmt: skip
    assert stored.summary.lower_bound <= stored.summary.objective + 1e-6


def test_a_narrow_lane_spreads_the_units_over_days_and_makes_the_line_late(seeded, tmp_path):
    # 100 t a day through the middle lane carries one 55.3 t howitzer a day: arrivals on days
    # 4, 5, 6 and 7; needed by day 5 (6 December), so 1 + 2 unit-days late at priority 1.
    engine = ledger(seeded, tmp_path, middle_capacity=100)
    stored = logistics.run(COORDINATOR, 30, 10.0, engine, DAY_ZERO)
    last, spread, late = arrivals(stored)
    assert (last, sorted(spread)) == (7, [(4, 1), (5, 1), (6, 1), (7, 1)])
    assert late == 2 and stored.summary.late == 1


def test_accepting_feeds_the_journey_time_to_the_allocation(seeded, tmp_path):
    engine = ledger(seeded, tmp_path, middle_capacity=100)
    stored = logistics.run(COORDINATOR, 30, 10.0, engine, DAY_ZERO)
    with UnitOfWork(engine, COORDINATOR) as uow:
        assert logistics.transit_days_in_force(uow) == {}
        logistics.accept(uow, stored.id)
    with UnitOfWork(engine, COORDINATOR, write=False) as uow:
        assert logistics.transit_days_in_force(uow) == {("DEU", "UA-DEP-W1"): 7}
    # A new need at the same place and a new German offer: the allocation now expects the
    # journey to take what the accepted logistics plan found, not the fixed table's days.
    import_text(engine, tmp_path, "requirements", REQUIREMENTS.replace("REQ-2", "REQ-3"))
    import_text(engine, tmp_path, "offers", OFFERS.replace("OF-1", "OF-2"))
    with UnitOfWork(engine, COORDINATOR, write=False) as uow:
        basis = allocation.prepare(uow, planner.Parameters())
    assert basis.snapshot.transit_days[("DEU", "UA-DEP-W1")] == 7


def test_closing_the_hub_leaves_the_line_without_a_path(seeded, tmp_path):
    engine = ledger(seeded, tmp_path, middle_capacity=1000)
    base = logistics.run(COORDINATOR, 30, 10.0, engine, DAY_ZERO)
    report = logistics.whatif(COORDINATOR, "POL-HUB-1", DAY_ZERO, None, 10.0, engine)
    assert report.base_id == base.id and report.plan.id == base.id + 1
    assert [d["line"] for d in report.delayed] == ["DEU:OF-1>REQ-2"]
    assert report.plan.summary.units_unrouted == 4
    with pytest.raises(NotFound, match="NOWHERE"):
        logistics.whatif(COORDINATOR, "NOWHERE", DAY_ZERO, None, 10.0, engine)


def test_only_staff_plan_and_others_see_no_logistics_plans(seeded, tmp_path):
    engine = ledger(seeded, tmp_path, middle_capacity=1000)
    stored = logistics.run(COORDINATOR, 30, 10.0, engine, DAY_ZERO)
    desk = Principal("desk", Role.DONOR, "DEU")
    with pytest.raises(Forbidden):
        logistics.run(desk, 30, 10.0, engine, DAY_ZERO)
    with UnitOfWork(engine, desk, write=False) as uow:
        assert logistics.list_plans(uow) == ([], 0)
        with pytest.raises(NotFound):
            logistics.get_plan(uow, stored.id)
