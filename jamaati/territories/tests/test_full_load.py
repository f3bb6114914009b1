import pytest

from jamaati.territories import geo
from jamaati.territories.models import Kind, Level, Territory
from jamaati.territories.selectors import territory_lookup, territory_search
from jamaati.territories.services import territories_load


@pytest.mark.slow
def test_the_whole_country_loads_with_the_census_counts_and_resolves_reference_points(db):
    geo.index_invalidate()
    try:
        result = territories_load()
        geo.index_invalidate()
        counts = {level: Territory.objects.filter(level=level).count() for level in Level.values}
        assert counts == {
            Level.REGION: 12,
            Level.PROVINCE: 83,
            Level.CERCLE: 213,
            Level.COMMUNE: 1503,
            Level.ARRONDISSEMENT: 41,
        }
        assert result.changed == 1852
        assert Territory.objects.filter(kind=Kind.PREFECTURE_OF_ARRONDISSEMENTS).count() == 8
        assert not Territory.objects.filter(boundary_wkb__isnull=True).exists()
        assert (
            Territory.objects.filter(level=Level.ARRONDISSEMENT, district__isnull=False).count()
            == 16
        )

        for (lat, lon), region, province, commune, arrondissement in [
            ((34.0209, -6.8416), "Rabat-Salé-Kénitra", "Rabat", "Rabat", "Hassan"),
            ((31.6295, -7.9811), "Marrakech-Safi", "Marrakech", "Marrakech", "Marrakech-Médina"),
            ((35.5785, -5.3684), "Tanger-Tétouan-Al Hoceima", "Tétouan", "Tétouan", None),
            ((31.9314, -4.4244), "Drâa-Tafilalet", "Errachidia", "Errachidia", None),
        ]:
            found = territory_lookup(lat=lat, lon=lon)
            assert (found.region.name_fr, found.province.name_fr, found.commune.name_fr) == (
                region,
                province,
                commune,
            )
            assert (
                found.arrondissement.name_fr if found.arrondissement else None
            ) == arrondissement
        assert territory_lookup(lat=34.0, lon=-10.0) is None

        for query, name in [
            ("Meknes", "Meknès"),
            ("مكناس", "Meknès"),
            ("Tetouan", "Tétouan"),
            ("الرشيدية", "Errachidia"),
            ("ألرشيدية", "Errachidia"),
            ("Ain Sebaa", "Aïn-Sebaâ"),
        ]:
            assert territory_search(query=query)[0].name_fr == name, query
    finally:
        geo.index_invalidate()
