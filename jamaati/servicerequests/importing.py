"""Import service requests from another system: a CSV file or an Open311 GeoReport v2 `requests.json`.

- Every row goes through `services.servicerequest_create` (channel "import", no notification),
  in its own transaction: one bad row never loses the good ones, and each bad row is reported
  with its line and the reason.
- Idempotent by (source, external id): importing the same file again adds no row.
- A point outside every territory is reported, or (`outside="assign"`) the request goes to the
  importing organisation at its seat commune; the point is then kept in the address text.
- The source's status is mapped onto ours; closed requests keep the dates the source gives.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jamaati.organisations.models import Organisation
from jamaati.servicerequests import selectors, services
from jamaati.servicerequests.models import (
    Category,
    Channel,
    EventKind,
    ServiceRequest,
    ServiceRequestEvent,
    Status,
)
from jamaati.territories.models import Level
from jamaati.territories.selectors import territory_lookup

OUTSIDE_REPORT = "report"
OUTSIDE_ASSIGN = "assign"

# Column names accepted for each field, first the documented one, then those of common exports
# (Open311 CSV dumps, the MyLA311 export).
CSV_COLUMNS: dict[str, tuple[str, ...]] = {
    "external_id": ("external_id", "id", "service_request_id", "srnumber"),
    "category_code": ("category_code", "category", "service_code", "requesttype"),
    "description": ("description",),
    "lat": ("lat", "latitude"),
    "lon": ("lon", "long", "lng", "longitude"),
    "address": ("address",),
    "created_at": ("created_at", "created", "requested_datetime", "createddate"),
    "status": ("status",),
    "closed_at": ("closed_at", "closed", "closeddate", "updated_datetime"),
}
REQUIRED_COLUMNS = ("external_id", "category_code")

# Statuses of other systems, lower-cased, onto ours.
STATUS_MAP: dict[str, str] = {
    "": Status.NEW,
    "new": Status.NEW,
    "open": Status.NEW,
    "submitted": Status.NEW,
    "received": Status.NEW,
    "acknowledged": Status.ACKNOWLEDGED,
    "pending": Status.ACKNOWLEDGED,
    "assigned": Status.ACKNOWLEDGED,
    "in_progress": Status.IN_PROGRESS,
    "in progress": Status.IN_PROGRESS,
    "resolved": Status.RESOLVED,
    "fixed": Status.RESOLVED,
    "done": Status.RESOLVED,
    "completed": Status.RESOLVED,
    "rejected": Status.REJECTED,
    "cancelled": Status.REJECTED,
    "canceled": Status.REJECTED,
    "invalid": Status.REJECTED,
    "closed": Status.CLOSED,
    # Passed to another agency, which closes it there: done as far as this source is concerned.
    "referred out": Status.CLOSED,
}
_ADDRESS_MAX = 300


class ImportFileError(Exception):
    """The file as a whole cannot be read (not a row: those are reported one by one)."""


@dataclass(frozen=True)
class SourceRow:
    line: int  # CSV: the file line the row ends on; Open311 JSON: the record's position (from 1)
    external_id: str
    category_code: str
    description: str = ""
    lat: str = ""
    lon: str = ""
    address: str = ""
    created_at: str = ""
    status: str = ""
    closed_at: str = ""


@dataclass(frozen=True)
class RowProblem:
    line: int
    external_id: str
    reason: str


@dataclass
class ImportReport:
    imported: int = 0
    assigned_outside: int = 0  # imported rows whose point was outside, given to the organisation
    skipped: int = 0  # already present (imported before, or earlier in the same file)
    outside: list[RowProblem] = field(default_factory=list)  # reported, not imported
    rejected: list[RowProblem] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.imported + self.skipped + len(self.outside) + len(self.rejected)


# --- Reading files ----------------------------------------------------------------------------------


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def read_csv(path: Path) -> Iterator[SourceRow]:
    """Rows of a CSV file with a header line; see CSV_COLUMNS for the accepted column names."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        try:
            header = [name.strip().lower() for name in next(reader)]
        except StopIteration:
            return
        positions: dict[str, int] = {}
        for name, aliases in CSV_COLUMNS.items():
            for alias in aliases:
                if alias in header:
                    positions[name] = header.index(alias)
                    break
        missing = [name for name in REQUIRED_COLUMNS if name not in positions]
        if missing:
            raise ImportFileError(
                _("The file has no column for: %(columns)s. Its columns are: %(found)s.")
                % {"columns": ", ".join(missing), "found": ", ".join(header)}
            )
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            values = {
                name: cells[position].strip() if position < len(cells) else ""
                for name, position in positions.items()
            }
            yield SourceRow(line=reader.line_num, **values)


