"""The settings refuse unsafe production configurations, and accept a correct one."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # Only what a shell would pass: nothing the test process itself set leaks into the check.
    clean = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    clean.update(env, DJANGO_SETTINGS_MODULE="jamaati.settings")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_refuses_to_start_with_the_default_secret_when_debug_is_off():
    result = _manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is the development default" in result.stderr


def test_it_refuses_demo_mode_outside_debug():
    result = _manage("check", DEBUG="0", SECRET_KEY="x" * 60, JAMAATI_DEMO="1")
    assert result.returncode != 0
    assert "JAMAATI_DEMO=1 is refused" in result.stderr


def test_it_refuses_a_malformed_boolean():
    result = _manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


@pytest.mark.parametrize("database_url", ["sqlite:////tmp/jamaati-deploy-check.sqlite3"])
def test_check_deploy_is_clean_under_production_settings(database_url):
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="k3y-" + "x7Q9" * 15,
        ALLOWED_HOSTS="jamaati.example.ma",
        DATABASE_URL=database_url,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout
