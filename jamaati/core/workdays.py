"""The working-day calendar of Moroccan public administration.

Offices work Monday to Friday and close on public holidays. Holidays are rows
of `core.Holiday`, seeded per year from the `holidays` package (fixed dates,
and estimated dates for the Islamic holidays) by `manage.py seed_holidays`;
an admin confirms each Islamic holiday, or moves it, once its date is announced.

Why an unconfirmed holiday still counts as a day off: the estimate is right,
or one day off, for nearly every year, and offices do close for the holiday.
Treating the estimate as a working day would promise citizens deadlines that
fall on a day nobody works; erring on the side of a later deadline is safe.

A year that was never seeded falls back to the package's own calendar (and logs
a warning), so a deadline far in the future still skips Eid.

Writes (seeding, confirming, moving) are the `holiday_*` services at the end.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass

import holidays as holidays_package
from django.db import transaction
from django.utils.text import slugify

from jamaati.core.actors import Actor
from jamaati.core.models import Holiday

logger = logging.getLogger(__name__)

WEEKEND = frozenset({5, 6})  # Saturday, Sunday (date.weekday())
# Package language code for each of our languages that it translates.
PACKAGE_LANGUAGES = {"ar": "ar", "fr": "fr", "en": "en_US"}
ISLAMIC_HOLIDAYS = frozenset(
    {"Eid al-Fitr", "Eid al-Adha", "Islamic New Year", "Prophet's Birthday"}
)
_SEARCH_CHUNK_DAYS = 62


# --- Reading the calendar ----------------------------------------------------------


def _package_dates(years: Iterable[int]) -> set[dt.date]:
    return set(holidays_package.Morocco(years=list(years)).keys())


def holiday_dates_between(first: dt.date, last: dt.date) -> set[dt.date]:
    """Every holiday date from `first` to `last` inclusive, in one query."""
    years = range(first.year, last.year + 1)
    rows = Holiday.objects.filter(
        date__gte=dt.date(first.year, 1, 1), date__lte=dt.date(last.year, 12, 31)
    ).values_list("date", flat=True)
    dates = set(rows)
    seeded_years = {date.year for date in dates}
    missing = [year for year in years if year not in seeded_years]
    if missing:
        logger.warning("No public holidays seeded for %s: using the estimated calendar.", missing)
        dates |= _package_dates(missing)
    return {date for date in dates if first <= date <= last}


def is_working_day(date: dt.date) -> bool:
    return date.weekday() not in WEEKEND and date not in holiday_dates_between(date, date)


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The date `n` working days after `start` (before it when `n` is negative).

    `start` itself is not counted: one working day after a Friday is the Monday.
    """
    if n == 0:
        return start
    step = 1 if n > 0 else -1
    remaining = abs(n)
    current = start
    while True:
        window_end = current + dt.timedelta(days=step * _SEARCH_CHUNK_DAYS)
        first, last = sorted((current + dt.timedelta(days=step), window_end))
        closed = holiday_dates_between(first, last)
        for _ in range(_SEARCH_CHUNK_DAYS):
            current += dt.timedelta(days=step)
            if current.weekday() in WEEKEND or current in closed:
                continue
            remaining -= 1
            if remaining == 0:
                return current


def working_days_between(a: dt.date, b: dt.date) -> int:
    """The number of working days after `a` up to and including `b` (negative if `b` < `a`).

    It is the inverse of `add_working_days`: for a working day `b`,
    `add_working_days(a, working_days_between(a, b)) == b`.
    """
    if b == a:
        return 0
    if b < a:
        return -working_days_between(b, a)
    closed = holiday_dates_between(a + dt.timedelta(days=1), b)
    count = 0
    day = a + dt.timedelta(days=1)
    while day <= b:
        if day.weekday() not in WEEKEND and day not in closed:
            count += 1
        day += dt.timedelta(days=1)
    return count


# --- Writing the calendar -----------------------------------------------------------


@dataclass(frozen=True)
class SeedResult:
    created: int
    updated: int
    unchanged: int


