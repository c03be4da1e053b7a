"""Nodes and lanes check their own fields; the outsize flag reads like a spreadsheet's yes/no."""

from __future__ import annotations

from decimal import Decimal

import pytest

from coalition.domain.catalogue import ItemType, SupplyClass
from coalition.domain.errors import InvalidValue
from coalition.domain.network import Lane, Mode, Node, NodeKind
from coalition.registries.fields import BOOLEAN, LATITUDE, CellError


def node(**changes):
    values = {"code": "POL-HUB-1", "name": "Rzeszów", "kind": NodeKind.HUB, "country": "POL",
              "latitude": 50.11, "longitude": 22.02}  # fmt: skip
    return Node(**{**values, **changes})


def lane(**changes):
    values = {"code": "L", "from_node": "A", "to_node": "B", "mode": Mode.ROAD,
              "transit_days": Decimal("0.5"), "capacity_t_per_day": Decimal(400),
              "outsize_per_day": 8, "cost_eur_per_t": Decimal(45)}  # fmt: skip
    return Lane(**{**values, **changes})


def test_a_node_and_a_lane_with_sound_fields_are_accepted():
    assert node().country == "POL"
    assert node(code="UA-DEP-WEST-1", country="UKR").country == "UKR"  # a recipient's code
    assert lane().mode == Mode.ROAD


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"country": "DEU"}, "country"),
        ({"country": "pl"}, "country"),
        ({"latitude": 91.0}, "latitude"),
        ({"longitude": float("nan")}, "longitude"),
        ({"latitude": True}, "latitude"),
        ({"handling_t_per_day": Decimal(-1)}, "handling_t_per_day"),
        ({"kind": "harbour"}, "kind"),
    ],
)
def test_a_node_refuses_a_field_outside_its_domain(changes, field):
    with pytest.raises(InvalidValue) as error:
        node(**changes)
    assert error.value.field == field


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"to_node": "A"}, "to_node"),
        ({"transit_days": Decimal(400)}, "transit_days"),
        ({"capacity_t_per_day": Decimal("0.0001")}, "capacity_t_per_day"),
        ({"outsize_per_day": -1}, "outsize_per_day"),
        ({"cost_eur_per_t": Decimal("NaN")}, "cost_eur_per_t"),
        ({"mode": "pipeline"}, "mode"),
    ],
)
def test_a_lane_refuses_a_field_outside_its_domain(changes, field):
    with pytest.raises(InvalidValue) as error:
        lane(**changes)
    assert error.value.field == field


@pytest.mark.parametrize(("cell", "value"), [("true", True), ("Yes", True), ("0", False)])
def test_the_outsize_flag_reads_yes_and_no(cell, value):
    assert BOOLEAN.parse(cell) is value


def test_a_flag_that_is_neither_is_refused_and_the_record_checks_its_type():
    with pytest.raises(CellError, match="true or false"):
        BOOLEAN.parse("maybe")
    with pytest.raises(InvalidValue):
        ItemType("X", "X", "F", SupplyClass.II, outsize="yes")  # type: ignore[arg-type]


def test_a_coordinate_cell_names_its_rule():
    with pytest.raises(CellError, match="latitude in decimal degrees from -90 to 90"):
        LATITUDE.parse("123")
