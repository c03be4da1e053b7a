"""IATI 2.03 out: financial pledges and their disbursements as IATI activities and
transactions, the format aid registries read (https://iatistandard.org/).

One activity per pledge. Its identifier starts with the reporting organisation's identifier;
Coalition does not hold donors' registered IATI organisation identifiers, so it writes
`XM-COALITION-<donor code>` (a placeholder that a donor replaces with its own before
publishing; `org_prefix` changes the prefix). Transactions follow the pledge's stage:
a pledge is an Outgoing Pledge (12); a commitment an Outgoing Commitment (2), dated on the
pledge day (the ledger holds no separate commitment date); a disbursed pledge adds a
Disbursement (3) on its disbursement day. Ukraine is the recipient country (UA, 100 %).

`check` refuses malformed records before anything is written, naming each record and field;
`validate` checks a document against the 2.03 XSD (`iati-activities-schema.xsd`, with
`iati-common.xsd` and `xml.xsd` beside it), offline.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from lxml import etree

IATI_VERSION = "2.03"
DEFAULT_PREFIX = "XM-COALITION-"
RECIPIENT_COUNTRY = "UA"
# Codelists (2.03): TransactionType, OrganisationRole, OrganisationType, ActivityStatus,
# ActivityDateType.
OUTGOING_PLEDGE, OUTGOING_COMMITMENT, DISBURSEMENT = "12", "2", "3"
ROLE_FUNDING, ROLE_EXTENDING = "1", "3"
ORG_GOVERNMENT, ORG_MULTILATERAL = "10", "40"
STATUS_IMPLEMENTATION, STATUS_FINALISATION = "2", "3"
DATE_ACTUAL_START = "2"
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
STAGES = ("pledge", "commitment", "disbursed")


class IatiRefused(Exception):
    """Records that cannot be published as they are; `problems` names each one and field."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        shown = "; ".join(self.problems[:10])
        more = f" … and {len(self.problems) - 10} more" if len(self.problems) > 10 else ""
        super().__init__(f"{len(self.problems)} record(s) refused before export: {shown}{more}")


@dataclass(frozen=True)
class Funder:
    code: str
    name: str
    is_organisation: bool = False


@dataclass(frozen=True)
class PledgeRecord:
    """A pledge as the export reads it (from the ledger, or built by a caller)."""

    donor_code: str
    external_id: str
    amount: Decimal
    currency: str
    year: int
    pledged_on: date
    purpose: str
    status: str
    channel_code: str | None = None
    disbursed_on: date | None = None

    @property
    def key(self) -> str:
        return f"{self.donor_code}:{self.external_id}"


def check(records: Sequence[PledgeRecord], funders: dict[str, Funder]) -> list[str]:
    """Every problem that would make an activity wrong or invalid, as 'pledge KEY: field …'."""
    problems = []
    seen: set[str] = set()
    for r in records:
        where = f"pledge {r.donor_code}:{r.external_id}"

        def bad(field: str, reason: str, where: str = where) -> None:
            problems.append(f"{where}: {field} {reason}")

        if not isinstance(r.donor_code, str) or not _CODE.match(r.donor_code):
            bad("donor_code", "must be a code (letters, digits, . _ -)")
        elif r.donor_code not in funders:
            bad("donor_code", f"{r.donor_code!r} is not a known donor")
        if not isinstance(r.external_id, str) or not _CODE.match(r.external_id):
            bad("external_id", "must be a code (letters, digits, . _ -)")
        if r.key in seen:
            bad("external_id", "appears twice")
        seen.add(r.key)
        if not isinstance(r.amount, Decimal) or not r.amount.is_finite() or r.amount <= 0:
            bad("amount", f"{r.amount!r} must be a positive amount")
        if not isinstance(r.currency, str) or not _CURRENCY.match(r.currency):
            bad("currency", f"{r.currency!r} must be an ISO 4217 code such as EUR")
        if not isinstance(r.pledged_on, date):
            bad("pledged_on", "must be a date")
        if r.status not in STAGES:
            bad("status", f"{r.status!r} must be one of {', '.join(STAGES)}")
        if r.status == "disbursed" and r.disbursed_on is None:
            bad("disbursed_on", "is required once disbursed")
        if (
            r.disbursed_on is not None
            and isinstance(r.pledged_on, date)
            and r.disbursed_on < r.pledged_on
        ):
            bad("disbursed_on", f"{r.disbursed_on} is before the pledge ({r.pledged_on})")
        if r.channel_code and r.channel_code not in funders:
            bad("channel_code", f"{r.channel_code!r} is not a known organisation")
    return problems