def read_open311(path: Path) -> Iterator[SourceRow]:
    """Records of an Open311 GeoReport v2 `requests.json` (a list, or an object with `requests`)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportFileError(_("The file is not valid JSON: %(error)s") % {"error": exc}) from exc
    if isinstance(data, dict):
        data = data.get("requests") or data.get("service_requests")
    if not isinstance(data, list):
        raise ImportFileError(_("The file does not hold a list of Open311 requests."))
    for position, record in enumerate(data, start=1):
        if not isinstance(record, dict):
            yield SourceRow(line=position, external_id="", category_code="")
            continue
        yield SourceRow(
            line=position,
            external_id=_text(record.get("service_request_id")),
            category_code=_text(record.get("service_code")) or _text(record.get("service_name")),
            description=_text(record.get("description")),
            lat=_text(record.get("lat")),
            lon=_text(record.get("long")),
            address=_text(record.get("address")),
            created_at=_text(record.get("requested_datetime")),
            status=_text(record.get("status")),
            closed_at=(
                _text(record.get("updated_datetime"))
                if _text(record.get("status")).lower() == "closed"
                else ""
            ),
        )


def count_rows(path: Path, file_format: str) -> int | None:
    """How many rows the progress bar should expect (lines for CSV, records for JSON)."""
    if file_format == "csv":
        with path.open(encoding="utf-8-sig", errors="replace") as handle:
            return max(sum(1 for _line in handle) - 1, 0)
    return None


def read_category_map(path: Path) -> dict[str, str]:
    """A two-column CSV: the source's category, then our category code. A header line is allowed."""
    mapping: dict[str, str] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for number, cells in enumerate(csv.reader(handle), start=1):
            if not cells or not any(cell.strip() for cell in cells):
                continue
            if len(cells) < 2:
                raise ImportFileError(
                    _("Line %(line)d of the category map needs two columns.") % {"line": number}
                )
            source_code, code = cells[0].strip(), cells[1].strip()
            if number == 1 and code.lower() in ("code", "category", "category_code"):
                continue
            mapping[source_code.lower()] = code
    return mapping


# --- Converting one row ----------------------------------------------------------------------------------


class RowError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class OutsideError(RowError):
    """The row's point lies outside every territory (reported, not imported)."""


def _coordinate(value: str, *, name: str, limit: float) -> float | None:
    if not value:
        return None
    try:
        number = float(value.replace(",", "."))
    except ValueError as exc:
        raise RowError(
            _("The %(name)s %(value)s is not a number.") % {"name": name, "value": value}
        ) from exc
    if not -limit <= number <= limit:
        raise RowError(
            _("The %(name)s %(value)s is out of range.") % {"name": name, "value": value}
        )
    return number


def _datetime(value: str, *, date_format: str | None, zone: tzinfo) -> datetime:
    try:
        if date_format:
            # Made aware just below, in the file's zone (make_aware handles DST; replace() would not).
            moment = datetime.strptime(value, date_format)  # noqa: DTZ007
        else:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise RowError(_("The date %(value)s is not valid.") % {"value": value}) from exc
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, zone)
    return moment


