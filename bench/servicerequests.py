"""Benchmark of service requests on PostgreSQL with a million rows (see bench/README.md).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/servicerequests.py
    ... bench/servicerequests.py --smoke          # 20,000 rows, 3-second load runs (CI)
    ... bench/servicerequests.py --rows 300000    # another size

One command, one run. It (re)creates its own database `jamaati_bench` beside the one
DATABASE_URL names (SQLite is refused), migrates it, loads the territories and the demo
organisations and categories, gives every other commune a council with the same
catalogue, then generates the requests with COPY (not the ORM): spread over Morocco's
communes and arrondissements weighted by their 2024 population, each point drawn inside
its polygon, statuses and dates spread over a year. Then it measures:

- intake through `POST /open311/v2/requests.json` under gunicorn (4 sync workers,
  DEBUG=0) at 16 and 64 connections, driven by wrk with a Lua script; beside it, the raw
  ceiling: the same kind of row inserted with psycopg, one INSERT per row in autocommit
  from one connection. Intake is measured at 100,000 rows and again at full size;
- `GET /open311/v2/requests.json` (status and a date window, a page of 100) and
  `GET /open311/v2/requests/{id}.json`, the same way;
- p50/p95 of the selectors behind the public map (bounding box and status), the staff
  queue and the per-commune statistics, called in process.

Everything runs on the loopback, bounded in time. The figures are printed as a table.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC as utc
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
BENCH_DB = "jamaati_bench"
BENCH_SECRET = "bench-only-secret-key-not-for-production-3f9a1c7e5b"
WORKERS = 4
TABLE = "servicerequests_servicerequest"
EVENTS = "servicerequests_servicerequestevent"


def database_urls() -> tuple[str, str]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "bench/servicerequests.py runs on PostgreSQL only (SQLite is refused): "
            "set DATABASE_URL=postgres://user@host:5432/dbname"
        )
    parts = urlsplit(url)
    return (
        urlunsplit(parts._replace(path="/postgres")),
        urlunsplit(parts._replace(path="/" + BENCH_DB)),
    )


ADMIN_URL, BENCH_URL = database_urls()
# The server's settings, production-like; this process uses the same ones.
SERVER_ENV = {
    "DATABASE_URL": BENCH_URL,
    "DEBUG": "0",
    "SECRET_KEY": BENCH_SECRET,
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "JAMAATI_DEMO": "0",
    "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    "SMS_BACKEND": "jamaati.core.sms.backends.locmem.SmsBackend",
    "CELERY_BROKER_URL": "",
    "LOG_LEVEL": "WARNING",
}


def recreate_database() -> None:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {BENCH_DB}")


os.environ.update(SERVER_ENV)
os.environ["DJANGO_SETTINGS_MODULE"] = "jamaati.settings"
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
import psycopg  # noqa: E402
import shapely  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from jamaati.accounts.models import User  # noqa: E402
from jamaati.apikeys.scopes import OPEN311  # noqa: E402
from jamaati.apikeys.services import apikey_issue  # noqa: E402
from jamaati.core.actors import Actor  # noqa: E402
from jamaati.core.refcodes import ALPHABET, CODE_LENGTH, _check_value, _format  # noqa: E402
from jamaati.organisations import demo as organisations_demo  # noqa: E402
from jamaati.organisations.models import (  # noqa: E402
    Competence,
    Organisation,
    OrganisationKind,
    Role,
)
from jamaati.organisations.services import council_slug, membership_create  # noqa: E402
from jamaati.servicerequests import demo_data, selectors  # noqa: E402
from jamaati.servicerequests.models import OPEN_STATUSES, Category, ServiceRequest  # noqa: E402
from jamaati.territories import geo  # noqa: E402
from jamaati.territories.models import Level, Territory  # noqa: E402
from jamaati.territories.selectors import territory_lookup  # noqa: E402
from jamaati.territories.services import territories_load  # noqa: E402

# Share of reports per category group, the order of the commune catalogue's groups.
GROUP_WEIGHTS = {
    "cleanliness": 0.30,
    "lighting": 0.20,
    "roads": 0.15,
    "green_spaces": 0.08,
    "water": 0.08,
    "transport": 0.05,
    "animals": 0.05,
    "noise": 0.04,
    "building": 0.03,
    "other": 0.02,
}
TARGETS = {  # issue 3, item 11
    "intake_rps_16": 340,
    "intake_p99_ms": 100,
    "intake_share_of_raw": 0.30,
    "list_rps": 300,
    "map_p95_ms": 50,
    "queue_p95_ms": 50,
    "stats_ms": 200,
}
NOW = datetime.now(tz=utc).replace(microsecond=0)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- The world: demo organisations, a council and a catalogue for every commune --------------


def build_world(tmp: Path) -> dict:
    log("migrating the bench database")
    call_command("migrate", verbosity=0)
    log("loading the territories")
    territories_load(progress=False)
    geo.index_invalidate()
    log("loading the demo organisations and categories (seed_demo, seed_servicerequests)")
    demo_env = {
        **os.environ,
        "DEBUG": "1",
        "JAMAATI_DEMO": "1",
        "JAMAATI_VAR_DIR": str(tmp),
        "SECRET_KEY": BENCH_SECRET,
    }
    for command in ("seed_demo", "seed_servicerequests"):
        subprocess.run(
            [str(VENV_BIN / "python"), "manage.py", command],
            cwd=ROOT,
            env=demo_env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    log("giving every other commune a council and the commune catalogue")
    kind = OrganisationKind.objects.get(slug="commune-council")
    template = list(Category.objects.filter(organisation__slug="tetouan").order_by("position"))
    communes = Territory.objects.filter(level=Level.COMMUNE)
    seated = set(Organisation.objects.exclude(seat=None).values_list("seat_id", flat=True))
    taken = set(Organisation.objects.values_list("slug", flat=True))
    new = []
    for commune in communes:
        if commune.pk in seated:
            continue
        slug = council_slug(commune)
        if slug in taken:
            slug = f"{slug}-{commune.code_digits}"
        taken.add(slug)
        new.append(
            Organisation(
                slug=slug,
                kind=kind,
                seat=commune,
                name=commune.name_ar or commune.name_fr,
                name_ar=f"جماعة {commune.name_ar}",
                name_fr=f"Commune de {commune.name_fr}",
                name_en=f"Commune of {commune.name_fr}",
            )
        )
    Organisation.objects.bulk_create(new, batch_size=500)
    created = list(Organisation.objects.filter(slug__in=[o.slug for o in new]))
    through = Organisation.territories.through
    through.objects.bulk_create(
        [through(organisation_id=o.pk, territory_id=o.seat_id) for o in created], batch_size=2000
    )
    categories = []
    for organisation in created:
        for spec in template:
            categories.append(
                Category(
                    organisation=organisation,
                    code=spec.code,
                    group=spec.group,
                    name=spec.name_ar,
                    name_ar=spec.name_ar,
                    name_fr=spec.name_fr,
                    name_en=spec.name_en,
                    domain_id=spec.domain_id,
                    target_acknowledge=spec.target_acknowledge,
                    target_resolve=spec.target_resolve,
                    allow_anonymous=spec.allow_anonymous,
                    position=spec.position,
                )
            )
    Category.objects.bulk_create(categories, batch_size=2000)
    admin = User.objects.get(username=organisations_demo.PLATFORM_ADMIN[0])
    tetouan = Organisation.objects.get(slug="tetouan")
    issued = apikey_issue(
        actor=Actor(user=admin), name="bench", scopes=[OPEN311], organisation=tetouan
    )
    casablanca = Territory.objects.get(level=Level.COMMUNE, slug="casablanca")
    casablanca_council = Organisation.objects.get(seat=casablanca)
    queue_user = User.objects.create_user(
        email="agent.bench@casablanca.example.ma", password=None, full_name="Bench Agent"
    )
    membership_create(
        actor=Actor(user=admin),
        organisation=casablanca_council,
        user=queue_user,
        role=Role.AGENT,
        department=None,
        territories=Territory.objects.none(),
    )
    analyze()
    log(f"{len(created)} councils and {len(categories)} categories added")
    return {"api_key": issued.raw_key, "casablanca": casablanca, "queue_user": queue_user}


# --- Generating the requests ------------------------------------------------------------------


BENCH_LEADS = "ZYXWVT"  # first symbol of generated codes; random codes may collide, negligibly
RAW_LEADS = "SRQPNM"


def reference(number: int, leads: str = BENCH_LEADS) -> str:
    """A valid tracking code for `number` (< 2**40), the same every run.

    Uses the code module's own check-symbol helpers. Six distinct leading symbols give six
    distinct check values modulo 37, so at least one of them is alphanumeric.
    """
    symbols, value = [], number
    for _ in range(CODE_LENGTH - 2):
        symbols.append(ALPHABET[value % 32])
        value //= 32
    body = "".join(reversed(symbols))
    for lead in leads:
        check = _check_value(lead + body)
        if check < len(ALPHABET):
            return _format(lead + body + ALPHABET[check])
    raise AssertionError("unreachable: six leads cannot all need a symbol check")


class Generator:
    """Draws requests: place weighted by population, point inside the polygon, a realistic life."""

    def __init__(self, seed: int = 311):
        self.rng = np.random.default_rng(seed)
        with_arrondissements = set(
            Territory.objects.filter(level=Level.ARRONDISSEMENT).values_list(
                "commune_id", flat=True
            )
        )
        places = [
            t
            for t in Territory.objects.filter(
                level__in=(Level.COMMUNE, Level.ARRONDISSEMENT), boundary_wkb__isnull=False
            ).only(
                "id",
                "level",
                "commune_id",
                "district_id",
                "province_id",
                "region_id",
                "population_2024",
                "boundary_wkb",
            )
            if not (t.level == Level.COMMUNE and t.pk in with_arrondissements)
        ]
        self.places = places
        self.polygons = [shapely.from_wkb(bytes(t.boundary_wkb)) for t in places]
        for polygon in self.polygons:
            shapely.prepare(polygon)
        weights = np.array([max(t.population_2024 or 0, 100) for t in places], dtype=float)
        self.weights = weights / weights.sum()
        self.commune_of = [
            t.commune_id if t.level == Level.ARRONDISSEMENT else t.pk for t in places
        ]
        councils = dict(Organisation.objects.exclude(seat=None).values_list("seat_id", "id"))
        self.categories: dict[int, list[Category]] = {}
        for category in Category.objects.filter(organisation_id__in=set(councils.values())):
            self.categories.setdefault(category.organisation_id, []).append(category)
        self.council_of = [councils[c] for c in self.commune_of]
        self.routes: dict[tuple[int, int], tuple[int, int | None]] = {}
        self.competences = {
            (c.domain_id, c.territory_id): (c.organisation_id, c.department_id)
            for c in Competence.objects.filter(organisation__is_active=True)
        }
        self.texts = [(r.description, r.language) for r in demo_data.REQUESTS]
        # Generated ids follow the demo's own reports.
        self.first_id = (
            ServiceRequest.objects.order_by("-id").values_list("id", flat=True).first() or 0
        ) + 1

    def _route(self, category: Category, place_index: int) -> tuple[int, int | None]:
        """The organisation and department handling it: `competence_for`'s rule, in memory."""
        key = (category.domain_id or 0, place_index)
        if key not in self.routes:
            route = (self.council_of[place_index], None)
            place = self.places[place_index]
            chain = (
                place.pk,
                place.district_id,
                place.commune_id,
                place.province_id,
                place.region_id,
            )
            for territory_id in chain:
                found = self.competences.get((category.domain_id, territory_id))
                if territory_id and found:
                    route = found
                    break
            self.routes[key] = route
        return self.routes[key]

    def _points(self, place_index: int, count: int) -> tuple[np.ndarray, np.ndarray]:
        polygon = self.polygons[place_index]
        min_lon, min_lat, max_lon, max_lat = polygon.bounds
        lats, lons = [], []
        while sum(len(x) for x in lats) < count:
            lon = self.rng.uniform(min_lon, max_lon, count * 2 + 8)
            lat = self.rng.uniform(min_lat, max_lat, count * 2 + 8)
            inside = shapely.contains_xy(polygon, lon, lat)
            lats.append(lat[inside])
            lons.append(lon[inside])
        return np.concatenate(lats)[:count], np.concatenate(lons)[:count]

    def rows(self, first_id: int, count: int):
        """Yield `count` (request row, event row) tuples, with ids from `first_id` on."""
        per_place = self.rng.multinomial(count, self.weights)
        order = self.rng.permutation(count)  # spread places over ids, as in real life
        place_of = np.repeat(np.arange(len(self.places)), per_place)[order]
        points: dict[int, tuple[np.ndarray, np.ndarray]] = {
            int(i): self._points(int(i), int(per_place[i])) for i in np.flatnonzero(per_place)
        }
        used = dict.fromkeys(points, 0)
        ages = self.rng.uniform(0, 365 * 86400, count)
        resolve_after = self.rng.lognormal(np.log(4 * 86400), 1.0, count)
        acknowledge_after = self.rng.exponential(86400, count)
        fate = self.rng.random(count)
        anonymous = self.rng.random(count) < 0.4
        text_index = self.rng.integers(0, len(self.texts), count)
        groups = list(GROUP_WEIGHTS)
        group_p = np.array(list(GROUP_WEIGHTS.values()))
        group_index = self.rng.choice(len(groups), count, p=group_p / group_p.sum())
        pick = self.rng.random(count)
        supporters = self.rng.poisson(0.3, count)
        for n in range(count):
            place = int(place_of[n])
            lat_array, lon_array = points[place]
            position = used[place]
            used[place] = position + 1
            council = self.council_of[place]
            in_group = [
                c for c in self.categories[council] if c.group == groups[group_index[n]]
            ] or self.categories[council]
            category = in_group[int(pick[n] * len(in_group))]
            organisation_id, department_id = self._route(category, place)
            created = NOW - timedelta(seconds=float(ages[n]))
            age = float(ages[n])
            acknowledged = resolved = closed = None
            rejection = ""
            if fate[n] < 0.08 and age > 86400:
                status = "rejected"
                acknowledged = created + timedelta(seconds=float(acknowledge_after[n]))
                rejection = "Hors de la compétence de la commune."
            elif float(resolve_after[n]) < age and fate[n] < 0.93:
                acknowledged = created + timedelta(
                    seconds=min(float(acknowledge_after[n]), float(resolve_after[n]) / 2)
                )
                resolved = created + timedelta(seconds=float(resolve_after[n]))
                status = "resolved"
                if (NOW - resolved).days > 30:
                    status, closed = "closed", resolved + timedelta(days=14)
            elif float(acknowledge_after[n]) < age:
                acknowledged = created + timedelta(seconds=float(acknowledge_after[n]))
                status = "in_progress" if fate[n] > 0.5 else "acknowledged"
            else:
                status = "new"
            description, language = self.texts[int(text_index[n])]
            request_id = first_id + n
            email = "" if anonymous[n] else f"citizen{request_id}@example.ma"
            updated = closed or resolved or acknowledged or created
            yield (
                (
                    request_id,
                    reference(request_id),
                    category.pk,
                    category.organisation_id,
                    organisation_id,
                    department_id,
                    self.places[place].pk,
                    self.commune_of[place],
                    description,
                    round(float(lat_array[position]), 6),
                    round(float(lon_array[position]), 6),
                    "",
                    "{}",
                    "",
                    status,
                    "web",
                    language,
                    bool(anonymous[n]),
                    "" if anonymous[n] else "Citoyen",
                    email,
                    "",
                    rejection,
                    int(supporters[n]),
                    created,
                    updated,
                    acknowledged,
                    resolved,
                    closed,
                    created + category.target_acknowledge,
                    created + category.target_resolve,
                    "bench",
                    "",
                ),
                (request_id, "created", "", "new", True, "", organisation_id, "{}", created),
            )


REQUEST_COLUMNS = (
    "id, reference, category_id, jurisdiction_id, organisation_id, department_id, territory_id, "
    "commune_id, description, latitude, longitude, address, answers, media_url, status, channel, "
    "language, is_anonymous, contact_name, contact_email, contact_phone, rejection_reason, "
    "supporters_count, created_at, updated_at, acknowledged_at, resolved_at, closed_at, "
    "due_acknowledge_at, due_resolve_at, source, external_id"
)
EVENT_COLUMNS = (
    "service_request_id, kind, from_status, to_status, is_public, body, organisation_id, "
    "data, created_at"
)


def copy_requests(generator: Generator, count: int) -> float:
    """COPY `count` generated requests (and their first history line); return rows/s."""
    began = time.perf_counter()
    with psycopg.connect(BENCH_URL) as pg, pg.cursor() as cursor:
        # Reserve the ids first: requests still queued in gunicorn may insert meanwhile.
        cursor.execute(f"SELECT nextval(pg_get_serial_sequence('{TABLE}', 'id'))")
        first_id = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{TABLE}', 'id'), %s)", [first_id + count]
        )
        pg.commit()
        events = []
        with cursor.copy(f"COPY {TABLE} ({REQUEST_COLUMNS}) FROM STDIN") as copy:
            for request_row, event_row in generator.rows(first_id, count):
                copy.write_row(request_row)
                events.append(event_row)
        with cursor.copy(f"COPY {EVENTS} ({EVENT_COLUMNS}) FROM STDIN") as copy:
            for event_row in events:
                copy.write_row(event_row)
        pg.commit()
    analyze()
    return count / (time.perf_counter() - began)


