"""The demo's training and readiness files: the generator's output, crews as cited, course
lengths cited or marked as assumptions, and usage rates that name catalogue items."""

from __future__ import annotations

import csv

from coalition import demo
from coalition.demo.training import CITED_WEEKS, DEFAULT_SEED, write
from coalition.io.usage_rates import read_usage_rates

DATA = demo.data_dir()


def rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_generator_reproduces_the_shipped_training_files_byte_for_byte(tmp_path):
    counts = write(DEFAULT_SEED, tmp_path)
    assert set(counts) == set(demo.TRAINING_FILES)
    for name in demo.TRAINING_FILES:
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), (
            f"{name} drifted: run `python -m coalition.demo.training` and commit the result"
        )


def test_crew_courses_train_the_crew_sizes_platforms_csv_cites():
    crews = {r["item_type_code"]: r["crew"] for r in rows("platforms.csv") if r["crew"]}
    courses = [c for c in rows("courses.csv") if c["skill"] == "crew"]
    assert len(courses) >= 30
    for course in courses:
        assert course["per_platform"] == crews[course["platform_code"]], course["code"]


def test_cited_course_lengths_are_used_and_listed_in_sources():
    sources = (DATA / "SOURCES.md").read_text(encoding="utf-8")
    weeks = {c["platform_code"]: int(c["duration_weeks"]) for c in rows("courses.csv")}
    for platform, (length, _) in CITED_WEEKS.items():
        assert weeks[platform] == length
        assert f"CRS-{platform}-CREW" in sources


def test_usage_rates_read_cleanly_and_name_catalogue_items():
    items = {r["code"] for r in rows("item-types.csv")}
    rates = read_usage_rates(DATA / demo.USAGE_RATES)
    assert rates and all(r.item_type_code in items and r.platform_code in items for r in rates)
    assert all(r.basis.startswith("demo assumption") for r in rates)


def test_every_training_record_is_of_an_intake_that_has_started():
    starts = {i["code"]: i["start_date"] for i in rows("intakes.csv")}
    for record in rows("training-records.csv"):
        assert starts[record["intake_code"]] <= "2026-11-01"
        assert int(record["graduated"]) + int(record["failed"]) <= int(record["enrolled"])
