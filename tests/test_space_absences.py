"""Absences (issue 6): staff record a session in one call, idempotently; an unjustified
absence alerts the responsible guardian by SMS through the outbox (quiet hours hold it) and
shows at once in the parents' view."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest

from chalicelib.notifications.rules import Channel, Contact, Language
from tests.clock import casablanca_on, casablanca_today, school_year_day, school_year_of
from tests.notifications_support import make_visible, queue_messages, record, sent, use_settings
from tests.space_absences_fixtures import (
    CLASS,
    CLASSMATE,
    FATHER_EMAIL,
    FATHER_PHONE,
    OTHER_PUPIL,
    PUPIL,
    SCHOOL,
    absence_day,
    seed_class,
    token,
)
from tests.space_absences_fixtures import (
    record as record_sheet,
)


@pytest.fixture
def world(api: Any) -> Any:
    seed_class()
    return api


def at(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    """The delivery's clock (the absence itself is recorded on the app's own)."""
    monkeypatch.setattr("chalicelib.notifications.delivery.now", lambda: moment)


def on_absence_day(hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in Casablanca on the default sheet's day."""
    return casablanca_on(absence_day(), hour, minute)


def alert_id() -> str:
    from chalicelib.school_life.absences.service import alert_id as make

    day = absence_day()
    return make(PUPIL, f"ABSENCE#{school_year_of(day)}#{day.isoformat()}#08:00-09:00")


def absences_of(api: Any, caller: str = "a linked parent", massar: str = PUPIL) -> Any:
    answer = api.get(f"/v1/students/{massar}/absences", token=token(caller))
    assert answer.status_code == 200, answer.body
    return answer.json_body["items"]


def test_an_unjustified_absence_shows_at_once_and_alerts_the_responsible_guardian(
    world: Any, pump: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, on_absence_day(11))  # no quiet hours
    day = absence_day()
    answer = record_sheet(world)
    assert answer.status_code == 200, answer.body
    [recorded] = answer.json_body["absences"]
    assert recorded["massar_code"] == PUPIL
    assert recorded["created"] and recorded["alerted"] and not recorded["justified"]

    # The parents' view shows it before any message goes out (seed 002).
    [shown] = absences_of(world)
    assert shown == {
        "id": recorded["id"],
        "date": day.isoformat(),
        "session": "08:00-09:00",
        "subject": "Mathématiques",
        "justified": False,
    }

    # The alert was written with the absence: template, params, the responsible guardian's
    # phone, in their language.
    queued = record(alert_id()).notification
    assert queued.template == "absence_unjustified"
    assert queued.channel is Channel.SMS
    assert queued.recipient == FATHER_PHONE
    assert queued.language is Language.AR
    assert queued.fallback == Contact(Channel.EMAIL, FATHER_EMAIL)
    assert queued.params == {
        "child_name": "أمينة العلوي",
        "date": day.isoformat(),
        "session": "08:00-09:00",
        "subject": "Mathématiques",
    }

    pump.drain()
    [sms] = sent("sms")
    assert sms["to"] == FATHER_PHONE
    assert day.strftime("%d/%m/%Y") in sms["body"] and "08:00-09:00" in sms["body"]


def test_recording_the_same_session_twice_writes_and_alerts_once(
    world: Any, pump: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, on_absence_day(11))
    first = record_sheet(world)
    again = record_sheet(world)
    assert first.status_code == again.status_code == 200, again.body
    [second] = again.json_body["absences"]
    assert second["id"] == first.json_body["absences"][0]["id"]
    assert not second["created"] and not second["alerted"]
    assert len(absences_of(world)) == 1
    pump.drain()
    assert len(sent("sms")) == 1


def test_a_justified_absence_sends_nothing_and_a_pupil_without_phone_is_still_recorded(
    world: Any, pump: Any
) -> None:
    answer = record_sheet(
        world,
        absent=[
            {"massar_code": PUPIL, "justified": True, "reason": "certificat médical"},
            {"massar_code": CLASSMATE, "justified": False},
        ],
    )
    assert answer.status_code == 200, answer.body
    assert [a["alerted"] for a in answer.json_body["absences"]] == [False, False]
    [shown] = absences_of(world)
    assert shown["justified"] is True and shown["reason"] == "certificat médical"
    assert len(absences_of(world, "staff of the school", CLASSMATE)) == 1
    pump.drain()
    assert sent("sms") == []


def days(*month_day: tuple[int, int]) -> list[str]:
    """Days of the last school year (June: of the one before), all in the past."""
    return [
        school_year_day(2 if month < 9 else 1, month, day).isoformat() for month, day in month_day
    ]


