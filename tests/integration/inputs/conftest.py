"""A small ledger with everything burden-sharing needs, for the input-trust tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from support_ledger import TRAINING_SEED, import_text

BURDEN = {
    "memberships": "donor_code,organisation,joined,left\n"
    "DEU,NATO,1955-05-06,\nDEU,EU,1958-01-01,\nPOL,NATO,1999-03-12,\nPOL,EU,2004-05-01,\n",
    "gdp": "donor_code,year,amount,currency,unit,source\n"
    "DEU,2024,4000,USD,billion,test figure\nPOL,2024,1000,USD,billion,test figure\n",
    "baselines": "year,amount,currency,participants_group,excluded,gdp_measure,gdp_year,"
    "counted_categories,membership_date,source\n"
    "2025,1000000.00,EUR,NATO,,test GDP,2024,procurement;equipment,2025-12-31,test rule\n",
    "pledges": "donor_code,external_id,amount,currency,year,pledged_on,purpose,status,"
    "channel_code,disbursed_on\n"
    "DEU,P-1,100000,EUR,2025,2025-02-03,procurement,disbursed,,2025-03-01\n",
    "nodes": "code,name,kind,country,latitude,longitude,handling_t_per_day\n"
    "POL-HUB-1,Rzeszów hub,hub,POL,50.11,22.02,1200\nPOL-BX-MEDYKA,Medyka,border,POL,49.8,22.94,\n",
    "proposals": "id,set_year,strand,text\n2016-HYB-a,2016,hybrid,Join the Hybrid CoE\n",
    "progress-reports": "number,period_from,period_to,presented_on\n"
    "8,2022-06-01,2023-05-31,2023-06-16\n",
    "meetings": "code,format,held_on,title\nUDCG-1,udcg,2026-02-11,Contact Group\n",
}


@pytest.fixture
def burden_ledger(seeded: Engine, tmp_path: Path) -> Engine:
    """The seeded ledger plus memberships, GDP, a 2025 baseline, one German pledge and one
    record of each training registry."""
    for kind, text in {**BURDEN, **TRAINING_SEED}.items():
        import_text(seeded, tmp_path, kind, text)
    return seeded