def analyze() -> None:
    """Vacuum and analyse every table, as autovacuum would in time after a bulk load.

    The vacuum sets the visibility map, without which PostgreSQL cannot answer from a
    covering index alone (the per-commune statistics read only `servicerequest_commune_stats`).
    """
    with psycopg.connect(BENCH_URL, autocommit=True) as pg:
        pg.execute("VACUUM ANALYZE")


# --- The raw ceiling ---------------------------------------------------------------------------


def raw_ceiling(seconds: float, points: list[tuple[float, float]]) -> dict:
    """Single-row INSERTs in autocommit from one connection: the same table, the same columns."""
    category = Category.objects.get(organisation__slug="tetouan", code="dirty-street")
    tetouan = Territory.objects.get(code="01.571.01.11")
    columns = REQUEST_COLUMNS.replace("id, reference", "reference", 1)
    placeholders = ", ".join(["%s"] * (columns.count(",") + 1))
    sql = f"INSERT INTO {TABLE} ({columns}) VALUES ({placeholders})"
    rng = np.random.default_rng(7)
    timings = []
    with psycopg.connect(BENCH_URL, autocommit=True) as pg, pg.cursor() as cursor:
        began = time.perf_counter()
        n = 0
        while time.perf_counter() - began < seconds:
            lat, lon = points[int(rng.integers(len(points)))]
            now = datetime.now(tz=utc)
            row = (
                reference(n, RAW_LEADS),
                category.pk,
                category.organisation_id,
                category.organisation_id,
                None,
                tetouan.pk,
                tetouan.pk,
                "Raw insert: la rue est sale devant le marché.",
                lat,
                lon,
                "",
                "{}",
                "",
                "new",
                "open311",
                "fr",
                True,
                "",
                "",
                "",
                "",
                0,
                now,
                now,
                None,
                None,
                None,
                now + category.target_acknowledge,
                now + category.target_resolve,
                "bench-raw",
                "",
            )
            t0 = time.perf_counter()
            cursor.execute(sql, row, prepare=True)
            timings.append(time.perf_counter() - t0)
            n += 1
        elapsed = time.perf_counter() - began
        cursor.execute(f"DELETE FROM {TABLE} WHERE source = 'bench-raw'")
    return {
        "rps": n / elapsed,
        "p50_ms": statistics.median(timings) * 1000,
        "p99_ms": float(np.percentile(timings, 99)) * 1000,
    }


