from pathlib import Path

from coalition.io import formats_doc

DOC = Path(__file__).resolve().parents[2] / "docs" / "formats.md"


def test_the_formats_page_matches_the_declared_columns():
    assert DOC.read_text(encoding="utf-8") == formats_doc.render(), (
        "docs/formats.md is stale: run python -m coalition.io.formats_doc > docs/formats.md"
    )
