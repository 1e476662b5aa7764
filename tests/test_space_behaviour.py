"""Behaviour notes (issue 17, seed 002): staff of the pupil's school write them, the pupil
and the linked parents read them, the responsible guardian is told at once (SMS, email as
fallback, quiet hours apply); parents choose per kind and channel what they receive, and
absences and decisions cannot be switched off."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from chalicelib.accounts.rules import Role
from chalicelib.notifications.rules import Channel, Contact, Language
from tests.account_fixtures import token_for
from tests.clock import casablanca_on, casablanca_today
from tests.notifications_support import make_visible, queue_messages, sent, use_settings
from tests.space_absences_fixtures import (
    CALLERS,
    FATHER_EMAIL,
    FATHER_PHONE,
    OTHER_PUPIL,
    OTHER_SCHOOL,
    PUPIL,
    seed_class,
    token,
)
from tests.space_absences_fixtures import record as record_absences

PREFERENCES = "/v1/me/notification-preferences"


@pytest.fixture
def world(api: Any) -> Any:
    seed_class()
    return api


def at(monkeypatch: pytest.MonkeyPatch, hour: int, days_ahead: int = 0) -> None:
    moment = casablanca_on(casablanca_today(days_ahead), hour)
    monkeypatch.setattr("chalicelib.notifications.delivery.now", lambda: moment)


def note(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "misconduct",
        "date": casablanca_today(-1).isoformat(),
        "description": "A bousculé un camarade dans l'escalier.",
        "action": "Entretien avec le surveillant général.",
    }
    body.update(changes)
    return body


def add(api: Any, caller: str = "staff of the school", massar: str = PUPIL, **kw: Any) -> Any:
    value = CALLERS[caller]()
    return api.post(f"/v1/students/{massar}/behaviour", note(**kw), token=value)


def notes(api: Any, caller: str, massar: str = PUPIL) -> Any:
    return api.get(f"/v1/students/{massar}/behaviour", token=CALLERS[caller]())


def outbox_of(notification_id: str) -> Any:
    from chalicelib.notifications.store import get_record

    return get_record(notification_id)


def alert_of(massar: str, created: dict[str, Any]) -> Any:
    from datetime import date

    from chalicelib.school_life.behaviour.rules import alert_id, note_sk

    sk = note_sk(date.fromisoformat(created["date"]), created["id"])
    return outbox_of(alert_id(massar, sk))


def test_staff_write_a_note_the_family_reads_it_and_the_guardian_is_told(
    world: Any, pump: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, 11)
    answer = add(world)
    assert answer.status_code == 201, answer.body
    created = answer.json_body
    assert created["kind"] == "misconduct" and created["notified"] is True
    for caller in ("the pupil", "a linked parent", "staff of the school"):
        listed = notes(world, caller)
        assert listed.status_code == 200, (caller, listed.body)
        [shown] = listed.json_body["items"]
        assert shown["id"] == created["id"]
        assert shown["description"].startswith("A bousculé")
        assert shown["action"] == "Entretien avec le surveillant général."
    queued = alert_of(PUPIL, created).notification
    assert queued.template == "behaviour_note"
    assert (queued.channel, queued.recipient, queued.language) == (
        Channel.SMS,
        FATHER_PHONE,
        Language.AR,
    )
    assert queued.fallback == Contact(Channel.EMAIL, FATHER_EMAIL)
    pump.drain()
    [sms] = sent("sms")
    assert sms["to"] == FATHER_PHONE and "مخالفة للنظام الداخلي" in sms["body"]


def test_the_same_idempotency_key_writes_one_note(world: Any) -> None:
    staff = token("staff of the school")
    key = {"Idempotency-Key": "behaviour-1"}
    path = f"/v1/students/{PUPIL}/behaviour"
    first = world.post(path, note(), token=staff, headers=key)
    again = world.post(path, note(), token=staff, headers=key)
    assert first.status_code == again.status_code == 201
    assert first.json_body == again.json_body
    assert len(notes(world, "a linked parent").json_body["items"]) == 1


@pytest.mark.parametrize(
    ("caller", "read", "write"),
    [
        ("the pupil", 200, 403),
        ("a linked parent", 200, 403),
        ("staff of the school", 200, 201),
        ("a parent of another child", 404, 404),
        ("staff of another school", 404, 404),
        ("an operator", 404, 404),
        ("anonymous", 401, 401),
    ],
)
def test_who_reads_and_writes_notes(world: Any, caller: str, read: int, write: int) -> None:
    assert notes(world, caller).status_code == read
    assert add(world, caller).status_code == write


def test_a_director_of_school_b_never_reaches_school_a_s_pupils(world: Any) -> None:
    director_b = token_for(Role.STAFF, "dir.b", OTHER_SCHOOL)
    own = world.post(f"/v1/students/{OTHER_PUPIL}/behaviour", note(), token=director_b)
    assert own.status_code == 201, own.body
    assert world.get(f"/v1/students/{OTHER_PUPIL}/behaviour", token=director_b).status_code == 200
    assert add(world).status_code == 201  # school A writes one of its own
    path = f"/v1/students/{PUPIL}/behaviour"
    assert world.get(path, token=director_b).status_code == 404
    assert world.post(path, note(), token=director_b).status_code == 404
    assert len(notes(world, "a linked parent").json_body["items"]) == 1


def test_notes_are_checked(world: Any) -> None:
    for wrong, field in (
        ({"kind": "bad_mood"}, "kind"),
        ({"date": casablanca_today(1).isoformat()}, "date"),
        ({"description": ""}, "description"),
    ):
        answer = add(world, **wrong)
        assert answer.status_code == 422, (wrong, answer.body)
        assert field in answer.json_body["error"]["fields"], answer.body


def test_the_note_sms_waits_for_the_end_of_quiet_hours(
    world: Any, pump: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalicelib.core.config import settings

    use_settings(monkeypatch, QUIET_HOURS="21:00-07:00")
    at(monkeypatch, 22)
    assert add(world).status_code == 201
    pump.drain()
    assert sent("sms") == []
    [held] = queue_messages(settings().notify_queue_url)
    assert held["body"]["template"] == "behaviour_note"
    at(monkeypatch, 7, days_ahead=1)
    monkeypatch.setattr(
        "chalicelib.notifications.delivery.now",
        lambda: casablanca_on(casablanca_today(1), 7) + timedelta(seconds=1),
    )
    make_visible(settings().notify_queue_url)
    pump.drain()
    assert [m["to"] for m in sent("sms")] == [FATHER_PHONE]


# --- Preferences ---------------------------------------------------------------------------


def test_preferences_default_to_everything_on_and_only_parents_have_them(world: Any) -> None:
    answer = world.get(PREFERENCES, token=token("a linked parent"))
    assert answer.status_code == 200, answer.body
    table = answer.json_body["preferences"]
    assert table["behaviour"] == {"email": True, "sms": True}
    assert set(table) >= {"behaviour", "marks_drop", "messages", "appointments", "homework"}
    assert set(answer.json_body["locked"]) == {"absences", "decisions"}
    for caller in ("the pupil", "staff of the school", "an operator"):
        assert world.get(PREFERENCES, token=token(caller)).status_code == 403, caller


def test_absences_and_decisions_cannot_be_switched_off(world: Any) -> None:
    parent = token("a linked parent")
    for kind in ("absences", "decisions"):
        body = {"preferences": {kind: {"email": True, "sms": False}}}
        answer = world.call("PUT", PREFERENCES, body, token=parent)
        assert answer.status_code == 422, answer.body
        assert f"preferences.{kind}.sms" in answer.json_body["error"]["fields"]
    unknown = world.call("PUT", PREFERENCES, {"preferences": {"gossip": {}}}, token=parent)
    assert unknown.status_code == 422


def test_a_switched_off_kind_sends_nothing_and_absences_still_go(
    world: Any, pump: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, 11)
    off = {"preferences": {"behaviour": {"email": False, "sms": False}}}
    answer = world.call("PUT", PREFERENCES, off, token=token("a linked parent"))
    assert answer.status_code == 200, answer.body
    assert answer.json_body["preferences"]["behaviour"] == {"email": False, "sms": False}
    assert world.get(PREFERENCES, token=token("a linked parent")).json_body == answer.json_body
    created = add(world)
    assert created.status_code == 201 and created.json_body["notified"] is False
    assert alert_of(PUPIL, created.json_body) is None
    assert record_absences(world).status_code == 200
    pump.drain()
    [sms] = sent("sms")  # the absence only
    assert sms["to"] == FATHER_PHONE and "مسار: غياب" in sms["body"]
    assert sent("email") == []


def test_a_switched_off_channel_sends_on_the_other(
    world: Any, pump: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, 11)
    off = {"preferences": {"behaviour": {"sms": False}}}
    assert world.call("PUT", PREFERENCES, off, token=token("a linked parent")).status_code == 200
    created = add(world, kind="praise")
    queued = alert_of(PUPIL, created.json_body).notification
    assert (queued.channel, queued.recipient, queued.fallback) == (
        Channel.EMAIL,
        FATHER_EMAIL,
        None,
    )
    pump.drain()
    assert sent("sms") == []
    [email] = sent("email")
    assert email["to"] == FATHER_EMAIL
