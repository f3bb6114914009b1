"""manage.py import_programmes <file> --organisation <slug> --as <staff login> [--kind projects|transactions]"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from jamaati.accounts.models import User
from jamaati.core.actors import Actor
from jamaati.organisations.models import Organisation
from jamaati.programmes import importing


class Command(BaseCommand):
    help = (
        "Import projects or transactions of an organisation from a CSV or XLSX file. Every row "
        "is checked; if any is wrong, nothing is written and the report lists each problem. "
        "See jamaati/programmes/importing.py for the columns."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--organisation", required=True, help="Slug of the organisation.")
        parser.add_argument(
            "--as",
            required=True,
            dest="username",
            help="Login of the department head or admin doing the import (for the audit log).",
        )
        parser.add_argument(
            "--kind",
            choices=[importing.PROJECTS, importing.TRANSACTIONS],
            help="What the file holds (default: read from its first row).",
        )
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar.")

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("There is no file at %(path)s.") % {"path": path})
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(
                _("No organisation has the slug %(slug)s.") % {"slug": options["organisation"]}
            )
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(
                _("No active account has the login %(login)s.") % {"login": options["username"]}
            )
        bar = None if options["no_progress"] else tqdm(unit=" rows", file=self.stderr)

        def progress(done: int, total: int) -> None:
            if bar is not None:
                bar.total = total
                bar.n = done
                bar.refresh()

        try:
            report = importing.projects_import(
                organisation=organisation,
                file=path,
                actor=Actor(user=user),
                progress=progress,
                kind=options["kind"],
            )
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        except importing.ImportFileError as error:
            raise CommandError(str(error)) from None
        finally:
            if bar is not None:
                bar.close()
        if report.ok:
            self.stdout.write(
                _("%(count)d rows imported (%(kind)s).")
                % {"count": report.created, "kind": report.kind}
            )
            return
        for error in report.errors:
            self.stdout.write(
                _("Row %(row)d, column %(column)s: %(message)s")
                % {"row": error.row, "column": error.column or "—", "message": error.message}
            )
        raise CommandError(
            _("Nothing was imported: %(count)d problems to correct.")
            % {"count": len(report.errors)}
        )