def org_ref(code: str, prefix: str = DEFAULT_PREFIX) -> str:
    return f"{prefix}{code}"


def build(
    records: Sequence[PledgeRecord],
    funders: dict[str, Funder],
    generated: datetime,
    prefix: str = DEFAULT_PREFIX,
) -> bytes:
    """The IATI activity file; IatiRefused (nothing built) when any record is malformed."""
    problems = check(records, funders)
    if problems:
        raise IatiRefused(problems)
    root = etree.Element(
        "iati-activities",
        version=IATI_VERSION,
        attrib={"generated-datetime": generated.isoformat(timespec="seconds")},
    )
    for r in sorted(records, key=lambda r: (r.donor_code, r.external_id)):
        root.append(_activity(r, funders, generated, prefix))
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _narrative(parent: etree._Element, tag: str, text: str) -> etree._Element:
    element = etree.SubElement(parent, tag)
    etree.SubElement(element, "narrative").text = text
    return element


def _org(parent: etree._Element, tag: str, funder: Funder, prefix: str, **attrs: str) -> None:
    kind = ORG_MULTILATERAL if funder.is_organisation else ORG_GOVERNMENT
    element = etree.SubElement(parent, tag, ref=org_ref(funder.code, prefix), type=kind, **attrs)
    etree.SubElement(element, "narrative").text = funder.name


def _activity(
    r: PledgeRecord, funders: dict[str, Funder], generated: datetime, prefix: str
) -> etree._Element:
    funder = funders[r.donor_code]
    activity = etree.Element(
        "iati-activity",
        attrib={
            "last-updated-datetime": generated.isoformat(timespec="seconds"),
            "default-currency": r.currency,
            "humanitarian": "0",
        },
    )
    etree.SubElement(
        activity, "iati-identifier"
    ).text = f"{org_ref(r.donor_code, prefix)}-{r.external_id}"
    _org(activity, "reporting-org", funder, prefix)
    purpose = r.purpose.replace("_", " ")
    _narrative(activity, "title", f"Security assistance to Ukraine: {purpose} ({r.external_id})")
    description = _narrative(
        activity,
        "description",
        f"{funder.name}: {purpose} pledged on {r.pledged_on.isoformat()} for {r.year}, "
        f"now at stage '{r.status}'.",
    )
    description.set("type", "1")
    _org(activity, "participating-org", funder, prefix, role=ROLE_FUNDING)
    if r.channel_code:
        _org(activity, "participating-org", funders[r.channel_code], prefix, role=ROLE_EXTENDING)
    status = STATUS_FINALISATION if r.status == "disbursed" else STATUS_IMPLEMENTATION
    etree.SubElement(activity, "activity-status", code=status)
    etree.SubElement(
        activity,
        "activity-date",
        type=DATE_ACTUAL_START,
        attrib={"iso-date": r.pledged_on.isoformat()},
    )
    etree.SubElement(activity, "recipient-country", code=RECIPIENT_COUNTRY, percentage="100")
    stage = STAGES.index(r.status)
    first = OUTGOING_PLEDGE if stage == 0 else OUTGOING_COMMITMENT
    _transaction(activity, first, r.pledged_on, r, r.pledged_on)
    if r.status == "disbursed" and r.disbursed_on is not None:
        _transaction(activity, DISBURSEMENT, r.disbursed_on, r, r.disbursed_on)
    return activity


def _transaction(
    activity: etree._Element, kind: str, day: date, r: PledgeRecord, value_day: date
) -> None:
    transaction = etree.SubElement(activity, "transaction", ref=f"{r.key}-{kind}")
    etree.SubElement(transaction, "transaction-type", code=kind)
    etree.SubElement(transaction, "transaction-date", attrib={"iso-date": day.isoformat()})
    value = etree.SubElement(
        transaction, "value", currency=r.currency, attrib={"value-date": value_day.isoformat()}
    )
    value.text = format(r.amount, "f")


def validate(document: bytes, schema: Path) -> list[str]:
    """Errors of `document` against the XSD at `schema` (empty: valid). Offline: the schema's
    includes and imports are read from its own folder."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    xsd = etree.XMLSchema(etree.parse(str(schema), parser))
    tree = etree.fromstring(document, parser)
    if xsd.validate(tree):
        return []
    return [f"line {e.line}: {e.message}" for e in xsd.error_log]
