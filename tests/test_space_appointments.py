"""Certificate appointments over HTTP (seed 000): ask, list, approve with an emailed .ics,
decline, a decision is final, and who may do what."""

from __future__ import annotations

import email
from datetime import timedelta
from typing import Any

import pytest

from tests.clock import casablanca_at, ics_utc
from tests.conftest import Api
from tests.space_fixtures import (
    CALLERS,
    OTHER_SCHOOL,
    PARENT_EMAIL,
    PUPIL,
    SCHOOL,
    seed_world,
    token,
)

# A week from the test's today, 10:00 on the Casablanca clock of that date.
AT = casablanca_at(7, 10)
WHEN = AT.isoformat()


@pytest.fixture
def world(api: Api) -> None:
    seed_world()


def ask(api: Api, caller: str = "a linked parent", purpose: str = "school_certificate") -> str:
    answer = api.post(
        f"/v1/students/{PUPIL}/appointments",
        {"purpose": purpose, "note": "Pour la bourse"},
        token=token(caller),
    )
    assert answer.status_code == 201, answer.body
    assert answer.json_body["status"] == "pending"
    return str(answer.json_body["id"])


def raw_emails() -> list[Any]:
    from moto.ses.models import RawMessage, ses_backends

    found = []
    for backend in ses_backends.values():
        for region in backend.values():
            for sent in region.sent_messages:
                if isinstance(sent, RawMessage):
                    found.append(email.message_from_string(sent.raw_data))
    return found


def test_a_parent_asks_staff_approve_and_the_parent_gets_an_ics(
    api: Api, world: None, pump: Any
) -> None:
    appointment = ask(api)
    staff = token("staff of the school")
    pending = api.get(f"/v1/schools/{SCHOOL}/appointments?status=pending", token=staff)
    assert pending.status_code == 200, pending.body
    assert [a["id"] for a in pending.json_body["items"]] == [appointment]
    assert pending.json_body["items"][0]["note"] == "Pour la bourse"

    approved = api.post(
        f"/v1/appointments/{appointment}/approve", {"scheduled_at": WHEN}, token=staff
    )
    assert approved.status_code == 200, approved.body
    assert approved.json_body["status"] == "approved"

    mine = api.get(f"/v1/students/{PUPIL}/appointments", token=token("a linked parent"))
    assert mine.status_code == 200, mine.body
    [seen] = mine.json_body["items"]
    assert seen["status"] == "approved"
    assert seen["scheduled_at"].startswith(AT.strftime("%Y-%m-%dT10:00:00"))
    assert (
        api.get(f"/v1/schools/{SCHOOL}/appointments?status=pending", token=staff).json_body["items"]
        == []
    )
    decided = api.get(f"/v1/schools/{SCHOOL}/appointments?status=approved", token=staff)
    assert [a["id"] for a in decided.json_body["items"]] == [appointment]

    pump.drain()
    [mime] = [m for m in raw_emails() if PARENT_EMAIL in str(m["To"])]
    [ics] = [p for p in mime.walk() if p.get_filename() == "rendez-vous.ics"]
    assert ics.get_content_type() == "text/calendar"
    payload = ics.get_payload(decode=True)
    assert isinstance(payload, bytes)
    text = payload.decode("utf-8")
    assert "\r\n" in text and all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    unfolded = text.replace("\r\n ", "")
    assert "BEGIN:VEVENT" in unfolded
    assert f"DTSTART:{ics_utc(AT)}" in unfolded
    assert f"DTEND:{ics_utc(AT + timedelta(minutes=30))}" in unfolded
    assert "LOCATION:Collège Ibn Battouta\\, Fès" in unfolded

    from devserver.outbox import sent_messages

    [shown] = [m for m in sent_messages() if m.get("to") == PARENT_EMAIL]
    assert [a["filename"] for a in shown["attachments"]] == ["rendez-vous.ics"]


def test_a_decision_is_final(api: Api, world: None) -> None:
    staff = token("staff of the school")
    appointment = ask(api, "the pupil", "meeting")
    declined = api.post(
        f"/v1/appointments/{appointment}/decline", {"reason": "Venez vendredi"}, token=staff
    )
    assert declined.status_code == 200, declined.body
    assert declined.json_body["status"] == "declined"
    again = api.post(f"/v1/appointments/{appointment}/approve", {"scheduled_at": WHEN}, token=staff)
    assert again.status_code == 409
    assert again.json_body["error"]["code"] == "already_decided"
    seen = api.get(f"/v1/students/{PUPIL}/appointments", token=token("the pupil"))
    assert seen.json_body["items"][0]["reason"] == "Venez vendredi"


def test_a_date_needs_an_offset(api: Api, world: None) -> None:
    appointment = ask(api)
    answer = api.post(
        f"/v1/appointments/{appointment}/approve",
        {"scheduled_at": AT.replace(tzinfo=None).isoformat()},
        token=token("staff of the school"),
    )
    assert answer.status_code == 422
    assert "scheduled_at" in answer.json_body["error"]["fields"]
    past = api.post(
        f"/v1/appointments/{appointment}/approve",
        {"scheduled_at": casablanca_at(-1, 10).isoformat()},  # yesterday: the app's past
        token=token("staff of the school"),
        headers={"Accept-Language": "fr"},
    )
    assert past.status_code == 422
    assert past.json_body["error"]["fields"]["scheduled_at"] == "date déjà passée"


ASK = {
    "the pupil": 201,
    "a linked parent": 201,
    "a parent of another child": 404,
    "staff of the school": 404,
    "staff of another school": 404,
    "an operator": 404,
    "anonymous": 401,
}
LIST = {**ASK, "the pupil": 200, "a linked parent": 200, "staff of the school": 200}
SCHOOL_LIST = {
    caller: 200 if caller == "staff of the school" else 401 if caller == "anonymous" else 404
    for caller in CALLERS
}


@pytest.mark.parametrize("caller", list(CALLERS))
def test_who_may_ask_list_and_decide(api: Api, world: None, caller: str) -> None:
    who = CALLERS[caller]()
    asked = api.post(f"/v1/students/{PUPIL}/appointments", {"purpose": "meeting"}, token=who)
    assert asked.status_code == ASK[caller], asked.body
    listed = api.get(f"/v1/students/{PUPIL}/appointments", token=who)
    assert listed.status_code == LIST[caller], listed.body
    school = api.get(f"/v1/schools/{SCHOOL}/appointments", token=who)
    assert school.status_code == SCHOOL_LIST[caller], school.body
    appointment = ask(api)
    decided = api.post(f"/v1/appointments/{appointment}/decline", {"reason": "x"}, token=who)
    assert decided.status_code == SCHOOL_LIST[caller], decided.body
    assert api.get(f"/v1/schools/{OTHER_SCHOOL}/appointments", token=who).status_code == (
        401 if caller == "anonymous" else 200 if caller == "staff of another school" else 404
    )
