"""Write docs/formats.md from the Kind declarations: `python -m coalition.io.formats_doc`."""

from __future__ import annotations

import sys

from coalition.registries.kinds import KINDS, Kind

INTRO = """# Spreadsheet formats

Every registry imports from and exports to CSV (UTF-8, comma-separated, header row) or XLSX
(first sheet, header in row 1). `coalition template KIND FILE` writes an empty template;
`coalition export KIND FILE` writes the registry in exactly this layout, and importing that file
again changes nothing.

Rules for every import:

- The header names the columns; order does not matter. Unknown or repeated columns are refused;
  required columns must be present. Optional columns may be left out or left blank (the default
  applies).
- The whole file is checked before anything is written, and **every** problem is listed as
  `file:row [column] 'value': reason` (row 1 is the header). If there is any problem, nothing is
  imported.
- A file is imported in one transaction: all rows or none, even if the process is killed.
- Rows are matched to stored records by the **key** columns. A new key creates a record; a known
  key whose values differ updates it; an identical row changes nothing. Each create and update
  is written to the change log (who, when, batch, before, after): `coalition history KIND KEY`.
  Composite keys are written with `:` between their parts, e.g. `DEU:DEU-OF-0001`.
- Codes are 1-64 letters, digits or `. _ / -`; dates are `YYYY-MM-DD`; numbers use `.` as the
  decimal point; money amounts are exact decimals. Lists (capability areas, donor codes) are
  separated by `;`.
- Records with a lifecycle (requirements, offers, pledges) may move forward several legal steps
  in one import (offered → shipped), never backwards or out of a final state.
- Import in this order so that every reference is known: {order}.

This page is generated from `src/coalition/io/kinds.py` by
`python -m coalition.io.formats_doc > docs/formats.md`; a test keeps it up to date.
"""


def render_kind(kind: Kind) -> str:
    lines = [
        f"## {kind.title} — `{kind.name}`",
        "",
        f"Key: {', '.join(f'`{k}`' for k in kind.key)}.",
    ]
    if kind.references:
        refs = ", ".join(f"`{column}` → {target}" for column, target in kind.references)
        lines.append(f"References: {refs}.")
    lines += [
        "",
        "| column | required | type | meaning | example |",
        "|---|---|---|---|---|",
    ]
    for c in kind.columns:
        required = "yes" if c.required else ""
        example = f"`{c.example}`" if c.example else ""
        lines.append(f"| `{c.name}` | {required} | {c.type.name} | {c.help} | {example} |")
    header = ",".join(c.name for c in kind.columns)
    row = ",".join(c.example for c in kind.columns)
    lines += ["", "```csv", header, row, "```", ""]
    return "\n".join(lines)


def render() -> str:
    order = " → ".join(f"`{name}`" for name in KINDS)
    return INTRO.format(order=order) + "\n" + "\n".join(render_kind(k) for k in KINDS.values())


if __name__ == "__main__":
    sys.stdout.write(render())
