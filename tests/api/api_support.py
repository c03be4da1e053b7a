"""Helpers for the API tests: a seeded ledger with a user (and token) of each role, and the
problem-details shape every error must have."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from coalition.domain.access import Principal, Role
from coalition.services import accounts
from coalition.storage.unit_of_work import UnitOfWork
from support_ledger import BURDEN_SEED, OFFERS_HEADER, SEED, TRAINING_SEED, import_text

PASSWORD = "correct horse battery staple"
BOOTSTRAP = Principal("bootstrap")
ADMIN = Principal("admin", Role.ADMIN)

# (user, role, donor): every role, and two donors so "own" and "other" both exist.
USERS = (
    ("admin", "admin", None),
    ("coord", "coordinator", None),
    ("desk-deu", "donor", "DEU"),
    ("desk-pol", "donor", "POL"),
    ("ukraine", "recipient", None),
    ("analyst", "analyst", None),
    ("auditor", "auditor", None),
)
ROLE_USERS = {role if role != "donor" else f"donor-{donor}": user for user, role, donor in USERS}

OFFERS = OFFERS_HEADER + (
    "DEU,DEU-OF-0001,PZH2000,4,2026-02-01,DEU,new,20000000,EUR,,offered,\n"
    "DEU,DEU-OF-0002,HE155,500,2026-02-01,DEU,new,,EUR,,offered,\n"
    "POL,POL-OF-0001,KRAB,2,2026-03-01,POL,new,,EUR,,offered,\n"
)
PLEDGES = (
    "donor_code,external_id,amount,currency,year,pledged_on,purpose,status,channel_code,"
    "disbursed_on\n"
    "DEU,DEU-FIN-2025-01,500000000,EUR,2025,2025-02-12,procurement,pledge,,\n"
    "POL,POL-FIN-2025-01,100000000,EUR,2025,2025-03-01,procurement,pledge,,\n"
)


@dataclass
class Api:
    client: TestClient
    engine: Engine
    tokens: dict[str, str]  # user name -> bearer token
    engine_tmp: Path  # a folder for files the test imports

    def auth(self, user: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[user]}"}


# A record in every registry the seed above leaves empty, so each has one to read and change.
FLEET = "item_type_code,recipient_code,quantity,as_of\nPZH2000,UA-DEP-W1,4,2026-11-01\n"
COMPATIBILITY = "item_type_code,target_kind,target_code\nHE155,family,SPH-155\n"
NODES = (
    "code,name,kind,country,latitude,longitude,handling_t_per_day\n"
    "POL-HUB-1,Rzeszow hub,hub,POL,50.11,22.02,1200\n"
    "POL-BX-MEDYKA,Medyka crossing,border,POL,49.80,22.94,400\n"
)
LANES = (
    "code,from_node,to_node,mode,transit_days,capacity_t_per_day,outsize_per_day,"
    "cost_eur_per_t\nPOL-HUB-1_POL-BX-MEDYKA_road,POL-HUB-1,POL-BX-MEDYKA,road,1,400,8,20\n"
)

# The cooperation tracker and meetings register (domain/cooperation.py).
COOPERATION = {
    "proposals": "id,set_year,strand,text,illustrative,eu_lead,nato_lead,source\n"
                 "2016-HYB-a,2016,hybrid,Join the Hybrid CoE,false,EEAS,NATO IS,test\n",
    "progress-reports": "number,period_from,period_to,presented_on,title\n"
                        "7,2021-06-01,2022-05-31,2022-06-20,Seventh progress report\n"
                        "8,2022-06-01,2023-05-31,2023-06-16,Eighth progress report\n",
    "proposal-progress": "proposal_id,report_number,status,narrative\n"
                         "2016-HYB-a,8,in_progress,test\n",
    "meetings": "code,format,held_on,title\nUDCG-1,udcg,2026-02-11,Contact Group\n",
    "taskings": "meeting_code,number,decision,owner,due_on,status\n"
                "UDCG-1,1,Pool offers,Artillery coalition,2026-05-15,open\n",
}  # fmt: skip


# For the tracking routes: an accepted DEU offer of an item no requirement can use (no
# compatibility), so plans are as without it.
M107 = (
    "code,name,family_code,supply_class,unit_of_issue\nM107,155mm M107 projectile,AMMO-155,V,RD\n"
)
ACCEPTED = OFFERS_HEADER + "DEU,DEU-OF-0005,M107,500,2026-02-01,DEU,new,,EUR,,accepted,\n"


# What the demo's usage rates for the PzH 2000 and the Krab consume, so the fleet above has
# sustainment drafts (a rate naming an item type the catalogue lacks is refused).
SUSTAINMENT_FAMILIES = "code,name,capability_area\nSPARES-SPH-155,Spare parts SPH,artillery\n"
SUSTAINMENT_ITEMS = (
    "code,name,family_code,supply_class,unit_of_issue,reference_value_eur,platform_code\n"
    "AMM-155-M795,155mm HE M795,AMMO-155,V,RD,3000,\n"
    "SPK-PZH2000,Spare parts kit PzH 2000,SPARES-SPH-155,II,KIT,780000,PZH2000\n"
    "SPK-KRAB,Spare parts kit Krab,SPARES-SPH-155,II,KIT,650000,KRAB\n"
)


def seed(engine: Engine, tmp_path: Path) -> dict[str, str]:
    every = {**SEED, **BURDEN_SEED, "compatibility": COMPATIBILITY, "fleet": FLEET,
             "nodes": NODES, "lanes": LANES, "offers": OFFERS, "pledges": PLEDGES,
             **COOPERATION, **TRAINING_SEED}  # fmt: skip
    for kind, text in every.items():
        import_text(engine, tmp_path, kind, text)
    import_text(engine, tmp_path, "families", SUSTAINMENT_FAMILIES, name="spares.csv")
    import_text(engine, tmp_path, "item-types", SUSTAINMENT_ITEMS, name="supplies.csv")
    with UnitOfWork(engine, BOOTSTRAP) as uow:
        accounts.add_user(uow, "admin", "admin", None, PASSWORD)
    tokens = {}
    for user, role, donor in USERS:
        if user != "admin":
            with UnitOfWork(engine, ADMIN) as uow:
                accounts.add_user(uow, user, role, donor, PASSWORD)
        with UnitOfWork(engine, ADMIN) as uow:
            tokens[user] = accounts.issue_token(uow, user, 7)
    return tokens


SHIPPED_AT = "2026-03-01T08:00:00Z"


def seed_shipment(engine: Engine, tmp_path: Path) -> None:
    """SHP-1: 100 units of DEU's accepted M107 offer DEU-OF-0005, departed from the hub."""
    from coalition.services import tracking

    import_text(engine, tmp_path, "item-types", M107, name="m107.csv")
    import_text(engine, tmp_path, "offers", ACCEPTED, name="accepted.csv")
    with UnitOfWork(engine, ADMIN) as uow:
        tracking.create_shipment(uow, "SHP-1", "DEU:DEU-OF-0005", "REQ-1", 100, "POL-HUB-1",
                                 "POL-BX-MEDYKA")  # fmt: skip
    with UnitOfWork(engine, ADMIN) as uow:
        tracking.record_event(uow, "SHP-1", "departed", SHIPPED_AT, "POL-HUB-1")


