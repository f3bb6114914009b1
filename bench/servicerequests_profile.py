"""Where the time of one Open311 call goes: CPU per request and SQL statements, in process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jamaati_bench \
        .venv/bin/python bench/servicerequests_profile.py [--profile post|list|detail]

Run it against the database that `bench/servicerequests.py` leaves behind (`--smoke` is
enough). It calls POST requests.json, GET requests.json (status and 90-day window, a page of
100) and GET requests/{id}.json through Django's test client with production settings
(DEBUG=0, no broker: notifications rendered in process, as the benchmark's server does), and
prints the median CPU time per call in this process, the median wall time, and the SQL
statements of one call. CPU time is what caps throughput on a 2-core machine, and it is far
less noisy than wall time when the machine is shared. `--profile` prints a cProfile of 50
calls of one kind.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.update(
    {
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-not-for-production-3f9a1c7e5b",
        "ALLOWED_HOSTS": "testserver,127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "JAMAATI_DEMO": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "SMS_BACKEND": "jamaati.core.sms.backends.locmem.SmsBackend",
        "CELERY_BROKER_URL": "",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "jamaati.settings",
    }
)
if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
    sys.exit("Set DATABASE_URL to the PostgreSQL database bench/servicerequests.py built.")
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from jamaati.accounts.models import User  # noqa: E402
from jamaati.apikeys.scopes import OPEN311  # noqa: E402
from jamaati.apikeys.services import apikey_issue  # noqa: E402
from jamaati.core.actors import Actor  # noqa: E402
from jamaati.organisations import demo as organisations_demo  # noqa: E402
from jamaati.organisations.models import Organisation  # noqa: E402
from jamaati.servicerequests.models import Category, ServiceRequest  # noqa: E402

# Points inside the commune of Tetouan (its arrondissement-free urban area).
POINTS = [(35.5785, -5.3684), (35.5712, -5.3721), (35.5850, -5.3620), (35.5689, -5.3590)]


def partner_key() -> str:
    admin = User.objects.get(username=organisations_demo.PLATFORM_ADMIN[0])
    tetouan = Organisation.objects.get(slug="tetouan")
    return apikey_issue(
        actor=Actor(user=admin), name="profile", scopes=[OPEN311], organisation=tetouan
    ).raw_key


def calls(api_key: str) -> dict:
    client = Client()
    now = datetime.now(tz=UTC)
    tetouan = list(
        Category.objects.filter(organisation__slug="tetouan").values_list("pk", flat=True)
    )
    references = list(
        ServiceRequest.objects.filter(category_id__in=tetouan)
        .order_by("?")
        .values_list("reference", flat=True)[:200]
    )
    counter = {"i": 0}

    def post():
        counter["i"] += 1
        lat, lon = POINTS[counter["i"] % len(POINTS)]
        data = {
            "api_key": api_key,
            "jurisdiction_id": "tetouan",
            "service_code": "dirty-street",
            "lat": lat,
            "long": lon,
            "description": "أزبال متراكمة قرب المدرسة منذ أسبوع",
        }
        if counter["i"] % 2:
            data["email"] = f"profile{counter['i']}@example.ma"
        return client.post("/open311/v2/requests.json", data)

    def listing():
        counter["i"] += 1
        end = now - timedelta(days=15 * (counter["i"] % 24))
        start = end - timedelta(days=90)
        status = ("open", "closed")[counter["i"] % 2]
        return client.get(
            "/open311/v2/requests.json",
            {
                "jurisdiction_id": "tetouan",
                "page_size": 100,
                "status": status,
                "start_date": f"{start:%Y-%m-%dT%H:%M:%SZ}",
                "end_date": f"{end:%Y-%m-%dT%H:%M:%SZ}",
            },
        )

    def detail():
        counter["i"] += 1
        reference = references[counter["i"] % len(references)]
        return client.get(f"/open311/v2/requests/{reference}.json", {"jurisdiction_id": "tetouan"})

    return {"post": post, "list": listing, "detail": detail}


def measure(call, repeats: int) -> dict:
    for _ in range(5):
        assert call().status_code < 300
    cpu, wall = [], []
    for _ in range(repeats):
        c0, w0 = time.process_time(), time.perf_counter()
        response = call()
        cpu.append((time.process_time() - c0) * 1000)
        wall.append((time.perf_counter() - w0) * 1000)
        assert response.status_code < 300, response.content[:300]
    with CaptureQueriesContext(connection) as queries:
        call()
    return {
        "cpu_ms": statistics.median(cpu),
        "wall_ms": statistics.median(wall),
        "queries": [q["sql"] for q in queries.captured_queries],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=100)
    parser.add_argument("--profile", choices=["post", "list", "detail"])
    parser.add_argument("--sql", action="store_true", help="print the SQL of one call")
    args = parser.parse_args()
    functions = calls(partner_key())
    if args.profile:
        call = functions[args.profile]
        for _ in range(5):
            call()
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(50):
            call()
        profiler.disable()
        pstats.Stats(profiler).sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(
            int(os.environ.get("PROFILE_LINES", "40"))
        )
        return 0
    print(f"{'call':8} {'CPU ms (median)':>16} {'wall ms (median)':>17} {'SQL':>4}")
    for name, call in functions.items():
        result = measure(call, args.repeats)
        print(
            f"{name:8} {result['cpu_ms']:16.2f} {result['wall_ms']:17.2f} {len(result['queries']):4d}"
        )
        if args.sql:
            for sql in result["queries"]:
                print("    ", sql[:160])
    return 0


if __name__ == "__main__":
    sys.exit(main())