def _message(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return " ".join(
            f"{name}: {message}"
            for name, messages in exc.message_dict.items()
            for message in messages
        )
    return " ".join(exc.messages)


@dataclass(frozen=True)
class ImportSettings:
    organisation: Organisation
    source: str
    categories: dict[str, Category]
    category_map: dict[str, str]
    default_category: Category | None
    outside: str
    date_format: str | None
    zone: tzinfo


def _category(row: SourceRow, config: ImportSettings) -> Category:
    code = config.category_map.get(row.category_code.lower(), row.category_code)
    category = config.categories.get(code)
    if category is None:
        category = config.default_category
    if category is None:
        raise RowError(
            _("No category of %(organisation)s has the code %(code)s.")
            % {"organisation": config.organisation.slug, "code": row.category_code or "—"}
        )
    return category


def _status(row: SourceRow) -> str:
    status = STATUS_MAP.get(row.status.strip().lower().replace("-", " "))
    if status is None:
        status = STATUS_MAP.get(row.status.strip().lower())
    if status is None:
        raise RowError(
            _("The status %(status)s is unknown; known statuses: %(known)s.")
            % {"status": row.status, "known": ", ".join(sorted(k for k in STATUS_MAP if k))}
        )
    return status


def _apply_status(
    service_request: ServiceRequest, *, status: str, source_status: str, at: datetime, source: str
) -> None:
    """Give an imported request the status the source had, with the source's dates."""
    if status == Status.NEW:
        return
    at = max(at, service_request.created_at)
    service_request.status = status
    service_request.updated_at = at
    service_request.acknowledged_at = (
        at if status == Status.ACKNOWLEDGED else service_request.created_at
    )
    if status in (Status.RESOLVED, Status.CLOSED):
        service_request.resolved_at = at
    if status == Status.CLOSED:
        service_request.closed_at = at
    if status == Status.REJECTED:
        service_request.rejection_reason = _("%(status)s in %(source)s") % {
            "status": source_status,
            "source": source,
        }
    service_request.save(
        update_fields=[
            "status",
            "updated_at",
            "acknowledged_at",
            "resolved_at",
            "closed_at",
            "rejection_reason",
        ]
    )
    ServiceRequestEvent.objects.create(
        service_request=service_request,
        kind=EventKind.STATUS_CHANGED,
        from_status=Status.NEW,
        to_status=status,
        is_public=True,
        body="",
        data={"import": source, "source_status": source_status},
        created_at=at,
    )


def _give_to_organisation(
    service_request: ServiceRequest, *, category: Category, config: ImportSettings
) -> None:
    """A request from outside every territory goes to the importing organisation, whatever routing said."""
    organisation = config.organisation
    if service_request.organisation_id != organisation.pk:
        department = category.department if category.organisation_id == organisation.pk else None
        ServiceRequest.objects.filter(pk=service_request.pk).update(
            organisation=organisation, department=department
        )
        service_request.organisation, service_request.department = organisation, department
    service_request.events.filter(kind=EventKind.CREATED).update(
        data={
            "route": "import_outside",
            "organisation": organisation.slug,
            "channel": Channel.IMPORT,
        }
    )


def servicerequest_import_row(
    *, row: SourceRow, config: ImportSettings
) -> tuple[ServiceRequest, bool]:
    """Create one imported request with its status, in one transaction.

    Return it, and whether its point was outside every territory (and so given to the
    organisation). Raise RowError for a bad row, IntegrityError when it was imported meanwhile.
    """
    if not row.external_id:
        raise RowError(_("The row has no external id."))
    category = _category(row, config)
    status = _status(row)
    latitude = _coordinate(row.lat, name=_("latitude"), limit=90)
    longitude = _coordinate(row.lon, name=_("longitude"), limit=180)
    if (latitude is None) != (longitude is None):
        raise RowError(_("Give both the latitude and the longitude."))
    if not row.created_at:
        raise RowError(_("The row has no creation date."))
    created_at = _datetime(row.created_at, date_format=config.date_format, zone=config.zone)
    closed_at = (
        _datetime(row.closed_at, date_format=config.date_format, zone=config.zone)
        if row.closed_at
        else created_at
    )
    address = row.address
    commune = None
    outside = latitude is not None and territory_lookup(lat=latitude, lon=longitude) is None
    if outside:
        if config.outside != OUTSIDE_ASSIGN:
            raise OutsideError(
                _("The point %(lat)s, %(lon)s is outside every territory.")
                % {
                    "lat": row.lat,
                    "lon": row.lon,
                }
            )
        # The place is kept as text: the point itself would mislead every map of the commune.
        address = f"{address} ({latitude:.6f}, {longitude:.6f})".strip()[:_ADDRESS_MAX]
        latitude = longitude = None
        commune = config.organisation.seat
    # A source without free text (MyLA311) still says what the problem is: its category.
    description = row.description or row.category_code
    with transaction.atomic():
        try:
            service_request = services.servicerequest_create(
                category=category,
                description=description,
                latitude=latitude,
                longitude=longitude,
                commune=commune,
                address=address,
                channel=Channel.IMPORT,
                source=config.source,
                external_id=row.external_id,
                created_at=created_at,
                notify_reporter=False,
            )
        except ValidationError as exc:
            raise RowError(_message(exc)) from exc
        if outside:
            _give_to_organisation(service_request, category=category, config=config)
        _apply_status(
            service_request,
            status=status,
            source_status=row.status,
            at=closed_at,
            source=config.source,
        )
    return service_request, outside


def servicerequests_import(
    *,
    rows: Iterable[SourceRow],
    organisation: Organisation,
    source: str,
    category_map: dict[str, str] | None = None,
    default_category: str = "",
    outside: str = OUTSIDE_REPORT,
    dry_run: bool = False,
    date_format: str | None = None,
    zone: tzinfo | None = None,
    progress: Callable[[Iterable[SourceRow]], Iterable[SourceRow]] = lambda rows: rows,
) -> ImportReport:
    """Import `rows` for `organisation`, each row in its own transaction; return what happened to each.

    With `dry_run`, every row is checked and written inside a transaction that is then rolled
    back: the report is the one a real run would give, and nothing stays in the database.
    """
    source = source.strip()
    if not source:
        raise ImportFileError(_("Name the source of the file (for example its system's name)."))
    if outside not in (OUTSIDE_REPORT, OUTSIDE_ASSIGN):
        raise ImportFileError(_("Choose what to do with points outside: report or assign."))
    categories = {
        category.code: category
        for category in selectors.categories_of(organisation_id=organisation.pk).select_related(
            "organisation", "department"
        )
    }
    fallback = None
    if default_category:
        fallback = categories.get(default_category)
        if fallback is None:
            raise ImportFileError(
                _("No category of %(organisation)s has the code %(code)s.")
                % {"organisation": organisation.slug, "code": default_category}
            )
    if outside == OUTSIDE_ASSIGN and (
        organisation.seat is None
        or organisation.seat.level not in (Level.COMMUNE, Level.ARRONDISSEMENT)
    ):
        raise ImportFileError(
            _("%(organisation)s has no seat commune to receive the points outside.")
            % {"organisation": organisation.slug}
        )
    config = ImportSettings(
        organisation=organisation,
        source=source,
        categories=categories,
        category_map={key.lower(): value for key, value in (category_map or {}).items()},
        default_category=fallback,
        outside=outside,
        date_format=date_format,
        zone=zone or timezone.get_default_timezone(),
    )
    present = selectors.imported_external_ids(source=source)
    report = ImportReport()
    for row in progress(rows):
        if row.external_id and row.external_id in present:
            report.skipped += 1
            continue
        try:
            with transaction.atomic():
                _service_request, was_outside = servicerequest_import_row(row=row, config=config)
                if dry_run:
                    transaction.set_rollback(True)
        except OutsideError as exc:
            report.outside.append(RowProblem(row.line, row.external_id, exc.reason))
            continue
        except RowError as exc:
            report.rejected.append(RowProblem(row.line, row.external_id, exc.reason))
            continue
        except IntegrityError:  # imported meanwhile by another run
            report.skipped += 1
            continue
        present.add(row.external_id)
        report.imported += 1
        report.assigned_outside += was_outside
    return report
