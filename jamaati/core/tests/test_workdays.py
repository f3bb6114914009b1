import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from jamaati.audit.models import AuditEvent
from jamaati.audit.tests.logins import log_in_verified
from jamaati.core.actors import Actor
from jamaati.core.models import Holiday
from jamaati.core.workdays import (
    add_working_days,
    holiday_confirm,
    holiday_move,
    holiday_seed,
    is_working_day,
    working_days_between,
)

D = dt.date


@pytest.fixture
def seeded(db):
    holiday_seed(years=[2025, 2026, 2027])


FIXED_2026 = {
    D(2026, 1, 1): "new-years-day",
    D(2026, 1, 11): "proclamation-of-independence-day",
    D(2026, 1, 14): "amazigh-new-year",
    D(2026, 5, 1): "labor-day",
    D(2026, 7, 30): "throne-day",
    D(2026, 8, 14): "oued-ed-dahab-day",
    D(2026, 8, 20): "revolution-day",
    D(2026, 8, 21): "youth-day",
    D(2026, 10, 31): "unity-day",  # proclaimed in 2025, observed from 2026 in the package
    D(2026, 11, 6): "green-march",
    D(2026, 11, 18): "independence-day",
}


def test_seeding_stores_the_fixed_holidays_as_confirmed(seeded):
    fixed = Holiday.objects.filter(kind=Holiday.Kind.FIXED, date__year=2026)

    assert {holiday.date: holiday.key[5:-2] for holiday in fixed} == FIXED_2026
    assert all(holiday.is_confirmed for holiday in fixed)


def test_seeding_stores_islamic_holidays_as_unconfirmed_estimates_with_names_in_three_languages(
    seeded,
):
    eid = Holiday.objects.get(key="2026-eid-al-adha-1")

    assert eid.kind == Holiday.Kind.ISLAMIC
    assert not eid.is_confirmed
    assert eid.estimated_date == eid.date == D(2026, 5, 27)
    assert (eid.name_ar, eid.name_fr, eid.name_en) == (
        "عيد الأضحى",
        "Fête du sacrifice",
        "Eid al-Adha",
    )
    assert Holiday.objects.filter(kind=Holiday.Kind.ISLAMIC, date__year=2026).count() == 7


def test_yennayer_is_a_holiday_from_2024_only(db):
    holiday_seed(years=[2023, 2024])

    assert not Holiday.objects.filter(key__contains="amazigh", date__year=2023).exists()
    assert Holiday.objects.filter(key="2024-amazigh-new-year-1", date=D(2024, 1, 14)).exists()


def test_two_holidays_on_one_day_are_both_kept(db):
    holiday_seed(years=[2027])

    on_aug_14 = Holiday.objects.filter(date=D(2027, 8, 14)).values_list("key", flat=True)
    assert sorted(on_aug_14) == ["2027-oued-ed-dahab-day-1", "2027-prophets-birthday-1"]


def test_seeding_again_changes_nothing(seeded):
    before = list(Holiday.objects.values_list("key", "date", "is_confirmed", "updated_at"))

    result = holiday_seed(years=[2025, 2026, 2027])

    assert (result.created, result.updated) == (0, 0)
    assert result.unchanged == len(before)
    assert list(Holiday.objects.values_list("key", "date", "is_confirmed", "updated_at")) == before


def test_seeding_again_keeps_a_date_an_admin_moved(seeded, platform_admin):
    eid = Holiday.objects.get(key="2026-eid-al-adha-1")
    holiday_move(actor=Actor(user=platform_admin), holiday=eid, date=D(2026, 5, 26), confirm=False)

    holiday_seed(years=[2026])

    eid.refresh_from_db()
    assert eid.date == D(2026, 5, 26)
    assert eid.estimated_date == D(2026, 5, 27)


def test_the_command_seeds_the_given_years_and_can_run_twice(db, capsys):
    call_command("seed_holidays", "--years", "2025", "2026")
    first = capsys.readouterr().out
    call_command("seed_holidays", "--years", "2025", "2026")
    second = capsys.readouterr().out

    assert "35 created" in first
    assert "0 created, 0 updated, 35 unchanged" in second
    assert Holiday.objects.count() == 35


def test_the_command_refuses_an_absurd_year(db):
    with pytest.raises(CommandError, match="between"):
        call_command("seed_holidays", "--years", "26")


def test_weekends_and_holidays_are_not_working_days(seeded):
    assert is_working_day(D(2026, 7, 29))  # Wednesday
    assert not is_working_day(D(2026, 7, 30))  # Throne Day, a Thursday
    assert not is_working_day(D(2026, 8, 1))  # Saturday
    assert not is_working_day(D(2026, 8, 2))  # Sunday
    assert not is_working_day(D(2026, 5, 27))  # Eid al-Adha, estimated: still closed


