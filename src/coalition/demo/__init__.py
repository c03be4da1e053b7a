"""The demo scenario shipped in ``coalition/demo_data``: reference registries plus generated data.

``files()`` lists every demo file with the registry ("kind") it is imported as, in the order
the ledger needs (``registries.kinds.KINDS``); ``services.demo.load`` imports them all.
Reference files are hand-curated and cited in ``demo_data/SOURCES.md``; requirements,
offers, pledges, fleet and the GDP import file come from ``python -m coalition.demo.generate``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

# The demo file of each registry ("kind"); files() lists them in registries.kinds.KINDS order.
DEMO_FILES: dict[str, str] = {
    "donors": "donors.csv",
    "memberships": "memberships.csv",
    "gdp": "gdp_import.csv",
    "recipients": "recipients.csv",
    "families": "families.csv",
    "item-types": "item-types.csv",
    "compatibility": "compatibility.csv",
    "requirements": "requirements.csv",
    "offers": "offers.csv",
    "pledges": "pledges.csv",
    "fleet": "fleet.csv",
    "baselines": "burden_baselines.csv",  # owned by the burden-sharing module
    "nodes": "nodes.csv",
    "lanes": "lanes.csv",  # written by `python -m coalition.demo.network` from nodes.csv
    # written by `python -m coalition.demo.cooperation` from the researched EU–NATO files
    "proposals": "proposals.csv",
    "progress-reports": "progress-reports.csv",
    "proposal-progress": "proposal-progress.csv",
    "meetings": "meetings.csv",  # a demo scenario, curated by hand
    "taskings": "taskings.csv",
    # Written by `python -m coalition.demo.training` (crew sizes from platforms.csv).
    "courses": "courses.csv",
    "sites": "sites.csv",
    "intakes": "intakes.csv",
    "cohorts": "cohorts.csv",
    "training-records": "training-records.csv",
    "fleet-status": "fleet-status.csv",
}

# Files written by `python -m coalition.demo.training`; usage rates are read by
# `coalition sustainment draft`, not imported as a registry.
TRAINING_FILES = ("courses.csv", "sites.csv", "intakes.csv", "cohorts.csv",
                  "training-records.csv", "fleet-status.csv", "usage_rates.csv")  # fmt: skip
USAGE_RATES = "usage_rates.csv"

# Files written by the generator (the rest are hand-curated).
GENERATED = ("gdp_import.csv", "requirements.csv", "offers.csv", "pledges.csv", "fleet.csv")


def data_dir() -> Path:
    """The shipped ``demo_data`` directory."""
    return Path(str(resources.files("coalition").joinpath("demo_data")))


def files() -> list[tuple[str, Path]]:
    """(kind name, path) of every demo file, in import (dependency) order.

    Only kinds the ledger declares are listed, so a demo file for a registry that is not (yet)
    in ``registries.kinds.KINDS`` is skipped rather than rejected.
    """
    from coalition.registries.kinds import KINDS

    root = data_dir()
    return [(kind, root / DEMO_FILES[kind]) for kind in KINDS if kind in DEMO_FILES]
