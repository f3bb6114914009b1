"""Background jobs: eager in process by default, and a real worker through a real broker.

The broker test runs when CELERY_TEST_BROKER_URL is set (CI sets
`redis://127.0.0.1:6379/15`); without it, it is skipped with that reason.
"""

import os
import threading
import uuid

import pytest
from celery.contrib.testing.worker import start_worker

from jamaati.celery import app

_runs: dict[str, int] = {}
_ran = threading.Event()


@app.task(name="jamaati.core.tests.record_run")
def record_run(token: str) -> int:
    """Remember in which thread the task ran, so a test can tell eager from a worker."""
    _runs[token] = threading.get_ident()
    _ran.set()
    return len(token)


def test_a_task_runs_eagerly_in_process_by_default():
    assert app.conf.task_always_eager is True
    token = uuid.uuid4().hex

    result = record_run.delay(token)

    # Already done when delay() returns, in this very thread.
    assert _runs[token] == threading.get_ident()
    assert result.get() == 32


def test_an_error_in_an_eager_task_reaches_the_caller():
    @app.task(name="jamaati.core.tests.fail")
    def fail():
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        fail.delay()


@pytest.fixture
def broker_url():
    url = os.environ.get("CELERY_TEST_BROKER_URL", "")
    if not url:
        pytest.skip("CELERY_TEST_BROKER_URL is not set: no real broker to test the worker against.")
    return url


@pytest.fixture
def app_with_broker(broker_url):
    previous = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.close()  # forget any connection pool made with the previous broker
    app.conf.update(broker_url=broker_url, task_always_eager=False)
    try:
        yield app
    finally:
        app.close()
        app.conf.update(previous)


# One fixed queue, emptied first, so runs leave nothing behind on the broker.
TEST_QUEUE = "jamaati-test-worker"


def test_a_real_worker_runs_a_task_sent_through_the_broker(app_with_broker):
    token = uuid.uuid4().hex
    _ran.clear()
    # An explicit connection: the app's producer pool may still point at the default broker.
    with app_with_broker.connection_for_write() as connection:
        connection.default_channel.queue_purge(TEST_QUEUE)

        with start_worker(
            app_with_broker,
            pool="solo",
            perform_ping_check=False,
            queues=[TEST_QUEUE],
            loglevel="WARNING",
            shutdown_timeout=20,
        ):
            record_run.apply_async(args=[token], queue=TEST_QUEUE, connection=connection)
            assert _ran.wait(timeout=30), "the worker did not run the task within 30 s"

    assert token in _runs
    assert _runs[token] != threading.get_ident()  # it ran in the worker's thread, not eagerly here