@dataclass(frozen=True)
class _SeedRow:
    key: str
    date: dt.date
    kind: str
    names: dict[str, str]


def _rows_for_year(year: int) -> list[_SeedRow]:
    """The package's holidays for one year, with the names in each language it has."""
    by_language = {
        language: holidays_package.Morocco(
            years=year, language=package_language, islamic_show_estimated=False
        )
        for language, package_language in PACKAGE_LANGUAGES.items()
    }
    english = by_language["en"]
    rows: list[_SeedRow] = []
    occurrences: dict[str, int] = {}
    for date in sorted(english.keys()):
        for index, english_name in enumerate(english.get_list(date)):
            slug = slugify(english_name)
            occurrences[slug] = occurrences.get(slug, 0) + 1
            names = {
                language: calendar.get_list(date)[index]
                for language, calendar in by_language.items()
            }
            kind = Holiday.Kind.ISLAMIC if english_name in ISLAMIC_HOLIDAYS else Holiday.Kind.FIXED
            rows.append(
                _SeedRow(
                    key=f"{year}-{slug}-{occurrences[slug]}", date=date, kind=kind, names=names
                )
            )
    return rows


def holiday_seed(*, years: Iterable[int]) -> SeedResult:
    """Create or refresh the holidays of `years` from the `holidays` package; safe to run again.

    A date an admin moved or confirmed is kept. An unconfirmed Islamic holiday
    still on its old estimate follows the package's new estimate.
    """
    created = updated = unchanged = 0
    with transaction.atomic():
        for year in sorted(set(years)):
            existing = {
                holiday.key: holiday
                for holiday in Holiday.objects.filter(key__startswith=f"{year}-")
            }
            for row in _rows_for_year(year):
                name_fields = {f"name_{language}": name for language, name in row.names.items()}
                holiday = existing.get(row.key)
                if holiday is None:
                    holiday = Holiday(
                        key=row.key,
                        date=row.date,
                        estimated_date=row.date,
                        kind=row.kind,
                        is_confirmed=row.kind == Holiday.Kind.FIXED,
                        **name_fields,
                    )
                    holiday.full_clean()
                    holiday.save()
                    created += 1
                    continue
                changed = {
                    field: value
                    for field, value in name_fields.items()
                    if getattr(holiday, field) != value
                }
                follows_estimate = (
                    not holiday.is_confirmed and holiday.date == holiday.estimated_date
                )
                if follows_estimate and holiday.date != row.date:
                    changed.update(date=row.date, estimated_date=row.date)
                if not changed:
                    unchanged += 1
                    continue
                for field, value in changed.items():
                    setattr(holiday, field, value)
                holiday.full_clean()
                holiday.save(update_fields=[*changed, "updated_at"])
                updated += 1
    return SeedResult(created=created, updated=updated, unchanged=unchanged)


def holiday_confirm(*, actor: Actor, holidays: Iterable[Holiday]) -> int:
    """Mark holidays as officially announced on their current date; return how many changed."""
    from jamaati.audit.models import AuditEvent
    from jamaati.audit.services import audit_record

    count = 0
    with transaction.atomic():
        for holiday in holidays:
            if holiday.is_confirmed:
                continue
            holiday.is_confirmed = True
            holiday.save(update_fields=["is_confirmed", "updated_at"])
            audit_record(
                actor=actor,
                action=AuditEvent.Action.CONFIRM,
                target=holiday,
                changes={"date": holiday.date},
            )
            count += 1
    return count


def holiday_move(*, actor: Actor, holiday: Holiday, date: dt.date, confirm: bool = True) -> Holiday:
    """Move a holiday to its announced date (confirming it by default)."""
    from jamaati.audit.models import AuditEvent
    from jamaati.audit.services import audit_record

    with transaction.atomic():
        previous = holiday.date
        holiday.date = date
        holiday.is_confirmed = holiday.is_confirmed or confirm
        holiday.full_clean()
        holiday.save(update_fields=["date", "is_confirmed", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=holiday,
            changes={"date": [previous, date], "is_confirmed": holiday.is_confirmed},
        )
    return holiday