LOGISTICS_DAY_ZERO = "2026-02-01"


def seed_logistics_plan(engine: Engine) -> int:
    """Logistics plan 1, proposed, run by the admin from LOGISTICS_DAY_ZERO (the seed's network
    reaches no delivery point, so its lines are all set aside: a plan that routes nothing)."""
    from datetime import date

    from coalition.services import logistics

    stored = logistics.run(ADMIN, 30, 5.0, engine, date.fromisoformat(LOGISTICS_DAY_ZERO))
    return stored.id


TRAINING_DAY_ZERO = "2026-01-05"
# A PzH 2000 accepted: a platform line the training plan must find crews for.
ACCEPTED_PLATFORM = OFFERS_HEADER + "DEU,DEU-OF-0009,PZH2000,2,2026-02-01,DEU,new,,EUR,,accepted,\n"
TRAINING_LINE = "DEU:DEU-OF-0009"


def seed_training_plan(engine: Engine, tmp_path: Path) -> int:
    """Training plan 1, proposed, run by the admin from TRAINING_DAY_ZERO for the accepted
    PzH 2000 (line TRAINING_LINE: no allocation plan is in force when it runs)."""
    from datetime import date

    from coalition.services import training_plans

    import_text(engine, tmp_path, "offers", ACCEPTED_PLATFORM, name="accepted-platform.csv")
    stored = training_plans.run(ADMIN, 5.0, engine, date.fromisoformat(TRAINING_DAY_ZERO))
    return stored.id


