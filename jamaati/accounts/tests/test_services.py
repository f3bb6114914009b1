from datetime import timedelta

import pyotp
import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from jamaati.accounts import personal_data, services
from jamaati.accounts.models import OneTimeCode, StaffTOTPDevice, User
from jamaati.accounts.selectors import personal_data_export
from jamaati.accounts.tests.conftest import code_in
from jamaati.accounts.tests.factories import (
    PhoneCitizenFactory,
    StaffTOTPDeviceFactory,
    UserFactory,
)
from jamaati.audit.models import AuditEvent

LOGIN = OneTimeCode.Purpose.CITIZEN_LOGIN


@pytest.fixture
def send_code(db, django_capture_on_commit_callbacks):
    def _send(destination, ip_address="192.0.2.1", language="fr"):
        with django_capture_on_commit_callbacks(execute=True):
            return services.otp_request(
                destination=destination, purpose=LOGIN, ip_address=ip_address, language=language
            )

    return _send


def test_it_stores_only_a_hash_of_the_code_sent_by_email(send_code):
    otp = send_code("Amina@Example.MA")
    code = code_in(mail.outbox[0].body)
    assert otp.destination == "amina@example.ma"
    assert otp.channel == OneTimeCode.Channel.EMAIL
    assert code not in otp.code_hash
    assert mail.outbox[0].to == ["amina@example.ma"]
    assert otp.expires_at - otp.created_at == timedelta(minutes=10)


def test_it_sends_the_code_by_sms_to_a_normalised_number(send_code, sms_outbox):
    otp = send_code("06 12 34 56 78")
    assert otp.destination == "+212612345678"
    assert otp.channel == OneTimeCode.Channel.SMS
    assert [m.to for m in sms_outbox] == ["+212612345678"]
    assert mail.outbox == []


def test_it_refuses_a_destination_that_is_neither_an_email_nor_a_moroccan_mobile(send_code):
    for bad in ("not an address", "0522123456", "+33612345678", "a@b"):
        with pytest.raises(ValidationError):
            send_code(bad)
    assert OneTimeCode.objects.count() == 0


def test_a_citizen_signs_up_with_the_code_and_logs_in_later(send_code):
    send_code("new@example.ma")
    user, created = services.citizen_signup_or_login(
        destination="new@example.ma",
        code=code_in(mail.outbox[-1].body),
        full_name="  Hassan Alaoui ",
        preferred_language="fr",
    )
    assert created
    assert (user.username, user.email, user.phone) == ("new@example.ma", "new@example.ma", None)
    assert user.full_name == "Hassan Alaoui"
    assert user.preferred_language == "fr"
    assert not user.has_usable_password()

    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        send_code("new@example.ma")
        again, created = services.citizen_signup_or_login(
            destination="NEW@example.ma", code=code_in(mail.outbox[-1].body), full_name="Other"
        )
    assert not created
    assert again == user
    assert again.full_name == "Hassan Alaoui"


def test_a_code_works_only_once(send_code):
    send_code("once@example.ma")
    code = code_in(mail.outbox[0].body)
    services.otp_verify(destination="once@example.ma", purpose=LOGIN, code=code)
    with pytest.raises(ValidationError) as excinfo:
        services.otp_verify(destination="once@example.ma", purpose=LOGIN, code=code)
    assert excinfo.value.code == "no_code"


def test_it_refuses_an_expired_code(send_code):
    send_code("late@example.ma")
    code = code_in(mail.outbox[0].body)
    later = timezone.now() + timedelta(minutes=10, seconds=1)
    with time_machine.travel(later), pytest.raises(ValidationError) as excinfo:
        services.otp_verify(destination="late@example.ma", purpose=LOGIN, code=code)
    assert excinfo.value.code == "expired"


