"""The demo logistics network: curated nodes, lanes derived from them, and every place reachable."""

from __future__ import annotations

import csv
from collections import Counter

from coalition import demo
from coalition.demo.network import lanes, read_nodes
from coalition.domain.places import country_of

DATA = demo.data_dir()


def rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_shipped_lanes_are_the_generators_output():
    assert lanes(read_nodes(DATA / "nodes.csv")) == rows("lanes.csv")


def test_the_network_has_depots_hubs_crossings_and_delivery_points():
    kinds = Counter(r["kind"] for r in rows("nodes.csv"))
    assert kinds == {"depot": 30, "hub": 6, "border": 17, "delivery": 20}


def test_depots_are_in_donor_countries_and_deliveries_are_recipients():
    donors = {r["code"] for r in rows("donors.csv")}
    recipients = {r["code"] for r in rows("recipients.csv")}
    for node in rows("nodes.csv"):
        if node["kind"] == "depot":
            assert node["country"] in donors and country_of(node["code"]) == node["country"]
        if node["kind"] == "delivery":
            assert node["code"] in recipients and node["country"] == "UKR"


def test_the_hubs_offers_leave_from_are_nodes():
    nodes = {r["code"] for r in rows("nodes.csv")}
    hubs = {r["origin"] for r in rows("offers.csv") if "-HUB-" in r["origin"]}
    assert hubs and hubs <= nodes


def test_every_delivery_point_is_reachable_from_every_depot_across_a_border():
    network = rows("lanes.csv")
    kind = {r["code"]: r["kind"] for r in rows("nodes.csv")}
    following: dict[str, set[str]] = {}
    for lane in network:
        following.setdefault(lane["from_node"], set()).add(lane["to_node"])
    deliveries = {code for code, k in kind.items() if k == "delivery"}
    for depot in (code for code, k in kind.items() if k == "depot"):
        seen, frontier = {depot}, [depot]
        while frontier:
            for nxt in following.get(frontier.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    frontier.append(nxt)
        assert deliveries <= seen, depot
    for lane in network:  # into Ukraine only through a border crossing
        if kind[lane["to_node"]] == "delivery":
            assert kind[lane["from_node"]] == "border", lane["code"]


def test_rail_crossings_get_rail_lanes_and_road_crossings_road_lanes():
    for lane in rows("lanes.csv"):
        for end in (lane["from_node"], lane["to_node"]):
            if "-BX-" in end:
                assert (lane["mode"] == "rail") == end.endswith("-RAIL"), lane["code"]
