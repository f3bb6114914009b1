"""manage.py import_servicerequests <file> --format csv|open311 --organisation <slug> --source <name>"""

from __future__ import annotations

import sys
import zoneinfo
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.utils.translation import gettext as _
from tqdm import tqdm

from jamaati.organisations.selectors import organisation_get_public
from jamaati.servicerequests import importing


class Command(BaseCommand):
    help = (
        "Import service requests from a CSV file or an Open311 GeoReport v2 requests.json. "
        "Each row is imported in its own transaction and no notification is sent; importing "
        "the same file again adds no row (rows are matched by source and external id). "
        "CSV columns: external_id, category_code, description, lat, lon, address, created_at, "
        "status (and optionally closed_at); the names used by Open311 and MyLA311 exports are "
        "accepted too."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--format", choices=["csv", "open311"], required=True, dest="file_format"
        )
        parser.add_argument(
            "--organisation", required=True, help="Slug of the organisation importing the file."
        )
        parser.add_argument(
            "--source",
            required=True,
            help="Name of the system the file comes from; with the external id it identifies a row.",
        )
        parser.add_argument(
            "--category-map",
            type=Path,
            help="A CSV of two columns: the source's category, then our category code.",
        )
        parser.add_argument(
            "--default-category",
            default="",
            help="Our category code for rows whose category is neither ours nor in the map.",
        )
        parser.add_argument(
            "--outside",
            choices=[importing.OUTSIDE_REPORT, importing.OUTSIDE_ASSIGN],
            default=importing.OUTSIDE_REPORT,
            help="Points outside every territory: report them (default), or assign them to the "
            "organisation at its seat commune.",
        )
        parser.add_argument(
            "--date-format",
            help="strptime format of the dates, e.g. '%%m/%%d/%%y %%H:%%M' (default: ISO 8601).",
        )
        parser.add_argument(
            "--timezone",
            help="Zone of dates written without an offset (default: the site's TIME_ZONE).",
        )
        parser.add_argument(
            "--limit", type=int, help="Import only the first N rows (to try a large file)."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check every row and print the report, writing nothing.",
        )
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("There is no file at %(path)s.") % {"path": path})
        try:
            organisation = organisation_get_public(slug=options["organisation"])
        except Http404 as exc:
            raise CommandError(
                _("No organisation has the identifier %(slug)s.")
                % {"slug": options["organisation"]}
            ) from exc
        zone = None
        if options["timezone"]:
            try:
                zone = zoneinfo.ZoneInfo(options["timezone"])
            except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
                raise CommandError(
                    _("Unknown time zone: %(zone)s.") % {"zone": options["timezone"]}
                ) from exc
        file_format = options["file_format"]
        limit = options["limit"]
        try:
            category_map = (
                importing.read_category_map(options["category_map"])
                if options["category_map"]
                else {}
            )
            rows = (
                importing.read_csv(path) if file_format == "csv" else importing.read_open311(path)
            )
            if limit is not None:
                rows = (row for number, row in enumerate(rows) if number < limit)
            total = importing.count_rows(path, file_format)
            if limit is not None:
                total = min(total, limit) if total is not None else limit

            def progress(rows):
                return tqdm(
                    rows,
                    total=total,
                    unit=_("row"),
                    file=sys.stderr,
                    disable=options["no_progress"],
                )

            report = importing.servicerequests_import(
                rows=rows,
                organisation=organisation,
                source=options["source"],
                category_map=category_map,
                default_category=options["default_category"],
                outside=options["outside"],
                dry_run=options["dry_run"],
                date_format=options["date_format"],
                zone=zone,
                progress=progress,
            )
        except importing.ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        self._write_report(report, organisation=organisation, dry_run=options["dry_run"])

    def _write_report(self, report: importing.ImportReport, *, organisation, dry_run: bool) -> None:
        out = self.stdout
        if dry_run:
            out.write(self.style.WARNING(_("Dry run: nothing was written.")))
        out.write(_("Rows read: %(count)d") % {"count": report.total})
        out.write(
            self.style.SUCCESS(
                (_("Would be imported: %(count)d") if dry_run else _("Imported: %(count)d"))
                % {"count": report.imported}
            )
        )
        if report.assigned_outside:
            out.write(
                _("  of which outside every territory, assigned to %(organisation)s: %(count)d")
                % {"organisation": organisation.slug, "count": report.assigned_outside}
            )
        out.write(_("Skipped, already present: %(count)d") % {"count": report.skipped})
        out.write(
            _("Outside every territory, not imported: %(count)d") % {"count": len(report.outside)}
        )
        for problem in report.outside:
            out.write(self._problem(problem))
        out.write(_("Rejected: %(count)d") % {"count": len(report.rejected)})
        for problem in report.rejected:
            out.write(self.style.ERROR(self._problem(problem)))

    @staticmethod
    def _problem(problem: importing.RowProblem) -> str:
        return _("  line %(line)d (external id %(id)s): %(reason)s") % {
            "line": problem.line,
            "id": problem.external_id or "—",
            "reason": problem.reason,
        }
