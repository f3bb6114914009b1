import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.db import transaction

from jamaati.core import sms
from jamaati.core.notifications import notify
from jamaati.organisations.tests.factories import UserFactory


@pytest.fixture
def sms_outbox():
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


def test_it_sends_the_email_in_the_recipients_language_after_commit(
    db, django_capture_on_commit_callbacks
):
    user = UserFactory(email="fatima@example.ma", preferred_language="fr")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(user=user, template="otp_code", context={"code": "123456", "minutes": 10})
        assert mail.outbox == []  # nothing leaves before the commit
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["fatima@example.ma"]
    assert "123456" in message.subject
    assert "\n" not in message.subject
    assert "123456" in message.body


def test_it_renders_in_the_language_given_not_the_active_one(
    db, django_capture_on_commit_callbacks, settings
):
    from django.utils import translation

    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        notify(
            email="a@example.ma",
            template="otp_code",
            context={"code": "654321", "minutes": 10},
            language="ar",
        )
    # The template is rendered under the recipient's language: the "ar" catalogue
    # may not be compiled yet, so compare with a rendering done the same way.
    with translation.override("ar"):
        from django.template.loader import render_to_string

        expected = render_to_string(
            "notifications/otp_code/body.txt",
            {"code": "654321", "minutes": 10, "site_url": settings.SITE_URL},
        ).strip()
    assert mail.outbox[0].body == expected


def test_it_sends_an_sms_to_a_phone_user(db, django_capture_on_commit_callbacks, sms_outbox):
    user = UserFactory(email=None, username="+212612345678", phone="+212612345678")
    with django_capture_on_commit_callbacks(execute=True):
        scheduled = notify(
            user=user, template="otp_code", context={"code": "111222", "minutes": 10}
        )
    assert scheduled.phone == "+212612345678"
    assert scheduled.email is None
    assert mail.outbox == []
    assert [m.to for m in sms_outbox] == ["+212612345678"]
    assert "111222" in sms_outbox[0].body


def test_nothing_is_sent_when_the_transaction_rolls_back(transactional_db, sms_outbox):
    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        notify(
            phone="+212612345678",
            email="x@example.ma",
            template="otp_code",
            context={"code": "1", "minutes": 10},
        )
        raise Boom
    assert mail.outbox == []
    assert sms_outbox == []


def test_it_refuses_a_notification_without_any_address(db):
    with pytest.raises(ValueError):
        notify(template="otp_code", context={})


def test_the_autoescaping_of_html_is_off_in_text_templates(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(email="a@example.ma", template="otp_code", context={"code": "<b>&", "minutes": 10})
    assert "<b>&" in mail.outbox[0].body


class _FailingGateway:
    def __init__(self, status: int):
        calls = self.calls = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                calls.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def test_in_eager_mode_a_failing_gateway_reaches_the_caller_at_once(
    db, settings, django_capture_on_commit_callbacks
):
    with _FailingGateway(503) as gateway:
        settings.SMS_BACKEND = "jamaati.core.sms.backends.http.SmsBackend"
        settings.SMS_GATEWAY_URL = gateway.url
        settings.SMS_GATEWAY_TOKEN = "t"
        with (
            pytest.raises(sms.SmsDeliveryError, match="HTTP 503"),
            django_capture_on_commit_callbacks(execute=True),
        ):
            notify(phone="+212612345678", template="otp_code", context={"code": "1", "minutes": 10})
    assert len(gateway.calls) == 1


@pytest.fixture
def queued_celery():
    """The Celery app with a real (in-memory) broker instead of eager execution."""
    from jamaati.celery import app

    saved = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager = False
    app.conf.broker_url = "memory://"
    yield app
    app.conf.task_always_eager, app.conf.broker_url = saved


def test_with_a_worker_a_gateway_outage_schedules_a_retry_with_a_delay(settings, queued_celery):
    from celery.exceptions import Retry

    from jamaati.core.tasks import FIRST_RETRY_SECONDS, send_sms_task

    with _FailingGateway(503) as gateway:
        settings.SMS_BACKEND = "jamaati.core.sms.backends.http.SmsBackend"
        settings.SMS_GATEWAY_URL = gateway.url
        settings.SMS_GATEWAY_TOKEN = "t"
        send_sms_task.push_request(
            id="test-task",
            retries=0,
            is_eager=False,
            called_directly=False,
            args=[],
            kwargs={"to": "+212612345678", "body": "x"},
        )
        try:
            with pytest.raises(Retry) as excinfo:
                send_sms_task.run(to="+212612345678", body="x")
        finally:
            send_sms_task.pop_request()
    assert excinfo.value.when == FIRST_RETRY_SECONDS
    assert isinstance(excinfo.value.exc, sms.SmsDeliveryError)
    assert len(gateway.calls) == 1


def test_with_a_worker_the_last_retry_gives_up_with_the_gateway_error(settings, queued_celery):
    from jamaati.core.tasks import MAX_RETRIES, send_sms_task

    with _FailingGateway(503) as gateway:
        settings.SMS_BACKEND = "jamaati.core.sms.backends.http.SmsBackend"
        settings.SMS_GATEWAY_URL = gateway.url
        settings.SMS_GATEWAY_TOKEN = "t"
        send_sms_task.push_request(
            id="test-task",
            retries=MAX_RETRIES,
            is_eager=False,
            called_directly=False,
            args=[],
            kwargs={"to": "+212612345678", "body": "x"},
        )
        try:
            with pytest.raises(sms.SmsDeliveryError, match="HTTP 503"):
                send_sms_task.run(to="+212612345678", body="x")
        finally:
            send_sms_task.pop_request()


def test_the_sms_task_does_not_retry_a_refused_number(settings, queued_celery):
    from jamaati.core.tasks import send_sms_task

    with _FailingGateway(400) as gateway:
        settings.SMS_BACKEND = "jamaati.core.sms.backends.http.SmsBackend"
        settings.SMS_GATEWAY_URL = gateway.url
        settings.SMS_GATEWAY_TOKEN = "t"
        send_sms_task.push_request(
            id="test-task",
            retries=0,
            is_eager=False,
            called_directly=False,
            args=[],
            kwargs={"to": "+212612345678", "body": "x"},
        )
        try:
            with pytest.raises(sms.SmsDeliveryError, match="HTTP 400"):
                send_sms_task.run(to="+212612345678", body="x")
        finally:
            send_sms_task.pop_request()
    assert len(gateway.calls) == 1
