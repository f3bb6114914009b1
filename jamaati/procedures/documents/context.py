"""What each document says: the template context of a receipt, a decision or an urbanism note.

Called inside `translation.override(language)`: translated fields (procedure titles, zone
names, organisation names) then read in the document's language, with the project's fallbacks.
"""

from __future__ import annotations

import base64
import mimetypes
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from jamaati.procedures import zoning
from jamaati.procedures.documents import mapsvg, qr
from jamaati.procedures.forms_engine import schema as fs
from jamaati.procedures.forms_engine.answers import polygon_area_m2
from jamaati.procedures.models import (
    Application,
    DecisionKind,
    IssuedDocument,
    IssuedDocumentKind,
    OpinionRequest,
    RequiredDocument,
    Status,
)

# Documents are written in Arabic, French or English; Tamazight applications get Arabic,
# the official language the administration writes in, until the catalogue covers zgh.
DOCUMENT_LANGUAGES = ("ar", "fr", "en")
RTL_LANGUAGES = ("ar",)
LOGO_TYPES = ("image/png", "image/jpeg", "image/svg+xml", "image/webp")
LOGO_MAX_BYTES = 512 * 1024
BRAND_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
DEFAULT_COLOUR = "#0b6e4f"


def document_language(application: Application) -> str:
    language = (application.language or "ar").split("-")[0]
    return language if language in DOCUMENT_LANGUAGES else "ar"


def _logo_data_uri(organisation) -> str:
    """The organisation's logo inlined as a data URI (the renderer fetches nothing), or ""."""
    if not organisation.logo:
        return ""
    content_type = mimetypes.guess_type(organisation.logo.name)[0] or ""
    if content_type not in LOGO_TYPES:
        return ""
    try:
        with organisation.logo.open("rb") as handle:
            content = handle.read(LOGO_MAX_BYTES + 1)
    except OSError:
        return ""
    if len(content) > LOGO_MAX_BYTES:
        return ""
    return f"data:{content_type};base64,{base64.b64encode(content).decode('ascii')}"


def _colour(value: str) -> str:
    # The print stylesheet inlines it: only a plain #rrggbb colour gets there.
    return value if BRAND_COLOUR.fullmatch(value or "") else DEFAULT_COLOUR


def _local(value: str | None) -> datetime | None:
    moment = parse_datetime(value) if value else None
    return timezone.localtime(moment) if moment else None


def _day(value: str | None) -> date | None:
    return parse_date(value) if value else None


@dataclass(frozen=True)
class ReceivedDocument:
    name: str
    file_name: str


def _received(data: dict[str, Any]) -> list[ReceivedDocument]:
    """The documents received at submission, as recorded in the document (catalogue names)."""
    rows = data.get("documents_received") or []
    codes = {row.get("catalogue") for row in rows if row.get("catalogue")}
    names = {
        document.code: str(document) for document in RequiredDocument.objects.filter(code__in=codes)
    }
    return [
        ReceivedDocument(
            name=names.get(row.get("catalogue") or "", "") or row.get("name", ""),
            file_name=row.get("name", ""),
        )
        for row in rows
    ]


