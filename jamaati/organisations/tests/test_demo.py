"""The demo world loads on the real territories, and loading it again duplicates nothing."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jamaati.accounts.models import User
from jamaati.audit.models import AuditEvent
from jamaati.organisations.models import Competence, Department, Membership, Organisation
from jamaati.organisations.selectors import competence_for
from jamaati.territories.models import Territory


def _counts():
    return tuple(
        m.objects.count()
        for m in (Organisation, Department, Competence, Membership, User, AuditEvent)
    )


@pytest.mark.slow
@pytest.mark.django_db
def test_seed_demo_builds_the_seed_articles_world_once(settings, tmp_path, capsys):
    settings.DEMO_MODE = True
    settings.VAR_DIR = tmp_path
    call_command("load_territories")
    call_command("seed_demo")
    first = _counts()
    output = capsys.readouterr().out
    assert "admin.tetouan@demo.jamaati.ma" in output
    assert "staff password: demo-" in output

    call_command("seed_demo")
    assert _counts() == first

    slugs = set(Organisation.objects.values_list("slug", flat=True))
    assert {
        "tetouan",
        "sidi-kacem",
        "errachidia",
        "province-tetouan",
        "draa-tafilalet",
        "agence-urbaine-kenitra-sidi-kacem-sidi-slimane",
        "cri-draa-tafilalet",
        "tetouan-proprete",
    } <= slugs
    tetouan = Territory.objects.get(code="01.571.01.11")
    assert (
        competence_for(domain="waste-collection", territory=tetouan).organisation.slug
        == "tetouan-proprete"
    )
    assert (
        competence_for(domain="public-lighting", territory=tetouan).organisation.slug == "tetouan"
    )
    assert competence_for(domain="roads", territory=tetouan).organisation.slug == "province-tetouan"
    limited = Membership.objects.get(user__username="agent.roads.oued-laou@demo.jamaati.ma")
    assert [t.code for t in limited.territories.all()] == ["01.571.01.07"]


@pytest.mark.django_db
def test_seed_demo_is_refused_outside_demo_mode(settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="demo mode"):
        call_command("seed_demo")
