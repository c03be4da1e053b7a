"""Registry routes: detail with ETag, 404s, lists (pagination, filters, sort), strict bodies,
lifecycle steps, and If-Match updates."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from api_support import assert_problem

from coalition.registries.kinds import KINDS

V1 = "/api/v1"


def walk(client, path, headers, **params):
    """Every page of a list, following next_cursor; the items in the order served."""
    items, cursor, pages = [], None, 0
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = client.get(path, headers=headers, params=query)
        assert response.status_code == 200, response.text
        body = response.json()
        items.extend(body["items"])
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return items, body["total"], pages
        assert pages < 1000


def key_of(kind_name, record):
    return ":".join(record[k] for k in KINDS[kind_name].key)


def test_detail_carries_the_row_version_as_etag(api):
    response = api.client.get(f"{V1}/offers/DEU:DEU-OF-0001", headers=api.auth("coord"))
    assert response.status_code == 200
    body = response.json()
    assert response.headers["ETag"] == f'"{body["version"]}"' == '"1"'
    assert (body["donor_code"], body["quantity"], body["delivered_on"]) == ("DEU", "4", None)


def test_a_url_encoded_composite_key_finds_its_record(api):
    response = api.client.get(
        f"{V1}/offers/{quote('DEU:DEU-OF-0001', safe='')}", headers=api.auth("coord")
    )
    assert response.json()["external_id"] == "DEU-OF-0001"


@pytest.mark.parametrize("key", ["DEU:NOPE", "DEU", "DEU:DEU-OF-0001:extra", "%00"])
def test_an_unknown_record_is_a_404_problem(api, key):
    assert_problem(api.client.get(f"{V1}/offers/{key}", headers=api.auth("coord")), 404)


def test_an_unknown_route_is_a_404_problem(api):
    assert_problem(api.client.get(f"{V1}/no-such-registry", headers=api.auth("coord")), 404)


def test_another_donors_offer_does_not_exist_for_a_donor(api):
    headers = api.auth("desk-deu")
    assert_problem(api.client.get(f"{V1}/offers/POL:POL-OF-0001", headers=headers), 404)
    assert api.client.get(f"{V1}/offers/DEU:DEU-OF-0001", headers=headers).status_code == 200
    listed = api.client.get(f"{V1}/offers", headers=headers).json()
    assert listed["total"] == 2 and {o["donor_code"] for o in listed["items"]} == {"DEU"}


@pytest.mark.parametrize("kind_name", list(KINDS))
def test_pagination_walks_every_record_exactly_once(api, kind_name):
    everything = api.client.get(
        f"{V1}/{kind_name}", headers=api.auth("admin"), params={"limit": 500}
    ).json()
    items, total, pages = walk(api.client, f"{V1}/{kind_name}", api.auth("admin"), limit=1)
    keys = [key_of(kind_name, r) for r in items]
    assert total == everything["total"] == len(keys) == len(set(keys))
    assert keys == [key_of(kind_name, r) for r in everything["items"]]
    assert pages == max(total, 1)


@pytest.mark.parametrize("sort", ["quantity", "-quantity", "declared_value", "-available_from"])
def test_sorted_pages_hold_each_record_once_in_order(api, sort):
    items, total, _ = walk(api.client, f"{V1}/offers", api.auth("coord"), limit=2, sort=sort)
    keys = [key_of("offers", r) for r in items]
    assert total == 3 and sorted(keys) == sorted(set(keys)) and len(keys) == 3
    column = sort.lstrip("-")
    values = [
        (
            r[column] is not None,
            float(r[column]) if r[column] and column != "available_from" else r[column],
        )
        for r in items
    ]
    assert values == sorted(values, reverse=sort.startswith("-"))


def test_a_record_added_between_pages_does_not_shift_the_walk(api):
    first = api.client.get(f"{V1}/offers", headers=api.auth("coord"), params={"limit": 2}).json()
    from api_support import OFFERS_HEADER

    from support_ledger import import_text

    import_text(
        api.engine,
        api.engine_tmp,
        "offers",
        OFFERS_HEADER + "DEU,AAA-1,HE155,1,2026-02-01,DEU,new,,EUR,,offered,\n",
    )
    rest = api.client.get(
        f"{V1}/offers",
        headers=api.auth("coord"),
        params={"limit": 2, "cursor": first["next_cursor"]},
    ).json()
    seen = [key_of("offers", r) for r in first["items"] + rest["items"]]
    assert seen == ["DEU:DEU-OF-0001", "DEU:DEU-OF-0002", "POL:POL-OF-0001"]


def test_filters_select_by_column_and_are_checked_by_its_type(api):
    headers = api.auth("coord")
    body = api.client.get(f"{V1}/offers", headers=headers, params={"donor_code": "POL"}).json()
    assert [key_of("offers", r) for r in body["items"]] == ["POL:POL-OF-0001"]
    assert body["total"] == 1
    both = {"donor_code": "DEU", "item_type_code": "HE155"}
    assert api.client.get(f"{V1}/offers", headers=headers, params=both).json()["total"] == 1
    bad = api.client.get(f"{V1}/offers", headers=headers, params={"quantity": "many"})
    assert_problem(bad, 422, "quantity")
    unknown = api.client.get(f"{V1}/offers", headers=headers, params={"colour": "red"})
    assert_problem(unknown, 422, "colour")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 501}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"sort": "colour"}, "sort"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"cursor": "x" * 3000}, "cursor"),
    ],
)
def test_list_parameters_are_bounded(api, params, field):
    response = api.client.get(f"{V1}/offers", headers=api.auth("coord"), params=params)
    assert_problem(response, 422, field)


def test_a_cursor_is_valid_only_for_the_sort_it_was_made_for(api):
    headers = api.auth("coord")
    first = api.client.get(f"{V1}/offers", headers=headers, params={"limit": 1}).json()
    response = api.client.get(
        f"{V1}/offers", headers=headers, params={"cursor": first["next_cursor"], "sort": "quantity"}
    )
    assert_problem(response, 422, "cursor")


def test_a_lifecycle_step_is_applied_logged_and_moves_the_version(api):
    headers = api.auth("coord")
    path = f"{V1}/offers/DEU:DEU-OF-0001"
    response = api.client.post(f"{path}/status", headers=headers, json={"status": "accepted"})
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "accepted"
    detail = api.client.get(path, headers=headers)
    assert detail.json()["status"] == "accepted" and detail.headers["ETag"] == '"2"'
    history = api.client.get(
        f"{V1}/changes", headers=headers, params={"entity": "offer", "key": "DEU:DEU-OF-0001"}
    ).json()
    assert [e["action"] for e in history["items"]] == ["create", "update"]
    assert history["items"][1]["after"]["status"] == "accepted"


def test_an_illegal_lifecycle_step_is_a_422_problem_and_changes_nothing(api):
    headers = api.auth("coord")
    path = f"{V1}/offers/DEU:DEU-OF-0001"
    response = api.client.post(f"{path}/status", headers=headers, json={"status": "delivered"})
    assert_problem(response, 422)
    assert api.client.get(path, headers=headers).json()["status"] == "offered"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "accepted", "reason": "x"}, "reason"),
        ({"status": 3}, "status"),
        ({"status": "delivered", "on": "tomorrow"}, "on"),
        ({}, "status"),
    ],
)
def test_the_status_body_is_strict(api, body, field):
    response = api.client.post(
        f"{V1}/offers/DEU:DEU-OF-0001/status", headers=api.auth("coord"), json=body
    )
    assert_problem(response, 422, field)


def test_a_malformed_json_body_is_a_422_problem(api):
    response = api.client.post(
        f"{V1}/offers/DEU:DEU-OF-0001/status",
        headers={**api.auth("coord"), "Content-Type": "application/json"},
        content=b"{not json",
    )
    assert_problem(response, 422)


def test_patch_without_if_match_is_428_and_changes_nothing(api):
    path = f"{V1}/offers/DEU:DEU-OF-0001"
    response = api.client.patch(path, headers=api.auth("coord"), json={"quantity": "5"})
    assert_problem(response, 428, "If-Match")
    assert api.client.get(path, headers=api.auth("coord")).json()["quantity"] == "4"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"quantity": 5}, "quantity"),
        ({"colour": "red"}, "colour"),
        ({"donor_code": "POL"}, "donor_code"),
    ],
)
def test_patch_bodies_are_strict_and_keys_cannot_change(api, body, field):
    response = api.client.patch(
        f"{V1}/offers/DEU:DEU-OF-0001", headers={**api.auth("coord"), "If-Match": '"1"'}, json=body
    )
    assert_problem(response, 422, field)


def test_patch_with_the_right_version_applies_and_a_stale_one_is_412(api):
    headers = api.auth("coord")
    path = f"{V1}/offers/DEU:DEU-OF-0001"
    tag = api.client.get(path, headers=headers).headers["ETag"]
    won = api.client.patch(path, headers={**headers, "If-Match": tag}, json={"quantity": "5"})
    assert won.status_code == 200, won.text
    assert won.json()["quantity"] == "5" and won.headers["ETag"] == '"2"'
    lost = api.client.patch(path, headers={**headers, "If-Match": tag}, json={"quantity": "9"})
    assert_problem(lost, 412)
    assert api.client.get(path, headers=headers).json()["quantity"] == "5"


def test_create_answers_201_with_location_and_the_record(api):
    headers = api.auth("coord")
    body = {"code": "SWE", "name": "Sweden", "kind": "nation"}
    response = api.client.post(f"{V1}/donors", headers=headers, json=body)
    assert response.status_code == 201, response.text
    assert response.headers["Location"] == f"{V1}/donors/SWE"
    assert api.client.get(response.headers["Location"], headers=headers).json()["name"] == "Sweden"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"code": "SWE", "name": "Sweden"}, "kind"),
        ({"code": "SWE", "name": "Sweden", "kind": "nation", "extra": "x"}, "extra"),
        ({"code": "SWE", "name": 7, "kind": "nation"}, "name"),
        ({"code": "SWE", "name": "x" * 2001, "kind": "nation"}, "name"),
    ],
)
def test_create_bodies_are_strict(api, body, field):
    response = api.client.post(f"{V1}/donors", headers=api.auth("coord"), json=body)
    assert_problem(response, 422, field)
