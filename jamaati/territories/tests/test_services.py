import shapely

from jamaati.core.refcache import RefCache
from jamaati.territories import geo
from jamaati.territories.dataset import FIXTURE_DIR
from jamaati.territories.models import Kind, Level, Territory
from jamaati.territories.services import territories_load, territory_search_text


def _snapshot() -> dict[str, tuple]:
    return {
        t["code"]: tuple(bytes(v) if isinstance(v, memoryview) else v for v in t.values())
        for t in Territory.objects.values()
    }


def test_it_loads_the_fixture_with_every_level(territories):
    counts = {level: Territory.objects.filter(level=level).count() for level in Level.values}
    assert counts[Level.REGION] == 5
    assert counts[Level.PROVINCE] == 7
    assert counts[Level.ARRONDISSEMENT] == 15
    assert counts[Level.COMMUNE] == 98  # five whole provinces, plus Casablanca itself
    assert sum(territories.created.values()) == Territory.objects.count()


def test_a_second_load_changes_nothing_and_duplicates_nothing(territories):
    before = _snapshot()
    again = territories_load(data_dir=FIXTURE_DIR)
    assert again.changed == 0
    assert sum(again.unchanged.values()) == len(before)
    assert _snapshot() == before


def test_a_reload_repairs_a_changed_row_and_keeps_names_people_entered(territories):
    Territory.objects.filter(code="08.201.01.05").update(
        name_fr="Ksar Es-Souk", population_2024=1, name_zgh="ⵔⵔⴰⵛⵉⴷⵢⴰ"
    )
    result = territories_load(data_dir=FIXTURE_DIR)
    assert result.updated[Level.COMMUNE] == 1
    assert result.changed == 1
    errachidia = Territory.objects.get(code="08.201.01.05")
    assert errachidia.name_fr == "Errachidia"
    assert errachidia.population_2024 == 97687
    assert errachidia.name_zgh == "ⵔⵔⴰⵛⵉⴷⵢⴰ"  # entered by people: never overwritten
    assert "|ⵔⵔⴰⵛⵉⴷⵢⴰ|" in errachidia.search_text


def test_a_reload_that_changes_names_makes_every_process_forget_its_cached_names(
    territories, django_capture_on_commit_callbacks
):
    """Bulk writes fire no post_save: the loader itself marks the reference caches stale."""
    names = RefCache("test-territory-names")
    code = "08.201.01.05"

    def name() -> str:
        return names.get(code, lambda: Territory.objects.get(code=code).name_fr)

    Territory.objects.filter(code=code).update(name_fr="Ksar Es-Souk")
    assert name() == "Ksar Es-Souk"  # now cached in this process
    generation = names._generation()
    with django_capture_on_commit_callbacks(execute=True):
        result = territories_load(data_dir=FIXTURE_DIR)  # repairs the name with bulk_update
    assert result.changed == 1
    assert name() == "Errachidia"
    assert names._generation() != generation  # every other process reloads at its next read

    generation = names._generation()
    with django_capture_on_commit_callbacks(execute=True):
        assert territories_load(data_dir=FIXTURE_DIR).changed == 0
    assert names._generation() == generation  # nothing changed: nothing forgotten


def test_it_never_invents_a_tifinagh_name(territories):
    assert not Territory.objects.exclude(name_zgh__isnull=True).exclude(name_zgh="").exists()


def test_it_links_every_territory_to_its_ancestors(territories):
    hassan = Territory.objects.get(code="04.421.01.05")
    assert hassan.level == Level.ARRONDISSEMENT
    assert (hassan.region.code, hassan.province.code, hassan.commune.code) == (
        "04",
        "04.421",
        "04.421.01.0",
    )
    assert hassan.district is None
    rural = Territory.objects.filter(
        level=Level.COMMUNE, kind=Kind.RURAL, province__code="04.481"
    ).first()
    assert rural.cercle is not None
    assert rural.cercle.province_id == rural.province_id


def test_casablanca_arrondissements_belong_to_their_prefecture_of_arrondissements(territories):
    mers_sultan = Territory.objects.get(code="06.141.01.13")
    assert mers_sultan.commune.code == "06.141.01.0"
    assert mers_sultan.district.code == "06.141.01.10"
    assert mers_sultan.district.kind == Kind.PREFECTURE_OF_ARRONDISSEMENTS
    assert mers_sultan.province_id == mers_sultan.district_id
    casablanca = Territory.objects.get(code="06.141.01.0")
    assert casablanca.province is None
    assert casablanca.parent == casablanca.region


def test_a_prefecture_of_arrondissements_is_the_union_of_its_arrondissements(territories):
    prefecture = Territory.objects.get(code="06.141.01.10")
    arrondissements = Territory.objects.filter(district=prefecture)
    assert set(arrondissements.values_list("code", flat=True)) == {"06.141.01.11", "06.141.01.13"}
    union = shapely.union_all([shapely.from_wkb(bytes(a.boundary_wkb)) for a in arrondissements])
    shape = shapely.from_wkb(bytes(prefecture.boundary_wkb))
    assert abs(shape.area - union.area) < 1e-9
    assert prefecture.bbox_min_lon < prefecture.centroid_lon < prefecture.bbox_max_lon


def test_every_territory_has_a_valid_boundary_centroid_and_search_text(territories):
    for territory in Territory.objects.all():
        geometry = shapely.from_wkb(bytes(territory.boundary_wkb))
        assert geometry.is_valid and geometry.geom_type in ("Polygon", "MultiPolygon"), (
            territory.code
        )
        assert territory.bbox_min_lat <= territory.centroid_lat <= territory.bbox_max_lat
        assert territory.search_text.startswith("|")


def test_search_text_holds_folded_arabic_and_french_names():
    assert territory_search_text("Tétouan", "تِطْوَان", "", "Tétouan") == "|tetouan|تطوان|"
    assert territory_search_text("") == ""


def test_names_entered_by_people_are_searchable_and_survive_a_reload(
    territories, django_capture_on_commit_callbacks
):
    from jamaati.territories.selectors import territory_search
    from jamaati.territories.services import territory_update_names

    tetouan = Territory.objects.get(code="01.571.01.11")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        territory_update_names(territory=tetouan, name_zgh=" ⵜⵉⵟⵟⴰⵡⵉⵏ ", name_en="Tetouan")
    # The lookup index is refreshed after the commit (and the names cached by the service
    # requests catalogue are forgotten).
    assert geo.index_invalidate in callbacks
    tetouan.refresh_from_db()
    assert tetouan.name_zgh == "ⵜⵉⵟⵟⴰⵡⵉⵏ"
    assert territory_search(query="ⵜⵉⵟⵟⴰⵡⵉⵏ")[0].code == "01.571.01.11"
    territories_load(data_dir=FIXTURE_DIR)
    tetouan.refresh_from_db()
    assert tetouan.name_zgh == "ⵜⵉⵟⵟⴰⵡⵉⵏ"
    assert territory_search(query="ⵜⵉⵟⵟⴰⵡⵉⵏ")[0].code == "01.571.01.11"