def test_it_counts_wrong_codes_and_locks_the_code_after_five(send_code):
    send_code("guess@example.ma")
    right = code_in(mail.outbox[0].body)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for attempt in range(1, 5):
        with pytest.raises(ValidationError) as excinfo:
            services.otp_verify(destination="guess@example.ma", purpose=LOGIN, code=wrong)
        assert excinfo.value.code == "wrong_code"
        assert OneTimeCode.objects.get().attempts == attempt
    with pytest.raises(ValidationError) as excinfo:
        services.otp_verify(destination="guess@example.ma", purpose=LOGIN, code=wrong)
    assert excinfo.value.code == "too_many_attempts"
    # Even the right code is refused now.
    with pytest.raises(ValidationError) as excinfo:
        services.otp_verify(destination="guess@example.ma", purpose=LOGIN, code=right)
    assert excinfo.value.code == "too_many_attempts"


def test_it_accepts_a_code_typed_with_spaces_or_arabic_digits(send_code):
    send_code("digits@example.ma")
    code = code_in(mail.outbox[0].body)
    arabic = code.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    services.otp_verify(
        destination="digits@example.ma", purpose=LOGIN, code=f" {arabic[:3]} {arabic[3:]} "
    )


def test_a_new_code_supersedes_the_previous_one(send_code):
    send_code("twice@example.ma")
    first = code_in(mail.outbox[0].body)
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        send_code("twice@example.ma")
        second = code_in(mail.outbox[1].body)
        if first != second:
            with pytest.raises(ValidationError):
                services.otp_verify(destination="twice@example.ma", purpose=LOGIN, code=first)
        services.otp_verify(destination="twice@example.ma", purpose=LOGIN, code=second)


def test_it_refuses_a_resend_within_a_minute(send_code):
    send_code("quick@example.ma")
    with pytest.raises(ValidationError) as excinfo:
        send_code("quick@example.ma")
    assert excinfo.value.code == "resend_too_soon"
    assert len(mail.outbox) == 1


def test_it_limits_codes_per_destination(send_code):
    start = timezone.now()
    for i in range(5):
        with time_machine.travel(start + timedelta(minutes=2 * i)):
            send_code("many@example.ma", ip_address=f"192.0.2.{i + 1}")
    with (
        time_machine.travel(start + timedelta(minutes=12)),
        pytest.raises(ValidationError) as excinfo,
    ):
        send_code("many@example.ma", ip_address="192.0.2.99")
    assert excinfo.value.code == "throttled_destination"
    assert len(mail.outbox) == 5


def test_it_limits_codes_per_ip_address(send_code):
    for i in range(20):
        send_code(f"person{i}@example.ma", ip_address="198.51.100.7")
    with pytest.raises(ValidationError) as excinfo:
        send_code("one-more@example.ma", ip_address="198.51.100.7")
    assert excinfo.value.code == "throttled_ip"
    send_code("one-more@example.ma", ip_address="198.51.100.8")


def test_staff_cannot_log_in_with_a_code(send_code, agent):
    send_code(agent.email)
    with pytest.raises(ValidationError) as excinfo:
        services.citizen_signup_or_login(destination=agent.email, code=code_in(mail.outbox[0].body))
    assert excinfo.value.code == "staff_account"


def test_a_disabled_citizen_cannot_log_in(send_code):
    UserFactory(email="off@example.ma", is_active=False)
    send_code("off@example.ma")
    with pytest.raises(ValidationError) as excinfo:
        services.citizen_signup_or_login(
            destination="off@example.ma", code=code_in(mail.outbox[0].body)
        )
    assert excinfo.value.code == "inactive"


# --- TOTP -------------------------------------------------------------------------------


def test_enrolment_keeps_the_same_secret_until_confirmed(agent):
    device = services.totp_device_start_enrolment(user=agent)
    assert services.totp_device_start_enrolment(user=agent).secret == device.secret
    assert not device.is_confirmed
    assert services.totp_device_verify(device=device, code=pyotp.TOTP(device.secret).now())
    device.refresh_from_db()
    assert device.is_confirmed
    with pytest.raises(ValidationError):
        services.totp_device_start_enrolment(user=agent)


def test_citizens_cannot_enrol_an_authenticator(citizen):
    with pytest.raises(ValidationError):
        services.totp_device_start_enrolment(user=citizen)


