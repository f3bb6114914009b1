"""Staff looking at citizens' accounts in the admin leave a personal-data read in the audit log."""

import pytest

from jamaati.audit.models import AuditEvent
from jamaati.audit.tests.logins import log_in_verified
from jamaati.organisations.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_opening_a_citizen_account_in_the_admin_is_audited(client, platform_admin, citizen):
    log_in_verified(client, platform_admin)
    response = client.get(
        f"/ar/admin/accounts/user/{citizen.pk}/change/", REMOTE_ADDR="198.51.100.4"
    )
    assert response.status_code == 200
    event = AuditEvent.objects.get(action=AuditEvent.Action.READ_PERSONAL_DATA)
    assert (event.actor, event.target_id, event.ip_address) == (
        platform_admin,
        str(citizen.pk),
        "198.51.100.4",
    )


def test_listing_citizens_records_one_read_per_citizen_shown_and_none_for_staff(
    client, platform_admin, citizen
):
    other = UserFactory(email="other.citizen@example.ma")
    log_in_verified(client, platform_admin)
    response = client.get("/ar/admin/accounts/user/?q=example.ma")
    assert response.status_code == 200
    reads = AuditEvent.objects.filter(action=AuditEvent.Action.READ_PERSONAL_DATA)
    assert set(reads.values_list("target_id", flat=True)) == {str(citizen.pk), str(other.pk)}
    assert "search: example.ma" in reads.first().changes["reason"]
