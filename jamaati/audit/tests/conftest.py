import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture(autouse=True)
def _restore_default_language():
    """Requests to /fr/ pages leave French active in the thread: put the default back for the next test."""
    yield
    translation.activate(settings.LANGUAGE_CODE)
