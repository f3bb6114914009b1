from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jamaati.territories import geo
from jamaati.territories.dataset import DATA_DIR, FIXTURE_DIR, FIXTURE_PROVINCES, fixture_write
from jamaati.territories.models import Territory


def _run(*args) -> str:
    out = StringIO()
    call_command("load_territories", *args, stdout=out)
    return out.getvalue()


def test_the_command_loads_the_fixture_then_writes_nothing_the_second_time(db):
    try:
        first = _run("--fixture", "-v", "0")
        assert "commune         created    98" in first
        count = Territory.objects.count()
        second = _run("--fixture", "-v", "0")
        assert "(0 rows written" in second
        assert Territory.objects.count() == count
    finally:
        geo.index_invalidate()


def test_the_command_refuses_a_directory_without_data(db, tmp_path):
    with pytest.raises(CommandError, match="No territories data"):
        _run("--data-dir", str(tmp_path))


@pytest.mark.slow
def test_the_committed_fixture_is_what_the_full_data_gives(tmp_path):
    fixture_write(source=DATA_DIR, target=tmp_path)
    for path in sorted(FIXTURE_DIR.rglob("*")):
        if path.is_file():
            relative = path.relative_to(FIXTURE_DIR)
            assert (tmp_path / relative).read_bytes() == path.read_bytes(), relative
    assert "04.421" in FIXTURE_PROVINCES
