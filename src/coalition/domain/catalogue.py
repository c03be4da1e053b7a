"""The item catalogue: families, item types and which item types can serve which needs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from coalition.domain import checks
from coalition.domain.errors import InvalidValue
from coalition.domain.markings import DEFAULT_MARKING, check_marking
from coalition.domain.nsn import parse_nsn


class SupplyClass(StrEnum):
    """NATO supply classes (I subsistence … V ammunition; IIIA aviation fuel)."""

    I = "I"  # noqa: E741 - the class is called I
    II = "II"
    III = "III"
    IIIA = "IIIA"
    IV = "IV"
    V = "V"


class CapabilityArea(StrEnum):
    """UDCG capability coalitions plus the other areas requirements are grouped by."""

    AIR_DEFENCE = "air_defence"
    ARTILLERY = "artillery"
    ARMOUR = "armour"
    AIR_FORCE = "air_force"
    DRONES = "drones"
    DEMINING = "demining"
    MARITIME = "maritime"
    IT = "it"
    AMMUNITION = "ammunition"
    MEDICAL = "medical"
    ENGINEERING = "engineering"
    WINTER = "winter"
    LOGISTICS = "logistics"


def capability_area(field: str, value: str) -> CapabilityArea:
    """Read 'air defence', 'Air-Defence' or 'air_defence' alike."""
    key = value.strip().lower().replace(" ", "_").replace("-", "_")
    try:
        return CapabilityArea(key)
    except ValueError:
        raise InvalidValue(
            field, value, "unknown capability area; one of " + ", ".join(CapabilityArea)
        ) from None


@dataclass(frozen=True, slots=True)
class Family:
    code: str
    name: str
    capability_area: CapabilityArea
    marking: str = DEFAULT_MARKING  # releasability (domain/markings.py)

    def __post_init__(self) -> None:
        check_marking("marking", self.marking)
        checks.code("code", self.code)
        checks.text("name", self.name)
        checks.one_of("capability_area", self.capability_area, tuple(CapabilityArea))


@dataclass(frozen=True, slots=True)
class ItemType:
    """A kind of item donors offer. A platform's `platform_code` is its own code."""

    code: str
    name: str
    family_code: str
    supply_class: SupplyClass
    unit_of_issue: str = "EA"
    nsn: str | None = None
    mass_kg: Decimal | None = None
    volume_m3: Decimal | None = None
    reference_value_eur: Decimal | None = None
    platform_code: str | None = None
    # Too big for a standard container or pallet position (tanks, launchers, boats): the
    # route planner counts these against a lane's outsize capacity, not only its tonnes.
    outsize: bool = False
    marking: str = DEFAULT_MARKING  # releasability (domain/markings.py)

    def __post_init__(self) -> None:
        check_marking("marking", self.marking)
        checks.code("code", self.code)
        checks.text("name", self.name)
        checks.code("family_code", self.family_code)
        if not isinstance(self.outsize, bool):
            raise InvalidValue("outsize", self.outsize, "must be true or false")
        checks.one_of("supply_class", self.supply_class, tuple(SupplyClass))
        checks.code("unit_of_issue", self.unit_of_issue)
        if self.nsn is not None:
            parse_nsn(self.nsn)
        checks.MEASURE.optional("mass_kg", self.mass_kg)
        checks.MEASURE.optional("volume_m3", self.volume_m3)
        checks.UNIT_VALUE.optional("reference_value_eur", self.reference_value_eur)
        if self.platform_code is not None:
            checks.code("platform_code", self.platform_code)

    @property
    def is_platform(self) -> bool:
        return self.platform_code == self.code


class TargetKind(StrEnum):
    FAMILY = "family"
    PLATFORM = "platform"


@dataclass(frozen=True, slots=True)
class CompatibilityRule:
    """`item_type_code` can serve needs of a family, or of one platform (e.g. a spares kit)."""

    item_type_code: str
    target_kind: TargetKind
    target_code: str
    marking: str = DEFAULT_MARKING  # releasability (domain/markings.py)

    def __post_init__(self) -> None:
        check_marking("marking", self.marking)
        checks.code("item_type_code", self.item_type_code)
        checks.one_of("target_kind", self.target_kind, tuple(TargetKind))
        checks.code("target_code", self.target_code)


@dataclass(frozen=True, slots=True)
class Compatibility:
    """Answers 'can this item type serve that need?' from the catalogue's rules."""

    families_served: dict[str, frozenset[str]]
    platforms_served: dict[str, frozenset[str]]

    @classmethod
    def build(cls, items: Iterable[ItemType], rules: Iterable[CompatibilityRule]) -> Compatibility:
        families: dict[str, set[str]] = {}
        platforms: dict[str, set[str]] = {}
        for item in items:
            families.setdefault(item.code, set()).add(item.family_code)
            if item.platform_code:
                platforms.setdefault(item.code, set()).add(item.platform_code)
        for rule in rules:
            target = families if rule.target_kind == TargetKind.FAMILY else platforms
            target.setdefault(rule.item_type_code, set()).add(rule.target_code)
        return cls(
            {k: frozenset(v) for k, v in families.items()},
            {k: frozenset(v) for k, v in platforms.items()},
        )

    def serves(self, item_type_code: str, family_code: str, platform_code: str | None) -> bool:
        """A need names a family and, for items such as spares or rounds, also a platform.

        The item must serve the family (its own, or by a family rule) and, when a platform is
        named, that platform (the platform it serves, or by a platform rule).
        """
        if family_code not in self.families_served.get(item_type_code, frozenset()):
            return False
        if platform_code is None:
            return True
        return platform_code in self.platforms_served.get(item_type_code, frozenset())
