import pytest
from django.urls import reverse

from jamaati.apikeys.services import apikey_authenticate, apikey_issue
from jamaati.audit.models import AuditEvent
from jamaati.audit.tests.logins import log_in_verified
from jamaati.core.actors import Actor


@pytest.fixture
def partner_key(world, org_admin):
    return apikey_issue(
        actor=Actor(user=org_admin),
        organisation=world.organisation,
        name="Citizen app",
        scopes=["open311"],
    )


def test_the_admin_cannot_create_a_key_by_hand(client, platform_admin):
    log_in_verified(client, platform_admin)

    assert client.get(reverse("admin:apikeys_apikey_add")).status_code == 403


def test_the_admin_page_never_shows_the_secret_or_its_hash(client, platform_admin, partner_key):
    log_in_verified(client, platform_admin)

    response = client.get(reverse("admin:apikeys_apikey_change", args=[partner_key.api_key.pk]))

    assert response.status_code == 200
    assert partner_key.api_key.prefix in response.text
    assert partner_key.api_key.secret_hash not in response.text
    # The secret part may itself contain "_": split off only the "jmt" and prefix parts.
    secret = partner_key.raw_key.split("_", 2)[2]
    assert len(secret) >= 40
    assert secret not in response.text


def test_the_admin_revokes_keys_and_the_revocation_is_audited(client, platform_admin, partner_key):
    log_in_verified(client, platform_admin)

    response = client.post(
        reverse("admin:apikeys_apikey_changelist"),
        {
            "action": "revoke",
            "_selected_action": [partner_key.api_key.pk],
        },
    )

    assert response.status_code == 302
    assert apikey_authenticate(partner_key.raw_key) is None
    assert (
        AuditEvent.objects.filter(action=AuditEvent.Action.REVOKE, actor=platform_admin).count()
        == 1
    )