def text_direction(text: str, default: str = "rtl") -> str:
    """The direction of free text by its first strong character (HTML's dir="auto", done here
    because the PDF renderer does not implement it)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return default


def _holder_name(application: Application) -> str:
    applicant = application.applicant
    if applicant is not None and applicant.full_name:
        return applicant.full_name
    return str(application.answers.get("full_name", "") or "")


def document_title(document: IssuedDocument, application: Application) -> str:
    if document.kind == IssuedDocumentKind.RECEIPT:
        return _("Receipt of application")
    if document.verification_data.get("decision") == Status.REFUSED:
        return _("Decision of refusal")
    return DecisionKind(application.procedure.decision_kind).label


@dataclass(frozen=True)
class ZoneLine:
    """One zone of the parcel, as the urbanism note states it."""

    code: str
    name: str
    colour: str
    share_percent: Decimal | None
    area_m2: Decimal | None
    uses: list[str]
    max_height_m: Decimal | None
    max_floors: int | None
    plot_ratio: Decimal | None
    land_coverage: Decimal | None
    max_floor_area_m2: Decimal | None
    rules: str
    plan: str


def _parcel_geometry(application: Application):
    if application.form_version_id is None:
        return None
    fields = fs.flat_fields(application.form_version.schema)
    for kind in (fs.PARCEL, fs.MAP_POINT):
        for field in fields:
            value = application.answers.get(field["key"])
            if field["type"] == kind and value:
                return zoning.geometry_from_answer(value)
    return None


def urbanism_note_context(application: Application) -> dict[str, Any]:
    """The zones of the application's parcel with their rules, and the map: what the note states."""
    matches = zoning.urbanism_note_zones(application=application)
    parcel = _parcel_geometry(application)
    if parcel is None:
        return {"zones": [], "parcel_area_m2": None, "map_svg": "", "plans": []}
    plans = list(dict.fromkeys(match.zone.plan for match in matches))
    neighbours = [
        zone for zone in zoning.zones_in_force() if zone.plan_id in {plan.pk for plan in plans}
    ]
    colours = mapsvg.zone_colours(neighbours)
    # A map point has no area: its zones are stated without shares or floor areas.
    is_area = parcel.geom_type != "Point"
    lines = [
        ZoneLine(
            code=match.zone.code,
            name=match.zone.name,
            colour=colours.get(match.zone.code, mapsvg.PALETTE[0]),
            share_percent=Decimal(str(round(match.share * 100, 1))) if is_area else None,
            area_m2=Decimal(str(round(match.area_m2))) if is_area else None,
            uses=[str(zoning.USES.get(use, use)) for use in match.zone.allowed_uses],
            max_height_m=match.zone.max_height_m,
            max_floors=match.zone.max_floors,
            plot_ratio=match.zone.plot_ratio,
            land_coverage=match.zone.land_coverage,
            max_floor_area_m2=match.max_buildable_floor_area_m2 if is_area else None,
            rules=match.zone.rules,
            plan=match.zone.plan.name,
        )
        for match in matches
    ]
    parcel_area = Decimal(str(round(polygon_area_m2(parcel)))) if is_area else None
    map_svg = ""
    if parcel.geom_type in ("Polygon", "Point"):
        map_svg = mapsvg.parcel_map_svg(
            parcel=parcel,
            zones=neighbours,
            title=_("Map of the parcel (outlined in red) over the zones of the urban plan"),
            colours=colours,
        )
    legend = []
    if map_svg:
        legend = [
            {"code": zone.code, "name": zone.name, "colour": colours[zone.code]}
            for zone in mapsvg.zones_in_view(parcel=parcel, zones=neighbours)
        ]
    return {
        "zones": lines,
        "parcel_area_m2": parcel_area,
        "map_svg": map_svg,
        "legend": legend,
        "plans": plans,
        "parcel_colour": mapsvg.PARCEL_COLOUR,
    }


def document_context(document: IssuedDocument, *, language: str) -> dict[str, Any]:
    """Everything a document's templates show, for the PDF and the site's page alike."""
    application = document.application
    procedure = application.procedure
    organisation = application.organisation
    data = document.verification_data or {}
    url = qr.verification_url(document=document, language=language)
    is_decision = document.kind == IssuedDocumentKind.DECISION
    decision = data.get("decision", "")
    context: dict[str, Any] = {
        "document": document,
        "application": application,
        "procedure": procedure,
        "organisation": organisation,
        "language": language,
        "direction": "rtl" if language in RTL_LANGUAGES else "ltr",
        "brand_colour": _colour(organisation.primary_color),
        "logo_data_uri": _logo_data_uri(organisation),
        "title": document_title(document, application),
        "is_receipt": document.kind == IssuedDocumentKind.RECEIPT,
        "is_decision": is_decision,
        "issued_at": timezone.localtime(document.issued_at),
        "holder_name": _holder_name(application),
        "place": application.territory.name if application.territory_id else "",
        "verification_url": url,
        "qr_svg": qr.qr_svg(url, title=_("QR code of the verification page")),
        "submitted_at": _local(data.get("submitted_at")),
        "due_date": _day(data.get("due_date")),
    }
    if document.kind == IssuedDocumentKind.RECEIPT:
        context["received"] = _received(data)
        context["channel"] = application.get_channel_display()
    else:
        approved = decision == Status.APPROVED
        context.update(
            {
                "approved": approved,
                "refused": decision == Status.REFUSED,
                "tacit": bool(data.get("tacit")),
                "decided_at": _local(data.get("decided_at")),
                "reasons": application.decision_reasons,
                "reasons_direction": text_direction(
                    application.decision_reasons, default=context["direction"]
                ),
                "opinions": list(
                    OpinionRequest.objects.filter(application=application, given_at__isnull=False)
                    .select_related("organisation", "department")
                    .order_by("given_at", "pk")
                ),
                "is_note": approved and procedure.decision_kind == DecisionKind.NOTE,
            }
        )
        if context["is_note"]:
            context["note"] = urbanism_note_context(application)
    return context
