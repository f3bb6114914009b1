import re

import pytest
from django.core.cache import cache

from jamaati.core import sms

CODE_RE = re.compile(r"(?<!\d)(\d{6})(?!\d)")


@pytest.fixture(autouse=True)
def _fresh_throttles_and_outbox():
    # Rate-limit counters live in the cache, SMS in a module list: both outlive a test.
    cache.clear()
    sms.outbox.clear()
    yield
    cache.clear()
    sms.outbox.clear()


@pytest.fixture
def sms_outbox():
    return sms.outbox


def code_in(text: str) -> str:
    match = CODE_RE.search(text)
    assert match, f"no 6-digit code in {text!r}"
    return match.group(1)
