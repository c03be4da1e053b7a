from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coalition.domain.catalogue import (
    Compatibility,
    CompatibilityRule,
    ItemType,
    TargetKind,
    capability_area,
)
from coalition.domain.donors import Membership, members_of_all, members_on
from coalition.domain.errors import InvalidValue
from coalition.domain.nsn import parse_nsn


def test_a_written_nsn_is_decoded_with_its_codifying_nation():
    nsn = parse_nsn("1005-12-123-4567")
    assert (nsn.supply_class, nsn.ncb, nsn.item_number) == ("1005", "12", "1234567")
    assert nsn.nation == "DEU"
    assert nsn.niin == "121234567"
    assert str(nsn) == "1005-12-123-4567"


def test_an_nsn_from_an_unlisted_bureau_is_valid_but_undecoded():
    assert parse_nsn("1005770001234").nation is None


@pytest.mark.parametrize(
    "bad", ["1005-12-123-456", "1005-12-1234-567", "100512123456X", "0905-12-123-4567", ""]
)
def test_malformed_nsns_are_refused_with_the_reason(bad):
    with pytest.raises(InvalidValue) as error:
        parse_nsn(bad)
    assert error.value.field == "nsn"


@given(st.integers(min_value=10**12, max_value=10**13 - 1))
def test_every_13_digit_number_with_a_real_supply_group_parses_back_to_itself(number):
    text = str(number)
    assert str(parse_nsn(text)).replace("-", "") == text


def test_capability_areas_accept_the_spellings_people_use():
    assert capability_area("a", "Air Defence") == capability_area("a", "air_defence")
    with pytest.raises(InvalidValue):
        capability_area("a", "space lasers")


def test_155mm_ammunition_serves_every_howitzer_family_but_a_spares_kit_only_its_platform():
    items = [
        ItemType("HE155", "155mm HE", "AMMO-155", "V"),
        ItemType("PZH", "PzH 2000", "SPH-155", "II", platform_code="PZH"),
        ItemType("PZH-KIT", "PzH 2000 spares", "SPARES", "II", platform_code="PZH"),
    ]
    rules = [
        CompatibilityRule("HE155", TargetKind.FAMILY, "SPH-155"),
        CompatibilityRule("HE155", TargetKind.FAMILY, "TH-155"),
    ]
    compat = Compatibility.build(items, rules)
    assert compat.serves("HE155", "TH-155", None)
    assert compat.serves("HE155", "AMMO-155", None)  # its own family
    assert compat.serves("PZH-KIT", "SPARES", "PZH")
    assert not compat.serves("PZH-KIT", "SPARES", "M109")
    assert not compat.serves("PZH", "SPARES", "PZH")  # the gun is not its own spares kit
    assert items[1].is_platform and not items[2].is_platform
    assert items[0].reference_value_eur is None or items[0].reference_value_eur > Decimal(0)


def test_membership_is_counted_from_the_joining_day_and_ends_on_leaving():
    rows = [
        Membership("FIN", "NATO", date(2023, 4, 4)),
        Membership("FIN", "EU", date(1995, 1, 1)),
        Membership("GBR", "EU", date(1973, 1, 1), left=date(2020, 2, 1)),
        Membership("GBR", "NATO", date(1949, 8, 24)),
    ]
    assert members_on(rows, "NATO", date(2023, 4, 3)) == {"GBR"}
    assert members_on(rows, "NATO", date(2023, 4, 4)) == {"FIN", "GBR"}
    assert members_of_all(rows, ["NATO", "EU"], date(2020, 1, 31)) == {"GBR"}
    assert members_of_all(rows, ["NATO", "EU"], date(2024, 1, 1)) == {"FIN"}