# The seed's hub and border crossing joined to a German depot and Ukraine's depot, and the
# seed's shell given a mass: the allocation's one line (shells to REQ-1) can be routed.
ROUTABLE_NODES = (
    "code,name,kind,country,latitude,longitude,handling_t_per_day\n"
    "DEU-DEPOT-1,Depot,depot,DEU,52.5,13.4,\n"
    "UA-DEP-W1,Western depot 1,delivery,UKR,49.8,24.0,\n"
)
ROUTABLE_LANES = (
    "code,from_node,to_node,mode,transit_days,capacity_t_per_day,outsize_per_day,"
    "cost_eur_per_t\n"
    "DEU-DEPOT-1_POL-HUB-1_road,DEU-DEPOT-1,POL-HUB-1,road,2,1000,8,50\n"
    "POL-BX-MEDYKA_UA-DEP-W1_road,POL-BX-MEDYKA,UA-DEP-W1,road,1,1000,8,10\n"
)
SHELL_WITH_MASS = (
    "code,name,family_code,supply_class,unit_of_issue,nsn,mass_kg,volume_m3,"
    "reference_value_eur,platform_code\nHE155,155mm HE shell,AMMO-155,V,RD,,45,,3300,\n"
)
ROUTED_LINE = "DEU:DEU-OF-0002>REQ-1"


def seed_routable(engine: Engine, tmp_path: Path) -> None:
    """A network that reaches Ukraine, and the allocation (HE155 shells to REQ-1) accepted."""
    from coalition.planning import allocation as planner
    from coalition.services import allocation

    import_text(engine, tmp_path, "nodes", ROUTABLE_NODES, name="more-nodes.csv")
    import_text(engine, tmp_path, "lanes", ROUTABLE_LANES, name="more-lanes.csv")
    import_text(engine, tmp_path, "item-types", SHELL_WITH_MASS, name="shell.csv")
    stored, _ = allocation.run(ADMIN, planner.Parameters(time_limit_s=5.0), engine=engine)
    with UnitOfWork(engine, ADMIN) as uow:
        allocation.accept(uow, stored.id)


def capture_document(kind_step: str = "entering_exiting", at: str = "2026-03-02T08:00:00Z"):
    """An EPCIS document reporting SHP-1 crossing the border at POL-BX-MEDYKA."""
    base = "https://id.coalition.invalid/"
    return {
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": at,
        "epcisBody": {
            "eventList": [
                {
                    "type": "ObjectEvent",
                    "eventTime": at,
                    "eventTimeZoneOffset": "+00:00",
                    "action": "OBSERVE",
                    "bizStep": kind_step,
                    "readPoint": {"id": f"{base}node/POL-BX-MEDYKA"},
                    "quantityList": [{"epcClass": f"{base}shipment/SHP-1", "quantity": 100}],
                }
            ]
        },
    }


def assert_problem(
    response: httpx.Response, status: int, field: str | None = None
) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert set(body) >= {"type", "title", "status", "detail", "errors"}
    assert body["status"] == status and body["title"] and body["detail"]
    assert "Traceback" not in response.text
    if field is not None:
        assert field in [e["field"] for e in body["errors"]], body
        assert all(e["reason"] for e in body["errors"])
    return body
