"""Seed Morocco's public holidays for some years: `manage.py seed_holidays --years 2025 2026 2027`."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jamaati.core.workdays import holiday_seed

FIRST_YEAR, LAST_YEAR = 2000, 2100


class Command(BaseCommand):
    help = "Create or refresh the public holidays of the given years (default: this year and the next)."

    def add_arguments(self, parser):
        parser.add_argument("--years", nargs="+", type=int, metavar="YEAR")

    def handle(self, *args, years=None, **options):
        if not years:
            this_year = timezone.localdate().year
            years = [this_year, this_year + 1]
        wrong = [year for year in years if not FIRST_YEAR <= year <= LAST_YEAR]
        if wrong:
            raise CommandError(f"Years must be between {FIRST_YEAR} and {LAST_YEAR}: {wrong}")
        result = holiday_seed(years=years)
        self.stdout.write(
            self.style.SUCCESS(
                f"Holidays for {', '.join(map(str, sorted(set(years))))}: "
                f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged."
            )
        )