def test_the_view_lists_newest_first_in_one_query(world: Any) -> None:
    october, november, june = days((10, 5), (11, 20), (6, 10))
    record_sheet(world, date=october, session="10:00-11:00", subject=None)
    record_sheet(world, date=november, session="14:00-15:00")
    record_sheet(world, date=june)  # the school year before
    shown = absences_of(world, "the pupil")
    assert [(a["date"], a["session"]) for a in shown] == [
        (november, "14:00-15:00"),
        (october, "10:00-11:00"),
        (june, "08:00-09:00"),
    ]
    assert "subject" not in shown[1]


def test_the_view_pages_and_filters_by_school_year(world: Any) -> None:
    june, october, november_20, november_23 = days((6, 10), (10, 5), (11, 20), (11, 23))
    for day in (june, october, november_20, november_23):
        record_sheet(world, date=day)
    parent = token("a linked parent")
    first = world.get(f"/v1/students/{PUPIL}/absences?limit=2", token=parent)
    assert [a["date"] for a in first.json_body["items"]] == [november_23, november_20]
    cursor = first.json_body["next_cursor"]
    rest = world.get(f"/v1/students/{PUPIL}/absences?limit=2&cursor={cursor}", token=parent)
    assert [a["date"] for a in rest.json_body["items"]] == [october, june]
    june_year = school_year_of(date.fromisoformat(june))
    year = world.get(f"/v1/students/{PUPIL}/absences?school_year={june_year}", token=parent)
    assert [a["date"] for a in year.json_body["items"]] == [june]
    for wrong in ("school_year=2026", "limit=0", "cursor=nope"):
        answer = world.get(f"/v1/students/{PUPIL}/absences?{wrong}", token=parent)
        assert answer.status_code == 422, (wrong, answer.body)


def test_quiet_hours_hold_the_absence_sms_until_the_morning(
    world: Any, pump: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalicelib.core.config import settings

    use_settings(monkeypatch, QUIET_HOURS="21:00-07:00")
    record_sheet(world, session="17:00-18:00")
    at(monkeypatch, on_absence_day(22, 30))
    pump.drain()
    assert sent("sms") == []
    [held] = queue_messages(settings().notify_queue_url)
    assert held["body"]["template"] == "absence_unjustified" and held["delay_seconds"] >= 890
    # ...and the parents already see it.
    assert absences_of(world)[0]["justified"] is False

    morning = casablanca_on(absence_day() + timedelta(days=1), 7)
    at(monkeypatch, morning + timedelta(seconds=1))
    make_visible(settings().notify_queue_url)
    pump.drain()
    [sms] = sent("sms")
    assert sms["to"] == FATHER_PHONE


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"absent": [{"massar_code": OTHER_PUPIL, "justified": False}]}, "absent.0.massar_code"),
        (
            {"absent": [{"massar_code": PUPIL}, {"massar_code": PUPIL}]},
            "absent.1.massar_code",
        ),
        ({"session": "8h-9h"}, "session"),
        ({"date": "2026-02-30"}, "date"),  # no such day: a fixed label, never compared
    ],
)
def test_a_wrong_sheet_is_refused_whole(world: Any, change: dict[str, Any], field: str) -> None:
    answer = record_sheet(world, **change)
    assert answer.status_code == 422, answer.body
    assert field in answer.json_body["error"]["fields"]
    assert absences_of(world) == []


def test_a_day_still_to_come_is_refused(world: Any) -> None:
    # The app's today, read when the test runs (not when the cases are collected); two days
    # ahead is still ahead if the test runs across midnight.
    answer = record_sheet(world, date=casablanca_today(2).isoformat())
    assert answer.status_code == 422, answer.body
    assert answer.json_body["error"]["fields"] == {"date": "date à venir"}
    assert absences_of(world) == []


def test_only_staff_of_the_school_record(world: Any) -> None:
    path = f"/v1/schools/{SCHOOL}/classes/{CLASS}/absences"
    from tests.space_absences_fixtures import sheet

    for caller, status in (
        ("staff of another school", 403),
        ("an operator", 403),
        ("a linked parent", 403),
        ("the pupil", 403),
    ):
        answer = world.post(path, sheet(), token=token(caller))
        assert answer.status_code == status, (caller, answer.body)
    assert world.post(path, sheet()).status_code == 401
    unknown = world.post(
        f"/v1/schools/{SCHOOL}/classes/9AC-9/absences", sheet(), token=token("staff of the school")
    )
    assert unknown.status_code == 404
    assert absences_of(world) == []
