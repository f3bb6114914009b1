import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError

from jamaati.accounts.phone import normalise_moroccan_mobile
from jamaati.core import sms
from jamaati.core.sms.backends.console import SmsBackend as ConsoleBackend
from jamaati.core.sms.backends.file import SmsBackend as FileBackend
from jamaati.core.sms.backends.http import SmsBackend as HttpBackend


@pytest.fixture
def sms_outbox():
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


class _Gateway:
    """A real HTTP server on 127.0.0.1 that records what it receives and answers a set status."""

    def __init__(self, status: int = 200):
        self.status = status
        self.received: list[dict] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                gateway.received.append(
                    {
                        "path": self.path,
                        "authorization": self.headers.get("Authorization"),
                        "content_type": self.headers.get("Content-Type"),
                        "json": json.loads(self.rfile.read(length)),
                    }
                )
                self.send_response(gateway.status)
                if 300 <= gateway.status < 400:
                    self.send_header("Location", "http://127.0.0.1:9/elsewhere")
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(
                    b'{"error": "quota exceeded"}' if gateway.status >= 400 else b'{"id": "1"}'
                )

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1/sms"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.parametrize(
    "raw",
    [
        "0612345678",
        "06 12 34 56 78",
        "06-12-34-56-78",
        "+212612345678",
        "+212 6 12 34 56 78",
        "+212 0612345678",
        "00212612345678",
        "212612345678",
        "٠٦١٢٣٤٥٦٧٨",
    ],
)
def test_it_normalises_moroccan_mobile_numbers_to_e164(raw):
    assert normalise_moroccan_mobile(raw) == "+212612345678"


def test_it_accepts_07_numbers():
    assert normalise_moroccan_mobile("07 01 02 03 04") == "+212701020304"


@pytest.mark.parametrize(
    "raw", ["0522123456", "+33612345678", "061234567", "06123456789", "hello", "", "+2126123456a8"]
)
def test_it_refuses_landlines_foreign_and_malformed_numbers(raw):
    with pytest.raises(ValidationError):
        normalise_moroccan_mobile(raw)


def test_send_sms_puts_the_message_in_the_locmem_outbox(sms_outbox):
    assert sms.send_sms("+212612345678", "Bonjour") == 1
    assert [(m.to, m.body, m.sender) for m in sms_outbox] == [
        ("+212612345678", "Bonjour", "Jamaati")
    ]


def test_send_sms_refuses_a_number_that_is_not_normalised(sms_outbox):
    with pytest.raises(ValidationError):
        sms.send_sms("0612345678", "Bonjour")
    assert sms_outbox == []


def test_the_console_backend_writes_the_message():
    stream = io.StringIO()
    sent = ConsoleBackend(stream=stream).send_messages(
        [sms.SmsMessage(to="+212612345678", body="رمزك 123456")]
    )
    assert sent == 1
    assert "+212612345678" in stream.getvalue()
    assert "رمزك 123456" in stream.getvalue()


def test_the_file_backend_appends_messages_to_a_file(tmp_path):
    backend = FileBackend(file_path=str(tmp_path))
    backend.send_messages([sms.SmsMessage(to="+212612345678", body="one")])
    backend.send_messages([sms.SmsMessage(to="+212712345678", body="two")])
    files = list(tmp_path.iterdir())
    assert len(files) == 1
    content = files[0].read_text(encoding="utf-8")
    assert "one" in content
    assert "two" in content
    assert "+212712345678" in content


def test_the_file_backend_refuses_a_path_that_is_a_file(tmp_path):
    path = tmp_path / "not-a-directory"
    path.write_text("x")
    with pytest.raises(ImproperlyConfigured):
        FileBackend(file_path=str(path))


def test_the_http_backend_posts_json_with_the_bearer_token(settings):
    with _Gateway(status=201) as gateway:
        settings.SMS_GATEWAY_URL = gateway.url
        settings.SMS_GATEWAY_TOKEN = "s3cret"
        sent = sms.send_sms(
            "+212612345678",
            "رمز جماعتي: 123456",
            connection=sms.get_connection("jamaati.core.sms.backends.http.SmsBackend"),
        )
    assert sent == 1
    assert gateway.received == [
        {
            "path": "/v1/sms",
            "authorization": "Bearer s3cret",
            "content_type": "application/json; charset=utf-8",
            "json": {"to": "+212612345678", "body": "رمز جماعتي: 123456", "sender": "Jamaati"},
        }
    ]


@pytest.mark.parametrize(
    ("status", "retryable"), [(500, True), (503, True), (429, True), (400, False), (401, False)]
)
def test_the_http_backend_raises_a_clear_error_on_a_non_2xx_answer(status, retryable):
    with _Gateway(status=status) as gateway:
        backend = HttpBackend(url=gateway.url, token="t")
        with pytest.raises(sms.SmsDeliveryError) as excinfo:
            backend.send_messages([sms.SmsMessage(to="+212612345678", body="x")])
    assert f"HTTP {status}" in str(excinfo.value)
    assert excinfo.value.retryable is retryable
    assert excinfo.value.status == status


def test_the_http_backend_does_not_follow_redirects_with_the_token():
    with _Gateway(status=302) as gateway:
        backend = HttpBackend(url=gateway.url, token="t")
        with pytest.raises(sms.SmsDeliveryError, match="HTTP 302"):
            backend.send_messages([sms.SmsMessage(to="+212612345678", body="x")])
    assert len(gateway.received) == 1


def test_the_http_backend_reports_an_unreachable_gateway_as_retryable():
    with _Gateway() as gateway:
        url = gateway.url
    # The server is closed: nothing listens on that port any more.
    backend = HttpBackend(url=url, token="t", timeout=2)
    with pytest.raises(sms.SmsDeliveryError, match="unreachable") as excinfo:
        backend.send_messages([sms.SmsMessage(to="+212612345678", body="x")])
    assert excinfo.value.retryable is True


def test_the_http_backend_fails_silently_when_asked():
    with _Gateway(status=500) as gateway:
        backend = HttpBackend(url=gateway.url, token="t", fail_silently=True)
        assert backend.send_messages([sms.SmsMessage(to="+212612345678", body="x")]) == 0


@pytest.mark.parametrize(
    ("url", "token"), [("ftp://gateway/sms", "t"), ("", "t"), ("https://gateway/sms", "")]
)
def test_the_http_backend_refuses_a_bad_configuration(url, token, settings):
    settings.SMS_GATEWAY_URL = url
    settings.SMS_GATEWAY_TOKEN = token
    with pytest.raises(ImproperlyConfigured):
        HttpBackend()
