"""Fixed-window rate limits kept in the cache (shared by all workers when the cache is Redis).

Keys are hashed: e-mail addresses and phone numbers never appear in the cache.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache


def _key(scope: str, subject: str) -> str:
    digest = hashlib.sha256(subject.encode("utf-8")).hexdigest()[:32]
    return f"jamaati:throttle:{scope}:{digest}"


def throttle_hit(*, scope: str, subject: str, limit: int, window_seconds: int) -> bool:
    """Count one event for `subject`; return False when it exceeds `limit` in the window."""
    key = _key(scope, subject)
    if cache.add(key, 1, timeout=window_seconds):
        return limit >= 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=window_seconds)
        count = 1
    return count <= limit


def throttle_reset(*, scope: str, subject: str) -> None:
    cache.delete(_key(scope, subject))
