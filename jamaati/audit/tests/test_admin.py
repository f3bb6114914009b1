"""Every write made through the Django admin lands in the audit log, and the log itself is read-only."""

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import reverse

from jamaati.audit.admin_site import AuditedModelAdminMixin, admin_actor
from jamaati.audit.models import AuditEvent
from jamaati.audit.tests.factories import AuditEventFactory
from jamaati.audit.tests.logins import log_in_verified


@pytest.fixture
def admin_client(client, platform_admin):
    log_in_verified(client, platform_admin)
    return client


def test_every_registered_admin_is_audited():
    assert admin.site._registry  # the project registers admins
    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, AuditedModelAdminMixin), model


def test_an_addition_through_the_admin_is_audited(admin_client, platform_admin):
    response = admin_client.post(
        reverse("admin:auth_group_add"),
        {"name": "Night shift"},
        HTTP_USER_AGENT="AdminBrowser/1.0",
        REMOTE_ADDR="10.1.2.3",
    )

    assert response.status_code == 302
    group = Group.objects.get(name="Night shift")
    event = AuditEvent.objects.get()
    assert event.action == AuditEvent.Action.CREATE
    assert event.actor == platform_admin
    assert (event.target_type, event.target_id) == ("auth.group", str(group.pk))
    assert event.changes["via"] == "admin"
    assert event.changes["fields"]["name"] == {"from": None, "to": "Night shift"}
    assert event.ip_address == "10.1.2.3"
    assert event.user_agent == "AdminBrowser/1.0"


def test_a_change_through_the_admin_records_old_and_new_values(admin_client):
    group = Group.objects.create(name="Night shift")

    admin_client.post(reverse("admin:auth_group_change", args=[group.pk]), {"name": "Day shift"})

    event = AuditEvent.objects.get()
    assert event.action == AuditEvent.Action.UPDATE
    assert event.changes["fields"] == {"name": {"from": "Night shift", "to": "Day shift"}}
    assert event.target_repr == "Day shift"


def test_a_deletion_through_the_admin_is_audited(admin_client):
    group = Group.objects.create(name="Night shift")

    admin_client.post(reverse("admin:auth_group_delete", args=[group.pk]), {"post": "yes"})

    assert not Group.objects.exists()
    event = AuditEvent.objects.get()
    assert event.action == AuditEvent.Action.DELETE
    assert (event.target_id, event.target_repr) == (str(group.pk), "Night shift")


def test_a_bulk_deletion_through_the_admin_writes_one_row_per_object(admin_client):
    groups = [Group.objects.create(name=name) for name in ("A", "B", "C")]

    admin_client.post(
        reverse("admin:auth_group_changelist"),
        {
            "action": "delete_selected",
            "post": "yes",
            "_selected_action": [group.pk for group in groups],
        },
    )

    assert not Group.objects.exists()
    assert sorted(AuditEvent.objects.values_list("target_repr", flat=True)) == ["A", "B", "C"]


def test_a_secret_field_is_logged_as_changed_without_its_value(rf):
    class TokenForm(forms.Form):
        name = forms.CharField()
        api_token = forms.CharField()

    form = TokenForm(
        data={"name": "new", "api_token": "s3cr3t-value"},
        initial={"name": "old", "api_token": "0ld-s3cr3t"},
    )
    assert form.is_valid()
    http_request = rf.post("/")
    model_admin = admin.site._registry[Group]

    model_admin.construct_change_message(http_request, form, [], add=False)

    recorded = http_request._jamaati_audit_field_changes
    assert recorded == {"name": {"from": "old", "to": "new"}, "api_token": {"changed": True}}
    assert "s3cr3t" not in str(recorded)


def test_an_admin_write_on_an_organisations_object_is_filed_under_that_organisation(
    world, org_admin_membership, department
):
    http_request = RequestFactory().post("/")
    http_request.user = org_admin_membership.user

    actor, organisation = admin_actor(http_request, department)

    assert organisation == world.organisation
    assert actor.membership == org_admin_membership


def test_the_audit_log_cannot_be_added_changed_or_deleted_in_the_admin(admin_client):
    event = AuditEventFactory()

    assert admin_client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    assert (
        admin_client.post(
            reverse("admin:audit_auditevent_delete", args=[event.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    change = admin_client.post(
        reverse("admin:audit_auditevent_change", args=[event.pk]), {"action": "delete"}
    )
    assert change.status_code == 403
    event.refresh_from_db()
    assert event.action == AuditEvent.Action.UPDATE
    assert (
        admin_client.get(reverse("admin:audit_auditevent_change", args=[event.pk])).status_code
        == 200
    )
