"""Readiness of the fleet and how diverse it is: the one home of both definitions.

**Readiness rate** of a group of platforms (a family, a capability area), from the latest
fleet-status report of each (item type, recipient):

    readiness = operational / (total − lost),   total = operational + in maintenance
                                                        + awaiting parts + lost

i.e. the share of the platforms still owned that can fight today. Lost platforms are out of
the denominator (they are a loss, not a readiness problem); a group with nothing left has no
rate (None), never 0 % or 100 %. Only reported units count: a fleet entry with no status
report adds nothing to either side.

**Fleet-diversity index** of a family: the number of platform types in service and the
Herfindahl index of the types' shares of its units, Σ_t (units_t / units)², from 1 (one type)
down towards 1/n for n equal types. `diversity` gives it before and after a set of additional
deliveries (a plan, or the offers accepted and not yet arrived), so one can see whether a plan
adds to the number of types Ukraine must train, maintain and supply.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from coalition.domain.training import FleetStatus


def latest_reports(reports: Iterable[FleetStatus]) -> list[FleetStatus]:
    """The newest report of each (item type, recipient)."""
    latest: dict[tuple[str, str], FleetStatus] = {}
    for report in reports:
        key = (report.item_type_code, report.recipient_code)
        if key not in latest or report.as_of > latest[key].as_of:
            latest[key] = report
    return [latest[k] for k in sorted(latest)]


@dataclass(frozen=True, slots=True)
class Readiness:
    group: str  # family code or capability area
    operational: int
    in_maintenance: int
    awaiting_parts: int
    lost: int
    as_of: date | None  # the oldest latest report in the group: the figure is this fresh

    @property
    def total(self) -> int:
        return self.operational + self.in_maintenance + self.awaiting_parts + self.lost

    @property
    def owned(self) -> int:
        return self.total - self.lost

    @property
    def rate(self) -> float | None:
        return self.operational / self.owned if self.owned else None

    def as_dict(self) -> dict[str, object]:
        rate = self.rate
        return {
            "group": self.group,
            "operational": self.operational,
            "in_maintenance": self.in_maintenance,
            "awaiting_parts": self.awaiting_parts,
            "lost": self.lost,
            "total": self.total,
            "readiness_pct": None if rate is None else round(100 * rate, 1),
            "as_of": self.as_of,
        }


def readiness_by(reports: Iterable[FleetStatus], group_of: Mapping[str, str]) -> list[Readiness]:
    """Readiness per group: `group_of` maps an item type to its family or area (item types it
    does not name are left out). Reads only the latest report per (item type, recipient)."""
    sums: dict[str, list[int]] = {}
    oldest: dict[str, date] = {}
    for r in latest_reports(reports):
        group = group_of.get(r.item_type_code)
        if group is None:
            continue
        row = sums.setdefault(group, [0, 0, 0, 0])
        row[0] += r.operational
        row[1] += r.in_maintenance
        row[2] += r.awaiting_parts
        row[3] += r.lost
        oldest[group] = min(oldest.get(group, r.as_of), r.as_of)
    return [Readiness(g, *_four(sums[g]), as_of=oldest[g]) for g in sorted(sums)]


def _four(values: list[int]) -> tuple[int, int, int, int]:
    return values[0], values[1], values[2], values[3]


def operational_by_type(reports: Iterable[FleetStatus]) -> dict[str, int]:
    """Operational units per item type, from the latest report of each recipient."""
    out: dict[str, int] = {}
    for r in latest_reports(reports):
        out[r.item_type_code] = out.get(r.item_type_code, 0) + r.operational
    return out


@dataclass(frozen=True, slots=True)
class Diversity:
    family_code: str
    types_before: int
    hhi_before: Fraction | None  # None: no units in the family
    types_after: int | None  # None (with hhi_after): withheld from this reader
    hhi_after: Fraction | None
    new_types: tuple[str, ...]  # types the additions bring into the family

    @property
    def withheld(self) -> bool:
        return self.types_after is None

    def as_dict(self) -> dict[str, object]:
        def shown(value: Fraction | None) -> float | None:
            return None if value is None else round(float(value), 4)

        return {
            "family": self.family_code,
            "types_before": self.types_before,
            "hhi_before": shown(self.hhi_before),
            "types_after": self.types_after,
            "hhi_after": shown(self.hhi_after),
            "new_types": list(self.new_types),
            "withheld": self.withheld,
        }


def herfindahl(units: Mapping[str, int]) -> Fraction | None:
    """Σ share² of the types' units (exact); None when there are no units at all."""
    whole = sum(q for q in units.values() if q > 0)
    if not whole:
        return None
    return sum((Fraction(q, whole) ** 2 for q in units.values() if q > 0), Fraction(0))


def diversity(
    fleet: Mapping[tuple[str, str], int], additions: Mapping[tuple[str, str], int]
) -> list[Diversity]:
    """Per family, the number of types and Herfindahl index of the fleet (family, item type) →
    units, before and after adding `additions` (same shape)."""
    families = sorted({f for f, _ in fleet} | {f for f, _ in additions})
    out = []
    for family in families:
        before = {t: q for (f, t), q in fleet.items() if f == family and q > 0}
        after = dict(before)
        for (f, t), q in additions.items():
            if f == family and q > 0:
                after[t] = after.get(t, 0) + q
        new = tuple(sorted(set(after) - set(before)))
        out.append(
            Diversity(family, len(before), herfindahl(before), len(after), herfindahl(after), new)
        )
    return out