def test_a_totp_code_cannot_be_replayed(db):
    device = StaffTOTPDeviceFactory()
    now = timezone.now()
    code = pyotp.TOTP(device.secret).at(now)
    assert services.totp_device_verify(device=device, code=code, at=now)
    assert not services.totp_device_verify(device=device, code=code, at=now)
    # Nor an older code, still inside the drift window.
    older = pyotp.TOTP(device.secret).at(now - timedelta(seconds=30))
    assert not services.totp_device_verify(device=device, code=older, at=now)
    later = now + timedelta(seconds=30)
    assert services.totp_device_verify(
        device=device, code=pyotp.TOTP(device.secret).at(later), at=later
    )


def test_a_totp_code_from_too_long_ago_is_refused(db):
    device = StaffTOTPDeviceFactory()
    now = timezone.now()
    stale = pyotp.TOTP(device.secret).at(now - timedelta(minutes=2))
    assert not services.totp_device_verify(device=device, code=stale, at=now)
    assert not services.totp_device_verify(device=device, code="abc", at=now)


# --- Personal data -------------------------------------------------------------------------


class _Petitions:
    key = "test_petitions"
    title = "Petitions"
    rows: dict = {}

    def collect(self, user):
        return [{"text": text} for text in self.rows.get(user.pk, [])]

    def erase(self, user):
        self.rows.pop(user.pk, None)


@pytest.fixture
def petitions():
    provider = _Petitions()
    personal_data.register(provider)
    yield provider
    personal_data.unregister(provider.key)


def test_the_export_holds_the_profile_and_every_registered_module(citizen, petitions):
    petitions.rows[citizen.pk] = ["Fix the street light"]
    document = personal_data_export(user=citizen)
    profile = document["sections"]["profile"]["rows"][0]
    assert "citizen@example.ma" in profile.values()
    assert citizen.full_name in profile.values()
    assert document["sections"]["test_petitions"]["rows"] == [{"text": "Fix the street light"}]


def test_deleting_an_account_erases_everything_identifying(send_code, petitions, sms_outbox):
    send_code("0612345678")
    user, _ = services.citizen_signup_or_login(
        destination="0612345678", code=code_in(sms_outbox[0].body), full_name="Khadija"
    )
    petitions.rows[user.pk] = ["secret petition"]
    services.user_delete_account(user=user)

    user.refresh_from_db()
    assert user.phone is None
    assert user.full_name == ""
    assert "0612345678" not in user.username and "612345678" not in (user.email or "")
    assert user.username.endswith("@deleted.invalid")
    assert not user.is_active
    assert not user.has_usable_password()
    assert user.pk not in petitions.rows
    assert not OneTimeCode.objects.filter(destination="+212612345678").exists()
    assert not User.objects.filter(full_name="Khadija").exists()
    event = AuditEvent.objects.get(target_type="accounts.user", target_id=str(user.pk))
    assert event.action == AuditEvent.Action.DELETE
    assert "612345678" not in str(event.changes) + event.target_repr
    # The number is free again: the same person may sign up afresh.
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        send_code("0612345678")


def test_staff_cannot_delete_their_own_account(agent):
    with pytest.raises(ValidationError):
        services.user_delete_account(user=agent)
    agent.refresh_from_db()
    assert agent.is_active


def test_the_profile_update_changes_name_and_language(citizen):
    services.user_update_profile(user=citizen, full_name="Nadia", preferred_language="zgh")
    citizen.refresh_from_db()
    assert (citizen.full_name, citizen.preferred_language) == ("Nadia", "zgh")
    with pytest.raises(ValidationError):
        services.user_update_profile(user=citizen, full_name="Nadia", preferred_language="xx")


def test_the_phone_factory_makes_phone_only_citizens(db):
    user = PhoneCitizenFactory()
    assert user.email is None
    assert user.username == user.phone
    assert StaffTOTPDevice.objects.count() == 0


def test_an_installation_can_raise_the_per_address_limit(send_code, settings):
    settings.OTP_REQUESTS_PER_IP = 25
    for i in range(25):
        send_code(f"cgnat{i}@example.ma", ip_address="198.51.100.9")
    with pytest.raises(ValidationError):
        send_code("cgnat-last@example.ma", ip_address="198.51.100.9")
