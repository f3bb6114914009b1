import pytest

from jamaati.territories import geo
from jamaati.territories.dataset import FIXTURE_DIR, Dataset, dataset_read
from jamaati.territories.services import territories_load


@pytest.fixture(scope="session")
def fixture_dataset() -> Dataset:
    """The fixture files, read and joined once per test session (loading them is what we test)."""
    return dataset_read(FIXTURE_DIR)


@pytest.fixture
def territories(db, fixture_dataset):
    """The small fixture (Rabat, Sidi Kacem, Tétouan, Errachidia, Marrakech, part of Casablanca)."""
    geo.index_invalidate()
    result = territories_load(dataset=fixture_dataset)
    geo.index_invalidate()  # the load's own on_commit never runs inside a test transaction
    yield result
    geo.index_invalidate()
