"""Nodes and lanes import like every registry: each fault named by row and column, none stored."""

from __future__ import annotations

import pytest

from coalition.services.errors import ImportRejected
from support_ledger import database_content, import_text

NODES = """code,name,kind,country,latitude,longitude,handling_t_per_day
POL-HUB-1,Rzeszów-Jasionka hub,hub,POL,50.11,22.02,1200
POL-BX-MEDYKA,Medyka–Shehyni,border,POL,49.80,22.94,400
UA-DP-1,Delivery point 1,delivery,UKR,49.84,24.03,
"""

FAULTY_NODES = """code,name,kind,country,latitude,longitude,handling_t_per_day
POL-HUB-2,Hub,harbour,POL,50.1,22.0,100
POL-HUB-3,Hub,hub,DEU,50.1,22.0,100
XYZ-HUB-1,Hub,hub,XYZ,50.1,22.0,100
POL-HUB-4,Hub,hub,POL,95,22.0,100
POL-HUB-5,Hub,hub,POL,50.1,nan,100
POL-HUB-6,Hub,hub,POL,50.1,22.0,-3
POL-HUB-7,Hub,hub,Poland,50.1,22.0,100
POL-HUB-8,Hub,hub,POL,,22.0,100
"""
NODE_FAULTS = {
    (2, "kind"),  # not a node kind
    (3, "country"),  # the code names POL
    (4, "country"),  # not an ISO 3166 country
    (5, "latitude"),  # beyond the pole
    (6, "longitude"),  # not a number we accept
    (7, "handling_t_per_day"),  # negative tonnes
    (8, "country"),  # a name, not a code
    (9, "latitude"),  # required
}

LANES_HEADER = (
    "code,from_node,to_node,mode,transit_days,capacity_t_per_day,outsize_per_day,cost_eur_per_t\n"
)
FAULTY_LANES = (
    LANES_HEADER
    + """L-1,POL-HUB-1,POL-BX-MEDYKA,road,0.5,400,8,45
L-2,POL-HUB-1,POL-HUB-1,road,0.5,400,8,45
L-3,POL-HUB-1,NOWHERE,road,0.5,400,8,45
L-4,POL-HUB-1,UA-DP-1,teleport,0.5,400,8,45
L-5,POL-HUB-1,UA-DP-1,road,-1,400,8,45
L-6,POL-HUB-1,UA-DP-1,road,0.555,400,8,45
L-7,POL-HUB-1,UA-DP-1,road,1,400,2.5,45
L-8,POL-HUB-1,UA-DP-1,road,1,400,8,-45
L-1,POL-HUB-1,UA-DP-1,rail,1,400,8,45
"""
)
LANE_FAULTS = {
    (3, "to_node"),  # a lane leads to another node
    (4, "to_node"),  # unknown node
    (5, "mode"),
    (6, "transit_days"),
    (7, "transit_days"),  # more than 2 decimal places
    (8, "outsize_per_day"),
    (9, "cost_eur_per_t"),
    (10, "code"),  # duplicate
}


def test_nodes_import_and_every_faulty_node_is_named_by_row_and_column(seeded, tmp_path):
    result = import_text(seeded, tmp_path, "nodes", NODES)
    assert result.created == 3
    before = database_content(seeded)
    with pytest.raises(ImportRejected) as rejected:
        import_text(seeded, tmp_path, "nodes", FAULTY_NODES, name="nodes.csv")
    assert {(p.row, p.column) for p in rejected.value.problems} == NODE_FAULTS
    assert database_content(seeded) == before


def test_every_faulty_lane_is_named_and_none_is_stored(seeded, tmp_path):
    import_text(seeded, tmp_path, "nodes", NODES)
    before = database_content(seeded)
    with pytest.raises(ImportRejected) as rejected:
        import_text(seeded, tmp_path, "lanes", FAULTY_LANES, name="lanes.csv")
    assert {(p.row, p.column) for p in rejected.value.problems} == LANE_FAULTS
    assert database_content(seeded) == before  # the good row 2 is not stored either
