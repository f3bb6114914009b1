"""The IATI 2.03 activity file of one organisation's published projects.

Mapping (docs/adr/0005-programmes.md):
- iati-identifier: `<organisation ref>-<code>`; reporting-org: the organisation (type 11,
  local government, or as its partner row says);
- participating-org: the organisation (2 accountable, 4 implementing), each funder (1 funding);
- activity-status: identification, studies, tendering → 1; works → 2; provisional reception,
  completed → 3; suspended → 6; cancelled → 5;
- activity-date: planned start/end (1, 3) and actual start/end (2, 4);
- recipient-country MA; location: the point with the territories' names;
- sector: OECD DAC 5-digit code (vocabulary 1) for our OC4IDS sector;
- budget: the total cost over the planned period (or the programme's), original;
- transaction: funding commitments → 11 incoming commitment; disbursements → 1 incoming
  funds; expenditures → 4 expenditure; all in MAD, value-date the transaction's date;
- document-link: public documents.
Every narrative is written in the active language.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone, translation
from lxml import etree

from jamaati.organisations.models import Organisation
from jamaati.programmes.exports.common import (
    DAC_SECTOR,
    IATI_DOCUMENT_CATEGORY,
    IATI_ORGANISATION_TYPE,
    IATI_STATUS,
    export_projects,
    iati_identifier,
    organisation_ref,
    partner_ref,
)
from jamaati.programmes.models import Project, TransactionKind

VERSION = "2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CURRENCY = "MAD"
LOCAL_GOVERNMENT = "11"


def _narrative(parent: etree._Element, tag: str, text: str, **attributes) -> etree._Element:
    element = etree.SubElement(parent, tag, **attributes)
    etree.SubElement(element, "narrative").text = text or "—"
    return element


def _org(parent, tag: str, *, ref: str, type_: str, name: str, **attributes):
    return _narrative(parent, tag, name, ref=ref, type=type_, **attributes)


def _date(value: date) -> str:
    return value.isoformat()


def _activity(project: Project, *, base_url: str, today: date) -> etree._Element:
    organisation = project.organisation
    own_ref = organisation_ref(organisation)
    activity = etree.Element(
        "iati-activity",
        {
            "last-updated-datetime": project.updated_at.replace(microsecond=0).isoformat(),
            XML_LANG: translation.get_language() or "ar",
            "default-currency": CURRENCY,
        },
    )
    etree.SubElement(activity, "iati-identifier").text = iati_identifier(project)
    _org(
        activity,
        "reporting-org",
        ref=own_ref,
        type_=LOCAL_GOVERNMENT,
        name=organisation.name,
    )
    _narrative(activity, "title", project.title)
    _narrative(activity, "description", project.description or project.title, type="1")
    _org(
        activity,
        "participating-org",
        ref=own_ref,
        type_=LOCAL_GOVERNMENT,
        name=organisation.name,
        role="2",
    )
    funders = {}
    for commitment in project.commitments.all():
        funders[commitment.partner_id] = commitment.partner
    for move in project.transactions.all():
        if move.partner_id:
            funders.setdefault(move.partner_id, move.partner)
    for partner in funders.values():
        _org(
            activity,
            "participating-org",
            ref=partner_ref(partner),
            type_=IATI_ORGANISATION_TYPE.get(partner.kind, "90"),
            name=partner.name,
            role="1",
        )
    _org(
        activity,
        "participating-org",
        ref=own_ref,
        type_=LOCAL_GOVERNMENT,
        name=organisation.name,
        role="4",
    )
    etree.SubElement(activity, "activity-status", code=IATI_STATUS[project.status])
    dates = [
        ("1", project.planned_start),
        ("2", project.actual_start),
        ("3", project.planned_end),
        ("4", project.actual_end),
    ]
    written = False
    for kind, value in dates:
        if value is not None:
            etree.SubElement(activity, "activity-date", type=kind, **{"iso-date": _date(value)})
            written = True
    if not written:
        etree.SubElement(
            activity, "activity-date", type="1", **{"iso-date": _date(project.created_at.date())}
        )
    etree.SubElement(activity, "recipient-country", code="MA", percentage="100")
    territories = list(project.territories.all())
    if project.latitude is not None:
        location = etree.SubElement(activity, "location", ref=f"{iati_identifier(project)}-1")
        _narrative(location, "name", ", ".join(t.name for t in territories) or project.title)
        point = etree.SubElement(
            location, "point", srsName="http://www.opengis.net/def/crs/EPSG/0/4326"
        )
        etree.SubElement(point, "pos").text = f"{project.latitude:.6f} {project.longitude:.6f}"
        etree.SubElement(location, "exactness", code="1" if not project.geometry else "2")
    etree.SubElement(
        activity, "sector", vocabulary="1", code=DAC_SECTOR[project.sector], percentage="100"
    )
    start = project.planned_start or (project.programme.start_date if project.programme else None)
    end = project.planned_end or (project.programme.end_date if project.programme else None)
    if start and end and project.total_cost:
        budget = etree.SubElement(activity, "budget", type="1", status="2")
        etree.SubElement(budget, "period-start", **{"iso-date": _date(start)})
        etree.SubElement(budget, "period-end", **{"iso-date": _date(end)})
        etree.SubElement(budget, "value", **{"value-date": _date(start)}).text = str(
            project.total_cost
        )
    for commitment in project.commitments.all():
        _transaction(
            activity,
            ref=f"{iati_identifier(project)}-C{commitment.pk}",
            code="11",
            on=commitment.created_at.date(),
            amount=str(commitment.amount),
            provider=commitment.partner,
            receiver=organisation,
        )
    for move in project.transactions.all():
        incoming = move.kind == TransactionKind.DISBURSEMENT
        _transaction(
            activity,
            ref=move.reference or f"{iati_identifier(project)}-T{move.pk}",
            code="1" if incoming else "4",
            on=move.date,
            amount=str(move.amount),
            provider=move.partner if incoming else organisation,
            receiver=organisation if incoming else None,
            description=move.description,
        )
    for document in project.public_documents:
        link = etree.SubElement(
            activity,
            "document-link",
            format="application/pdf" if document.file.name.endswith(".pdf") else "image/jpeg",
            url=base_url + document.file.url,
        )
        _narrative(link, "title", document.title)
        etree.SubElement(link, "category", code=IATI_DOCUMENT_CATEGORY.get(document.type, "A12"))
        etree.SubElement(link, "document-date", **{"iso-date": _date(document.created_at.date())})
    return activity


def _transaction(activity, *, ref, code, on, amount, provider, receiver, description=""):
    element = etree.SubElement(activity, "transaction", ref=ref)
    etree.SubElement(element, "transaction-type", code=code)
    etree.SubElement(element, "transaction-date", **{"iso-date": _date(on)})
    etree.SubElement(element, "value", currency=CURRENCY, **{"value-date": _date(on)}).text = amount
    if description:
        _narrative(element, "description", description)
    for tag, party in (("provider-org", provider), ("receiver-org", receiver)):
        if party is None:
            continue
        if isinstance(party, Organisation):
            _narrative(element, tag, party.name, ref=organisation_ref(party), type=LOCAL_GOVERNMENT)
        else:
            _narrative(
                element,
                tag,
                party.name,
                ref=partner_ref(party),
                type=IATI_ORGANISATION_TYPE.get(party.kind, "90"),
            )


def activities_document(
    organisation: Organisation, *, base_url: str, today: date | None = None
) -> bytes:
    """The `<iati-activities>` file of `organisation` (UTF-8 XML bytes); possibly no activity."""
    today = today or timezone.localdate()
    root = etree.Element(
        "iati-activities",
        version=VERSION,
        **{"generated-datetime": timezone.now().replace(microsecond=0).isoformat()},
    )
    projects = list(export_projects(organisation))
    if not projects:
        return None
    for project in projects:
        root.append(_activity(project, base_url=base_url, today=today))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
