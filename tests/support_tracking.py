"""A seed for the tracking tests: the ledger seed, a small network and accepted offers."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from support_ledger import OFFERS_HEADER, SEED, import_text

NODES = (
    "code,name,kind,country,latitude,longitude,handling_t_per_day\n"
    "DEU-DEPOT-1,Depot 1,depot,DEU,50.0,8.0,\n"
    "POL-DEPOT-1,Depot Poland,depot,POL,52.0,20.0,\n"
    "POL-HUB-RZE,Rzeszow hub,hub,POL,50.11,22.02,1200\n"
    "UKR-BX-SHEHYNI,Shehyni crossing,border,UKR,49.8,23.0,\n"
    "UKR-DP-LVIV,Lviv delivery point,delivery,UKR,49.84,24.03,\n"
)
OFFERS = OFFERS_HEADER + (
    "DEU,DEU-OF-0001,PZH2000,4,2026-02-01,DEU,new,20000000,EUR,,accepted,\n"
    "DEU,DEU-OF-0002,HE155,500,2026-02-01,DEU,new,,EUR,,committed,\n"
    "POL,POL-OF-0001,KRAB,2,2026-02-01,POL,new,,EUR,,accepted,\n"
    "DEU,DEU-OF-0003,PZH2000,2,2026-02-01,DEU,new,,EUR,,offered,\n"
)
T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
ROUTE = {  # where each kind of event happens on the seed's journey
    "planned": "DEU-DEPOT-1",
    "loaded": "DEU-DEPOT-1",
    "departed": "DEU-DEPOT-1",
    "at_hub": "POL-HUB-RZE",
    "crossed_border": "UKR-BX-SHEHYNI",
    "delivered": "UKR-DP-LVIV",
    "received": "UKR-DP-LVIV",
}


def seed_tracking(engine: Engine, tmp_path: Path) -> Engine:
    for kind, text in {**SEED, "nodes": NODES, "offers": OFFERS}.items():
        import_text(engine, tmp_path, kind, text)
    return engine
