"""Load or refresh the HCP 2024 territories and their boundaries."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jamaati.territories.dataset import (
    DATA_DIR,
    FIXTURE_DIR,
    UNMATCHED_PATH,
    dataset_read,
    fixture_write,
    unmatched_report,
)
from jamaati.territories.services import territories_load


class Command(BaseCommand):
    help = (
        "Load the Moroccan territories (12 regions, 83 provinces and prefectures, 213 cercles, "
        "1,503 communes, 41 arrondissements) with their boundaries. Safe to run again: rows are "
        "matched by HCP code and only changed rows are written."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fixture",
            action="store_true",
            help="Load the small test fixture (a few provinces) instead of the whole country.",
        )
        parser.add_argument("--data-dir", type=Path, help="Read the data from this directory.")
        parser.add_argument(
            "--write-report",
            action="store_true",
            help=f"Write the boundary join report to {UNMATCHED_PATH.name} instead of loading.",
        )
        parser.add_argument(
            "--write-fixture",
            action="store_true",
            help="Regenerate the small test fixture from the full data instead of loading.",
        )

    def handle(
        self,
        *args,
        fixture=False,
        data_dir=None,
        write_report=False,
        write_fixture=False,
        **options,
    ):
        if write_fixture:
            fixture_write()
            self.stdout.write(f"Fixture written to {FIXTURE_DIR}")
            return
        if write_report:
            UNMATCHED_PATH.write_text(unmatched_report(dataset_read(DATA_DIR)), encoding="utf-8")
            self.stdout.write(f"Report written to {UNMATCHED_PATH}")
            return
        directory = data_dir or (FIXTURE_DIR if fixture else DATA_DIR)
        if not (directory / "communes.csv").exists():
            raise CommandError(f"No territories data in {directory}.")
        started = time.perf_counter()
        result = territories_load(data_dir=directory, progress=options["verbosity"] > 0)
        elapsed = time.perf_counter() - started
        for level in result.created:
            self.stdout.write(
                f"{level:15} created {result.created[level]:5}  updated {result.updated[level]:5}"
                f"  unchanged {result.unchanged[level]:5}"
            )
        unmatched = len(result.dataset.unmatched) if result.dataset else 0
        self.stdout.write(
            self.style.SUCCESS(
                f"Territories loaded in {elapsed:.1f} s ({result.changed} rows written, "
                f"{unmatched} boundary features unmatched: see {UNMATCHED_PATH.name})."
            )
        )