# --- gunicorn and wrk ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, tmp: Path):
        self.port = free_port()
        self.log = tmp / "gunicorn.log"
        (tmp / "static").mkdir(exist_ok=True)  # whitenoise's STATIC_ROOT: JSON needs no files
        self.process = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "jamaati.wsgi",
                "--workers",
                str(WORKERS),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--error-logfile",
                str(self.log),
                "--log-level",
                "warning",
                "--backlog",
                "256",
            ],
            cwd=ROOT,
            env={**os.environ, **SERVER_ENV, "JAMAATI_VAR_DIR": str(tmp)},
        )
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.base}/open311/v2/discovery.json", timeout=5):
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        sys.exit(f"gunicorn did not answer within 60 s; see {self.log}")

    def settle(self, limit: float = 180) -> None:
        """Wait until requests still queued from the last run are served (wrk leaves some)."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            began = time.monotonic()
            with urllib.request.urlopen(f"{self.base}/open311/v2/discovery.json", timeout=limit):
                pass
            if time.monotonic() - began < 0.2:
                return

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


LUA_COMMON = r"""
local threads = {}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end
function init(args)
  ok = 0
  bad = 0
  math.randomseed(os.time() * 100 + id)
end
function response(status, headers, body)
  if status >= 200 and status < 300 then
    ok = ok + 1
  else
    bad = bad + 1
    if bad <= 2 then io.stderr:write("HTTP " .. status .. " " .. string.sub(body, 1, 300) .. "\n") end
  end
