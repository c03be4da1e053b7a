"""docs/architecture.md stays true: every file it names as a rule's home exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "src" / "coalition"


def rule_homes() -> dict[str, list[str]]:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = text.split("## Where each rule lives", 1)[1].split("\n## ", 1)[0]
    homes = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 2 and cells[0] not in ("rule", "---"):
            homes[cells[0]] = re.findall(r"`([\w/]+\.py)`", cells[1])
    return homes


def test_the_rules_a_reviewer_asks_for_each_name_one_home():
    homes = rule_homes()
    for rule in ("lifecycles", "candidate pairs", "lateness", "fair share", "visibility"):
        assert any(name.startswith(rule) for name in homes), rule


def test_every_home_the_architecture_names_exists():
    for rule, files in rule_homes().items():
        assert files, f"{rule}: no file named"
        for name in files:
            assert (PACKAGE / name).is_file(), f"{rule}: {name} does not exist"
