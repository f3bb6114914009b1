import pytest

from jamaati.territories import geo
from jamaati.territories.dataset import FIXTURE_DIR
from jamaati.territories.services import territories_load


@pytest.fixture
def territories(db):
    """The small fixture (Rabat, Sidi Kacem, Tétouan, Errachidia, Marrakech, part of Casablanca)."""
    geo.index_invalidate()
    result = territories_load(data_dir=FIXTURE_DIR)
    geo.index_invalidate()  # the load's own on_commit never runs inside a test transaction
    yield result
    geo.index_invalidate()