end
function done(summary, latency, requests)
  local good, wrong = 0, 0
  for _, t in ipairs(threads) do
    good = good + t:get("ok")
    wrong = wrong + t:get("bad")
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "ok": %d, "bad": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, good, wrong, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), e.connect + e.read + e.write + e.timeout))
end
local function encode(s)
  return (string.gsub(s, "[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
"""


def lua_list(values) -> str:
    return "{" + ", ".join(json.dumps(v, ensure_ascii=False) for v in values) + "}"


def lua_post(api_key: str, points, texts) -> str:
    lua_points = "{" + ", ".join(f"{{{lat}, {lon}}}" for lat, lon in points) + "}"
    return (
        LUA_COMMON
        + f"""
local points = {lua_points}
local texts = {lua_list(texts)}
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
request = function()
  local p = points[math.random(#points)]
  local body = "api_key={api_key}&jurisdiction_id=tetouan&service_code=dirty-street"
    .. "&lat=" .. p[1] .. "&long=" .. p[2]
    .. "&description=" .. encode(texts[math.random(#texts)])
  if math.random() < 0.5 then
    body = body .. "&email=" .. encode("bench" .. math.random(1000000) .. "@example.ma")
  end
  return wrk.format(nil, "/open311/v2/requests.json", nil, body)
end
"""
    )


def lua_get(paths) -> str:
    return (
        LUA_COMMON
        + f"""
local paths = {lua_list(paths)}
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
"""
    )


def wrk(server: Server, script: str, *, connections: int, seconds: int, tmp: Path) -> dict:
    path = tmp / f"bench-{time.monotonic_ns()}.lua"
    path.write_text(script, encoding="utf-8")
    completed = subprocess.run(
        [
            shutil.which("wrk") or "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(path),
            server.base,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    server.settle()
    line = next(x for x in completed.stdout.splitlines() if x.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    seconds_run = result["duration_us"] / 1e6
    result["rps"] = result["ok"] / seconds_run
    result["p50_ms"] = result["p50_us"] / 1000
    result["p99_ms"] = result["p99_us"] / 1000
    result["stderr"] = completed.stderr.strip()[:600]
    return result


# --- Selectors in process -------------------------------------------------------------------------


def timed(function, repeats: int) -> dict:
    timings = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        function()
        timings.append((time.perf_counter() - t0) * 1000)
    return {
        "p50_ms": statistics.median(timings),
        "p95_ms": float(np.percentile(timings, 95)),
        "n": repeats,
    }


def measure_selectors(world: dict, repeats: int) -> dict:
    rng = np.random.default_rng(5)
    sample = list(
        ServiceRequest.objects.order_by("?").values_list("latitude", "longitude", "commune_id")[
            :repeats
        ]
    )
    sizes = []

    def one_map(state={"i": 0}):  # noqa: B006 - a counter across calls
        lat, lon, _commune = sample[state["i"] % len(sample)]
        state["i"] += 1
        # A phone's map view in a town: about 4 km by 3 km.
        rows = list(
            selectors.public_map_requests(
                south=lat - 0.015,
                north=lat + 0.015,
                west=lon - 0.02,
                east=lon + 0.02,
                statuses=list(OPEN_STATUSES),
            )
        )
        sizes.append(len(rows))

    results = {"map": timed(one_map, repeats)}
    results["map"]["rows"] = statistics.mean(sizes)
    user = world["queue_user"]
    results["queue"] = timed(
        lambda: list(selectors.staff_queue(user=user, statuses=list(OPEN_STATUSES))[:50]), repeats
    )
    results["queue_count"] = timed(
        lambda: selectors.staff_queue(user=user, statuses=list(OPEN_STATUSES)).count(), repeats
    )
    communes = [c for _lat, _lon, c in sample]
    territories = Territory.objects.in_bulk(communes)
    statistics_selector = getattr(selectors, "commune_statistics", None)
    if statistics_selector is not None:
        results["stats_label"] = "selectors.commune_statistics"

        def one_stats(state={"i": 0}):  # noqa: B006
            commune = territories[communes[state["i"] % len(communes)]]
            state["i"] += 1
            statistics_selector(commune=commune)

        biggest = world["casablanca"]

        def biggest_stats():
            statistics_selector(commune=biggest)

    else:
        results["stats_label"] = "aggregate SQL (no statistics selector yet)"

        def aggregate(commune_id):
            with connection.cursor() as cursor:
                cursor.execute(
                    f"""SELECT status, count(*),
                    percentile_cont(0.5) WITHIN GROUP (ORDER BY resolved_at - created_at)
                    FROM {TABLE} WHERE commune_id = %s GROUP BY status""",
                    [commune_id],
                )
                cursor.fetchall()

        def one_stats(state={"i": 0}):  # noqa: B006
            aggregate(communes[state["i"] % len(communes)])
            state["i"] += 1

        def biggest_stats():
            aggregate(world["casablanca"].pk)

    stats_repeats = max(5, repeats // 4)
    results["stats"] = timed(one_stats, stats_repeats)
    results["stats_biggest"] = timed(biggest_stats, max(3, repeats // 20))
    del rng
    return results


# --- The run ----------------------------------------------------------------------------------------


def tetouan_points(count: int) -> list[tuple[float, float]]:
    tetouan = Territory.objects.get(code="01.571.01.11")
    polygon = shapely.from_wkb(bytes(tetouan.boundary_wkb))
    rng = np.random.default_rng(11)
    min_lon, min_lat, max_lon, max_lat = polygon.bounds
    points = []
    while len(points) < count:
        lat, lon = rng.uniform(min_lat, max_lat), rng.uniform(min_lon, max_lon)
        if shapely.contains_xy(polygon, lon, lat):
            found = territory_lookup(lat=lat, lon=lon)
            if found is not None and found.commune.pk == tetouan.pk:
                points.append((round(lat, 6), round(lon, 6)))
    return points


def intake(server, world, points, texts, *, connections, seconds, tmp) -> dict:
    script = lua_post(world["api_key"], points, texts)
    return wrk(server, script, connections=connections, seconds=seconds, tmp=tmp)


def read_paths(size: int) -> tuple[list[str], list[str]]:
    tetouan_categories = list(
        Category.objects.filter(organisation__slug="tetouan").values_list("pk", flat=True)
    )
    references = list(
        ServiceRequest.objects.filter(category_id__in=tetouan_categories, source="bench")
        .order_by("?")
        .values_list("reference", flat=True)[: min(2000, size)]
    )
    lists = []
    for days_back in range(0, 360, 15):
        end = NOW - timedelta(days=days_back)
        start = end - timedelta(days=90)
        for status in ("open", "closed"):
            lists.append(
                "/open311/v2/requests.json?jurisdiction_id=tetouan&page_size=100"
                f"&status={status}&start_date={start:%Y-%m-%dT%H:%M:%SZ}"
                f"&end_date={end:%Y-%m-%dT%H:%M:%SZ}"
            )
    details = [f"/open311/v2/requests/{r}.json?jurisdiction_id=tetouan" for r in references]
    return lists, details


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--smoke", action="store_true", help="20,000 rows, 3-second load runs")
    parser.add_argument("--seconds", type=int, default=20, help="length of each wrk run")
    parser.add_argument("--repeats", type=int, default=200, help="calls per selector")
    args = parser.parse_args()
    if args.smoke:
        args.rows, args.seconds, args.repeats = 20_000, 3, 20
    first = min(100_000, args.rows // 2)
    began = time.monotonic()
    load_start = os.getloadavg()
    tmp = Path(tempfile.mkdtemp(prefix="jamaati-bench-"))
    log(f"recreating the database {BENCH_DB}")
    recreate_database()
    world = build_world(tmp)
    generator = Generator()
    points = tetouan_points(500)
    texts = [d for d, _lang in generator.texts]
    log(f"generating {first:,} requests with COPY")
    copy_rate = copy_requests(generator, first)
    log(f"COPY: {copy_rate:,.0f} rows/s")
    results: dict = {
        "load_start": load_start,
        "rows_first": first,
        "rows": args.rows,
        "copy_rps": copy_rate,
    }
    server = Server(tmp)
    try:
        log("warming up the workers")
        intake(server, world, points, texts, connections=4, seconds=5, tmp=tmp)
        log(f"intake at {first:,} rows, 16 connections")
        results["intake_first_16"] = intake(
            server, world, points, texts, connections=16, seconds=args.seconds, tmp=tmp
        )
        results["raw_first"] = raw_ceiling(min(args.seconds, 10), points)
        log(f"generating {args.rows - first:,} more requests with COPY")
        copy_rate = copy_requests(generator, args.rows - first)
        results["copy_rps"] = (results["copy_rps"] + copy_rate) / 2
        log(f"COPY: {copy_rate:,.0f} rows/s")
        intake(server, world, points, texts, connections=4, seconds=5, tmp=tmp)
        for connections in (16, 64):
            log(f"intake at {args.rows:,} rows, {connections} connections")
            results[f"intake_{connections}"] = intake(
                server,
                world,
                points,
                texts,
                connections=connections,
                seconds=args.seconds,
                tmp=tmp,
            )
        log("raw ceiling: one INSERT per row, autocommit, one connection")
        results["raw"] = raw_ceiling(min(args.seconds, 10), points)
        lists, details = read_paths(args.rows)
        for name, paths in (("list", lists), ("detail", details)):
            wrk(server, lua_get(paths), connections=4, seconds=5, tmp=tmp)
            for connections in (16, 64):
                log(f"{name} at {connections} connections")
                results[f"{name}_{connections}"] = wrk(
                    server, lua_get(paths), connections=connections, seconds=args.seconds, tmp=tmp
                )
    finally:
        server.stop()
    log("selectors, in process")
    results["selectors"] = measure_selectors(world, args.repeats)
    results["total_rows"] = ServiceRequest.objects.count()
    results["elapsed_s"] = time.monotonic() - began
    results["load_average"] = os.getloadavg()
    (tmp / "results.json").write_text(json.dumps(results, default=str, indent=1))
    log(f"raw results in {tmp / 'results.json'}")
    report(results, args)
    failures = [
        k
        for k, v in results.items()
        if isinstance(v, dict) and "ok" in v and (v["ok"] == 0 or v["bad"] > v["ok"] * 0.01)
    ]
    if failures:
        print(f"ERROR: failed or erroring runs: {', '.join(failures)}", file=sys.stderr)
        for name in failures:
            print(f"  {name}: {results[name]['stderr']}", file=sys.stderr)
        return 1
    return 0


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "n/a"


def report(results: dict, args) -> None:
    raw = results["raw"]["rps"]
    sel = results["selectors"]

    def http(name: str) -> str:
        r = results[name]
        errors = (
            f"  ({r['bad']} non-2xx, {r['socket_errors']} socket errors)"
            if (r["bad"] or r["socket_errors"])
            else ""
        )
        return (
            f"{r['rps']:8.1f} req/s   p50 {r['p50_ms']:7.1f} ms   p99 {r['p99_ms']:7.1f} ms{errors}"
        )

    first = results["intake_first_16"]["rps"]
    full = results["intake_16"]["rps"]
    lines = [
        "",
        f"Service requests benchmark: {results['total_rows']:,} requests in {BENCH_DB} "
        f"(PostgreSQL), gunicorn {WORKERS} sync workers, wrk 2 threads, {args.seconds} s per run, "
        f"{os.cpu_count()} CPUs",
        "",
        f"{'measure':<46} result",
        f"{'-' * 46} {'-' * 60}",
        f"{'COPY generation':<46} {results['copy_rps']:10,.0f} rows/s",
        f"{'raw INSERT, 1 connection, at ' + format(results['rows_first'], ',') + ' rows':<46} "
        f"{results['raw_first']['rps']:8.1f} rows/s  p50 {results['raw_first']['p50_ms']:.2f} ms",
        f"{'raw INSERT, 1 connection, at ' + format(results['rows'], ',') + ' rows':<46} "
        f"{raw:8.1f} rows/s  p50 {results['raw']['p50_ms']:.2f} ms",
        f"{'POST requests.json, 16 conn, ' + format(results['rows_first'], ',') + ' rows':<46} "
        + http("intake_first_16"),
        f"{'POST requests.json, 16 conn, ' + format(results['rows'], ',') + ' rows':<46} "
        + http("intake_16"),
        f"{'POST requests.json, 64 conn, ' + format(results['rows'], ',') + ' rows':<46} "
        + http("intake_64"),
        f"{'GET requests.json (status+dates, 100), 16 conn':<46} " + http("list_16"),
        f"{'GET requests.json (status+dates, 100), 64 conn':<46} " + http("list_64"),
        f"{'GET requests/{id}.json, 16 conn':<46} " + http("detail_16"),
        f"{'GET requests/{id}.json, 64 conn':<46} " + http("detail_64"),
        f"{'public map (bbox ~4x3 km + open statuses)':<46} p50 {sel['map']['p50_ms']:7.1f} ms   "
        f"p95 {sel['map']['p95_ms']:7.1f} ms   ({sel['map']['rows']:.0f} rows on average)",
        f"{'staff queue, first 50 (Casablanca agent)':<46} p50 {sel['queue']['p50_ms']:7.1f} ms   "
        f"p95 {sel['queue']['p95_ms']:7.1f} ms",
        f"{'staff queue, count (Casablanca agent)':<46} p50 {sel['queue_count']['p50_ms']:7.1f} ms   "
        f"p95 {sel['queue_count']['p95_ms']:7.1f} ms",
        f"{'per-commune statistics, random communes':<46} p50 {sel['stats']['p50_ms']:7.1f} ms   "
        f"p95 {sel['stats']['p95_ms']:7.1f} ms   [{sel['stats_label']}]",
        f"{'per-commune statistics, Casablanca':<46} p50 {sel['stats_biggest']['p50_ms']:7.1f} ms   "
        f"p95 {sel['stats_biggest']['p95_ms']:7.1f} ms",
        "",
        "Ratios and targets (issue 3, item 11):",
        f"  intake 16 conn / raw single-connection ceiling: {ratio(full, raw)} "
        f"(target >= {TARGETS['intake_share_of_raw']:.2f})",
        f"  intake 16 conn: {full:.0f} req/s (target >= {TARGETS['intake_rps_16']}), "
        f"p99 {results['intake_16']['p99_ms']:.0f} ms (target < {TARGETS['intake_p99_ms']})",
        f"  intake at {results['rows']:,} / at {results['rows_first']:,} rows: {ratio(full, first)} "
        "(1.00 = cost independent of table size)",
        f"  list 16 conn: {results['list_16']['rps']:.0f} req/s (target >= {TARGETS['list_rps']})",
        f"  map p95 {sel['map']['p95_ms']:.1f} ms, queue p95 {sel['queue']['p95_ms']:.1f} ms "
        f"(target < 50); statistics p95 {sel['stats']['p95_ms']:.0f} ms, Casablanca "
        f"{sel['stats_biggest']['p50_ms']:.0f} ms (target < {TARGETS['stats_ms']})",
        f"  peer (Helsinki Open311, 100k rows, 16 conn): POST 34/s, list 28/s, detail 312/s -> "
        f"ours x{full / 34:.1f}, x{results['list_16']['rps'] / 28:.1f}, "
        f"x{results['detail_16']['rps'] / 312:.1f}",
        f"  run time {results['elapsed_s'] / 60:.1f} min; load average at the start "
        f"{results['load_start'][0]:.1f}, at the end {results['load_average'][0]:.1f} "
        "(other jobs share the machine when above the CPU count)",
    ]
    print("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
