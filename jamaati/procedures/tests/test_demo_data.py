"""The demo's e-services: seeded through the services once, then nothing on a second run; the
zones lie in Tétouan and the urbanism note's parcel is read from the zoning layer."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from shapely.geometry import shape

from jamaati.audit.models import AuditEvent
from jamaati.organisations import demo as organisations_demo
from jamaati.procedures import demo_data
from jamaati.procedures.models import (
    Application,
    ApplicationEvent,
    FormVersion,
    IssuedDocument,
    OpinionRequest,
    Procedure,
    RequiredDocument,
    Status,
    Zone,
)
from jamaati.procedures.zoning import zoning_for_geometry
from jamaati.territories.models import Territory

MODELS = (
    RequiredDocument,
    Procedure,
    FormVersion,
    Zone,
    Application,
    ApplicationEvent,
    OpinionRequest,
    IssuedDocument,
    AuditEvent,
)


@pytest.fixture
def demo_world(real_territories, settings, tmp_path, monkeypatch):
    settings.DEMO_MODE = True
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    present = set(Territory.objects.values_list("code", flat=True))
    monkeypatch.setattr(
        organisations_demo,
        "COMPETENCES",
        [row for row in organisations_demo.COMPETENCES if row[2] in present],
    )
    devnull = open("/dev/null", "w")  # noqa: SIM115
    call_command("seed_holidays", stdout=devnull)
    call_command("seed_demo", stdout=devnull)
    call_command("seed_procedures", stdout=devnull)


def _counts():
    return tuple(model.objects.count() for model in MODELS)


@pytest.mark.slow
@pytest.mark.django_db
def test_seeding_twice_writes_nothing_new(demo_world):
    first = _counts()
    assert Procedure.objects.filter(is_published=True).count() == len(demo_data.PROCEDURES)
    assert Application.objects.count() == len(demo_data.APPLICATIONS)
    call_command("seed_procedures", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _counts() == first


@pytest.mark.slow
@pytest.mark.django_db
def test_the_demo_applications_are_in_different_states(demo_world):
    statuses = set(Application.objects.values_list("status", flat=True))
    assert {
        Status.SUBMITTED,
        Status.IN_INSTRUCTION,
        Status.OPINIONS_REQUESTED,
        Status.COMPLETION_REQUESTED,
        Status.APPROVED,
        Status.REFUSED,
    } <= statuses
    counter = Application.objects.get(channel="counter")
    assert counter.consent_at is not None and counter.filed_by is not None
    permit = Application.objects.get(status=Status.OPINIONS_REQUESTED)
    verdicts = dict(permit.opinions.values_list("organisation__slug", "verdict"))
    assert verdicts == {"agence-urbaine-tetouan": "reserved", "protection-civile-tetouan": ""}
    assert Territory.objects.get(code=demo_data.COMMUNE_CODE) == permit.territory


@pytest.mark.slow
@pytest.mark.django_db
def test_the_demo_zones_lie_inside_tetouan_and_the_note_reads_them(demo_world):
    import shapely

    commune = Territory.objects.get(code=demo_data.COMMUNE_CODE)
    outline = shapely.from_wkb(bytes(commune.boundary_wkb))
    for zone in Zone.objects.all():
        assert outline.contains(shape(zone.geometry)), zone.code
    [match] = zoning_for_geometry(demo_data.DEMO_PARCEL)
    assert match.zone.code == "D3" and match.share == pytest.approx(1.0)
    across = zoning_for_geometry(demo_data.DEMO_PARCEL_ACROSS)
    assert [m.zone.code for m in across] == ["D1", "D3"]
    assert sum(m.share for m in across) == pytest.approx(1.0)