def test_adding_working_days_skips_a_holiday_and_a_weekend(seeded):
    # Wednesday 29 July 2026 + 2: Thursday is Throne Day, then the weekend, so Monday 3 August.
    assert add_working_days(D(2026, 7, 29), 1) == D(2026, 7, 31)
    assert add_working_days(D(2026, 7, 29), 2) == D(2026, 8, 3)
    # From a Friday, one working day later is the Monday.
    assert add_working_days(D(2026, 7, 31), 1) == D(2026, 8, 3)
    assert add_working_days(D(2026, 8, 3), -2) == D(2026, 7, 29)
    assert add_working_days(D(2026, 7, 29), 0) == D(2026, 7, 29)


def test_adding_many_working_days_crosses_several_search_windows(seeded):
    start = D(2025, 12, 31)
    end = add_working_days(start, 200)

    assert working_days_between(start, end) == 200
    assert is_working_day(end)


def test_working_days_between_is_the_inverse_of_adding_them(seeded):
    assert working_days_between(D(2026, 7, 29), D(2026, 8, 3)) == 2
    assert working_days_between(D(2026, 8, 3), D(2026, 7, 29)) == -2
    assert working_days_between(D(2026, 8, 1), D(2026, 8, 2)) == 0
    assert working_days_between(D(2026, 7, 29), D(2026, 7, 29)) == 0


def test_moving_an_islamic_holiday_moves_the_deadlines(seeded, platform_admin):
    # Eid al-Adha estimated Wednesday 27 and Thursday 28 May 2026.
    assert add_working_days(D(2026, 5, 26), 1) == D(2026, 5, 29)
    second_day = Holiday.objects.get(key="2026-eid-al-adha-2")

    holiday_move(actor=Actor(user=platform_admin), holiday=second_day, date=D(2026, 5, 29))

    assert is_working_day(D(2026, 5, 28))
    assert not is_working_day(D(2026, 5, 29))
    assert add_working_days(D(2026, 5, 26), 1) == D(2026, 5, 28)
    assert add_working_days(D(2026, 5, 26), 2) == D(2026, 6, 1)
    second_day.refresh_from_db()
    assert second_day.is_confirmed
    event = AuditEvent.objects.get(target_type="core.holiday")
    assert event.changes["date"] == ["2026-05-28", "2026-05-29"]


def test_an_unseeded_year_falls_back_to_the_estimated_calendar(db):
    assert not Holiday.objects.exists()

    assert not is_working_day(D(2030, 11, 18))  # Independence Day, a Monday
    assert is_working_day(D(2030, 11, 19))


def test_confirming_is_audited_and_skips_the_already_confirmed(seeded, platform_admin):
    eid = Holiday.objects.filter(key__startswith="2026-eid-al-fitr")

    assert holiday_confirm(actor=Actor(user=platform_admin), holidays=eid) == 2
    assert holiday_confirm(actor=Actor(user=platform_admin), holidays=eid) == 0
    assert all(holiday.is_confirmed for holiday in eid)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CONFIRM).count() == 2


def test_an_admin_confirms_holidays_with_the_admin_action(client, seeded, platform_admin):
    log_in_verified(client, platform_admin)
    mawlid = Holiday.objects.filter(key__startswith="2026-prophets-birthday")

    response = client.post(
        reverse("admin:core_holiday_changelist"),
        {
            "action": "confirm",
            "_selected_action": [holiday.pk for holiday in mawlid],
        },
    )

    assert response.status_code == 302
    assert all(holiday.is_confirmed for holiday in mawlid.all())
    assert AuditEvent.objects.filter(action="confirm", actor=platform_admin).count() == 2


def test_an_admin_moves_a_date_in_the_admin_and_the_calendar_follows(
    client, seeded, platform_admin
):
    log_in_verified(client, platform_admin)
    new_year = Holiday.objects.get(key="2026-islamic-new-year-1")
    assert new_year.date == D(2026, 6, 16)

    response = client.post(
        reverse("admin:core_holiday_change", args=[new_year.pk]),
        {
            "key": new_year.key,
            "date": "2026-06-17",
            "name_ar": new_year.name_ar,
            "name_fr": new_year.name_fr,
            "name_en": new_year.name_en,
            "name_zgh": "",
            "kind": "islamic",
            "is_confirmed": "on",
        },
    )

    assert response.status_code == 302, response.content[:2000]
    assert is_working_day(D(2026, 6, 16))
    assert not is_working_day(D(2026, 6, 17))
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE)
    assert event.changes["fields"]["date"] == {"from": "2026-06-16", "to": "2026-06-17"}
