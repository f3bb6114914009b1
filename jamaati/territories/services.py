"""Writes to territories: loading and refreshing the HCP data."""

from dataclasses import dataclass, field
from pathlib import Path

import shapely
from django.db import transaction
from tqdm import tqdm

from jamaati.core.refcache import refcaches_bump_all
from jamaati.core.text import search_key
from jamaati.territories import geo
from jamaati.territories.dataset import (
    DATA_DIR,
    LEVEL_ORDER,
    Dataset,
    TerritoryRecord,
    dataset_read,
)
from jamaati.territories.models import Territory

# Columns the loader owns. Tifinagh and English names are entered by people and never touched.
_LOADED_FIELDS = (
    "level",
    "kind",
    "code_digits",
    "slug",
    "name_ar",
    "name_fr",
    "region_id",
    "province_id",
    "cercle_id",
    "commune_id",
    "district_id",
    "population_2024",
    "households_2024",
    "alt_names",
    "search_text",
    "centroid_lat",
    "centroid_lon",
    "bbox_min_lon",
    "bbox_min_lat",
    "bbox_max_lon",
    "bbox_max_lat",
    "boundary_wkb",
)
_UPDATE_FIELDS = tuple(name.removesuffix("_id") for name in _LOADED_FIELDS)


@dataclass
class LoadResult:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    dataset: Dataset | None = None

    @property
    def changed(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values())


def territory_search_text(*names: str) -> str:
    """Join the search keys of a territory's names as `|key|key|` for exact and prefix matching."""
    keys: list[str] = []
    for name in names:
        key = search_key(name or "")
        if key and key not in keys:
            keys.append(key)
    return "|" + "|".join(keys) + "|" if keys else ""


def _values(record: TerritoryRecord, existing: Territory | None, ids: dict[str, int]) -> dict:
    geometry = record.geometry
    if geometry is not None:
        centroid = geometry.centroid
        min_lon, min_lat, max_lon, max_lat = geometry.bounds
        spatial = {
            "centroid_lat": round(centroid.y, 6),
            "centroid_lon": round(centroid.x, 6),
            "bbox_min_lon": min_lon,
            "bbox_min_lat": min_lat,
            "bbox_max_lon": max_lon,
            "bbox_max_lat": max_lat,
            "boundary_wkb": shapely.to_wkb(geometry, output_dimension=2),
        }
    else:
        spatial = dict.fromkeys(
            (
                "centroid_lat",
                "centroid_lon",
                "bbox_min_lon",
                "bbox_min_lat",
                "bbox_max_lon",
                "bbox_max_lat",
                "boundary_wkb",
            )
        )
    people_names = (existing.name_en or "", existing.name_zgh or "") if existing else ("", "")
    return {
        "level": record.level,
        "kind": record.kind,
        "code_digits": record.code_digits,
        "slug": record.slug,
        "name_ar": record.name_ar,
        "name_fr": record.name_fr,
        "region_id": ids.get(record.region_code or ""),
        "province_id": ids.get(record.province_code or ""),
        "cercle_id": ids.get(record.cercle_code or ""),
        "commune_id": ids.get(record.commune_code or ""),
        "district_id": ids.get(record.district_code or ""),
        "population_2024": record.population_2024,
        "households_2024": record.households_2024,
        "alt_names": "\n".join(record.alt_names),
        "search_text": territory_search_text(
            record.name_fr, record.name_ar, *people_names, *record.alt_names
        ),
        **spatial,
    }


def _differs(territory: Territory, values: dict) -> bool:
    for name, value in values.items():
        current = getattr(territory, name)
        if isinstance(current, memoryview):  # PostgreSQL returns bytea as memoryview
            current = bytes(current)
        if current != value:
            return True
    return False


def territories_load(
    *, data_dir: Path = DATA_DIR, dataset: Dataset | None = None, progress: bool = False
) -> LoadResult:
    """Create or refresh every territory from the data files (or a dataset read from them)."""
    if dataset is None:
        dataset = dataset_read(data_dir)
    result = LoadResult(dataset=dataset)
    with transaction.atomic():
        existing = {t.code: t for t in Territory.objects.all()}
        ids = {code: t.pk for code, t in existing.items()}
        bar = tqdm(total=len(dataset.records), disable=not progress, unit="territory")
        # Parents before children, so that every ancestor has an id when it is referenced.
        for level in LEVEL_ORDER:
            bar.set_description(level)
            to_create: list[Territory] = []
            to_update: list[Territory] = []
            for record in dataset.by_level(level):
                territory = existing.get(record.code)
                values = _values(record, territory, ids)
                if territory is None:
                    to_create.append(Territory(code=record.code, **values))
                elif _differs(territory, values):
                    for name, value in values.items():
                        setattr(territory, name, value)
                    to_update.append(territory)
                bar.update()
            Territory.objects.bulk_create(to_create, batch_size=200)
            Territory.objects.bulk_update(to_update, _UPDATE_FIELDS, batch_size=100)
            if to_create:
                created = Territory.objects.filter(code__in=[t.code for t in to_create])
                ids.update(created.values_list("code", "pk"))
            result.created[level] = len(to_create)
            result.updated[level] = len(to_update)
            result.unchanged[level] = len(dataset.by_level(level)) - len(to_create) - len(to_update)
        bar.close()
        transaction.on_commit(geo.index_invalidate)
        if result.changed:
            # Names and areas cached by other apps (ADR 0007): bulk writes fire no signal.
            refcaches_bump_all()
    return result


def territory_update_names(*, territory: Territory, name_zgh: str, name_en: str) -> Territory:
    """Set the names people enter (Tifinagh, English) and refresh the search text and lookup index."""
    territory.name_zgh = name_zgh.strip() or None
    territory.name_en = name_en.strip() or None
    territory.full_clean(exclude=["boundary_wkb"])
    with transaction.atomic():
        territory.search_text = territory_search_text(
            territory.name_fr or "",
            territory.name_ar or "",
            territory.name_en or "",
            territory.name_zgh or "",
            *territory.alt_names.splitlines(),
        )
        territory.save(update_fields=["name_zgh", "name_en", "search_text"])
        transaction.on_commit(geo.index_invalidate)
    return territory
