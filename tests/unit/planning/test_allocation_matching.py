"""The numpy pair table agrees with the one scalar definition of the rules (domain.matching)."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from test_allocation_properties import snapshots

from coalition.domain import matching
from coalition.planning.allocation import Snapshot, rules
from coalition.planning.allocation.pairs import build_pairs, days_late, lateness_factors


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(-400, 400), min_size=1, max_size=50),
    st.lists(st.integers(-400, 400), min_size=1, max_size=50),
    st.integers(1, 200),
)
def test_vectorised_lateness_equals_the_scalar_rule(available, needed, grace):
    n = min(len(available), len(needed))
    day0 = date(2027, 1, 1)
    arrival = np.array([day0.toordinal() + a for a in available[:n]], np.int64)
    needed_by = np.array([day0.toordinal() + d for d in needed[:n]], np.int64)
    factors = lateness_factors(days_late(arrival, needed_by), grace)
    expected = [
        matching.lateness_factor(
            matching.days_late(day0 + timedelta(days=a), day0 + timedelta(days=d)), grace
        )
        for a, d in zip(available[:n], needed[:n], strict=True)
    ]
    assert factors.tolist() == expected


@settings(max_examples=60, deadline=None)
@given(snapshots())
def test_every_pair_of_the_table_is_a_candidate_by_the_domain_rules(s: Snapshot):
    t = build_pairs(s)
    table = {
        (s.offers[int(o)].id, s.requirements[int(r)].id): p
        for p, (o, r) in enumerate(zip(t.offer.tolist(), t.requirement.tolist(), strict=True))
    }
    candidates = {
        (o.id, r.id): (o, r)
        for o in s.offers
        for r in s.requirements
        if rules.exclusion(s, o, r) is None
    }
    assert set(table) == set(candidates)
    for key, p in table.items():
        o, r = candidates[key]
        assert int(t.arrival[p]) == rules.arrival(s, o, r).toordinal()
        assert float(t.factor[p]) == rules.lateness_factor(s, o, r)
        assert float(t.value[p]) == rules.unit_value(s, o, r)
        assert (int(t.group[p]) >= 0) == rules.is_new_type(s, o, r)
        if t.group[p] >= 0:
            g = int(t.group[p])
            assert (t.group_family[g], t.group_item_type[g]) == (r.family, o.item_type)
