"""The zoning lookup: the zones a parcel or a point touches, their share and their rules."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jamaati.procedures.models import Zone, ZoningPlan
from jamaati.procedures.zoning import zoning_for_geometry, zoning_geojson


def box(west, south, east, north):
    return {
        "type": "Polygon",
        "coordinates": [
            [[west, south], [east, south], [east, north], [west, north], [west, south]]
        ],
    }


@pytest.fixture
def plan(world):
    plan = ZoningPlan.objects.create(
        organisation=world.organisation, slug="plan", name="Plan", name_fr="Plan"
    )
    Zone.objects.create(
        plan=plan,
        code="A",
        name="A",
        geometry=box(-5.40, 35.50, -5.39, 35.51),
        allowed_uses=["housing"],
        max_height_m=Decimal("11.50"),
        plot_ratio=Decimal("2.00"),
    )
    Zone.objects.create(
        plan=plan,
        code="B",
        name="B",
        geometry=box(-5.39, 35.50, -5.38, 35.51),
        allowed_uses=["green"],
    )
    return plan


def test_a_parcel_inside_one_zone_gets_its_rules_and_buildable_area(plan):
    [match] = zoning_for_geometry(box(-5.3990, 35.5010, -5.3980, 35.5020))
    assert match.zone.code == "A" and match.share == pytest.approx(1.0)
    # 0.001° of latitude is 111.3 m; 0.001° of longitude at 35.5° N is 111.3 × cos(35.5°) = 90.6 m.
    assert match.area_m2 == pytest.approx(111.32 * 90.62, rel=0.01)
    assert match.max_buildable_floor_area_m2 == (
        Decimal("2.00") * Decimal(str(round(match.area_m2, 2)))
    ).quantize(Decimal("1"))


def test_a_parcel_across_two_zones_gets_both_largest_share_first(plan):
    matches = zoning_for_geometry(box(-5.3905, 35.5010, -5.3885, 35.5020))
    assert [m.zone.code for m in matches] == ["B", "A"]
    assert matches[0].share == pytest.approx(0.75) and matches[1].share == pytest.approx(0.25)
    assert matches[0].max_buildable_floor_area_m2 is None


def test_a_point_gets_its_zone_and_outside_the_plan_nothing(plan):
    assert [m.zone.code for m in zoning_for_geometry({"lat": 35.505, "lon": -5.395})] == ["A"]
    assert zoning_for_geometry({"lat": 35.6, "lon": -5.3}) == []


def test_a_plan_no_longer_in_force_is_ignored(plan):
    plan.is_active = False
    plan.save()
    assert zoning_for_geometry({"lat": 35.505, "lon": -5.395}) == []


def test_the_layer_is_a_feature_collection(plan):
    layer = zoning_geojson(plan=plan, language="fr")
    assert [f["properties"]["code"] for f in layer["features"]] == ["A", "B"]
    assert layer["features"][0]["properties"]["max_height_m"] == "11.50"


def test_an_urbanism_note_reads_the_zones_of_the_applications_parcel(plan, procedures, citizen):
    from jamaati.procedures.tests.helpers import submitted
    from jamaati.procedures.zoning import urbanism_note_zones

    application = submitted(
        procedures, citizen, has_parcel="yes", parcel=box(-5.3990, 35.5010, -5.3980, 35.5020)
    )
    assert [m.zone.code for m in urbanism_note_zones(application=application)] == ["A"]
    without = submitted(procedures, citizen)
    assert urbanism_note_zones(application=without) == []
