"""Write docs/formats.md from the Kind declarations: `python -m coalition.io.formats_doc`."""

from __future__ import annotations

import sys

from coalition.domain import checks
from coalition.registries.kinds import KINDS, Kind

INTRO = """# Spreadsheet formats

Every registry imports from and exports to CSV (UTF-8, comma-separated, header row) or XLSX
(first sheet, header in row 1). `coalition template KIND FILE` writes an empty template;
`coalition export KIND FILE` writes the registry in exactly this layout, and importing that file
again changes nothing.

Rules for every import:

- The header names the columns; order does not matter. Unknown or repeated columns are refused
  (with a "did you mean" for a near miss); required columns must be present.
- An optional column **left out** of the file keeps each existing record's stored value (the
  default applies only to new records). An optional cell **left blank** asks for the default.
- The whole file is checked before anything is written, in one pass, and **every** problem is
  listed as `file:row [column] 'value': reason` (row 1 is the header). The screen shows the first
  50 and the total; `coalition import KIND FILE --errors FILE.errors.csv` writes all of them. If
  there is any problem, nothing is imported.
- Every column has a domain, shown in the *type* column below and enforced by the records
  themselves (`src/coalition/domain/checks.py`): quantities are {quantity}; priorities
  {priority}; years {years}; money amounts {money}; dates {dates}. Events that happened
  (delivered, disbursed, a fleet count) cannot be after today, and a delivered offer or a
  disbursed pledge needs its date. Text has a maximum length and no control characters.
- A currency must be one the ECB publishes a euro reference rate for (or EUR itself), so that
  every amount can be valued in EUR; UAH or XAU, for instance, are refused: convert the amount.
  A burden baseline is in EUR.
- A requirement's `capability_area` must be the area of its family.
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
- Files are CSV in UTF-8, comma-separated (a `;`-separated or Windows-1252 file is named as such
  and refused), or XLSX (every row is read, whatever the sheet's stored dimension says).
- Exports are safe to open in a spreadsheet program: in CSV, text starting with `= + - @`, a tab,
  a carriage return or `'` is written with a leading `'` (OWASP "CSV Injection"), which import
  removes again; in XLSX such text is an explicit text cell. Numbers stay numbers, and an export
  imports back unchanged.

This page is generated from `src/coalition/registries/kinds.py` by
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
    intro = INTRO.format(
        order=order,
        quantity=checks.QUANTITY.rule,
        priority=checks.PRIORITY.rule,
        years=checks.YEARS.rule,
        money=checks.MONEY.rule,
        dates=checks.DATES.rule,
    )
    return intro + "\n" + "\n".join(render_kind(k) for k in KINDS.values())


if __name__ == "__main__":
    sys.stdout.write(render())
