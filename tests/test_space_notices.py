"""The family is told when the school acts (issue 17): a reply to their message, a declined
appointment, a decided justification — written once in the change's transaction, to the
account that asked, in its language; never for a parent's own message or a school-only
thread; a burst of replies is one notice until the parent reads the thread."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.accounts.rules import Account, AccountStatus, Role, Scope
from tests.conftest import Api
from tests.space_fixtures import PARENT, PARENT_EMAIL, PUPIL, seed_world, token


def notices(template: str) -> list[Any]:
    from chalicelib.core.models import OutboxModel
    from chalicelib.core.store import bound

    return [item for item in bound(OutboxModel).scan() if item.template == template]


def write(api: Api, caller: str, body: str = "Bonjour") -> None:
    answer = api.post(f"/v1/students/{PUPIL}/messages", {"body": body}, token=token(caller))
    assert answer.status_code == 201, answer.body


def parent(username: str, language: str, **contacts: str) -> str:
    """An active parent of PUPIL with these contacts and language; their access token."""
    from chalicelib.accounts.sign_in.tokens import issue_access_token
    from chalicelib.accounts.store import create_account

    account = Account(
        username,
        Role.PARENT,
        AccountStatus.ACTIVE,
        Scope(),
        language=language,
        profile=dict(contacts),
        children=(PUPIL,),
    )
    create_account(account)
    return issue_access_token(account)


@pytest.fixture
def world(api: Api) -> None:
    seed_world()


def test_a_reply_tells_the_parent_who_wrote_once_until_read(
    api: Api, world: None, pump: Any
) -> None:
    write(api, "a linked parent", "Mon fils sera absent lundi.")
    assert notices("message_reply") == []  # the parent's own message tells nobody
    write(api, "staff of the school", "Bien reçu.")
    [notice] = notices("message_reply")
    assert notice.recipient == PARENT_EMAIL and notice.channel == "email"
    assert notice.language == "fr"
    assert notice.params.as_dict() == {
        "child_name": "Amina El Alaoui",
        "school_name": "Collège Ibn Battouta, Fès",
    }
    # A burst of replies before the parent reads: still one notice.
    write(api, "staff of the school", "Merci de passer signer le registre.")
    assert len(notices("message_reply")) == 1
    # The parent reads the thread: the next reply is told again.
    assert api.get(f"/v1/students/{PUPIL}/messages", token=token("a linked parent")).status_code
    write(api, "staff of the school", "Le registre est prêt.")
    assert len(notices("message_reply")) == 2
    pump.drain()
    from devserver.outbox import sent_messages

    told = [m for m in sent_messages() if m["to"] == PARENT_EMAIL]
    assert len(told) == 2 and "Amina El Alaoui" in told[0]["body"]


def test_no_notice_for_a_school_only_thread(api: Api, world: None) -> None:
    write(api, "staff of the school", "Réunion des parents jeudi.")
    write(api, "staff of the school", "Rappel : réunion jeudi.")
    assert notices("message_reply") == []


def test_the_reply_is_in_the_parents_language_and_not_urgent(api: Api, world: None) -> None:
    from chalicelib.notifications.templates import is_urgent

    other_parent = parent("EF778899", "ar", email="mere@example.ma", phone="+212661234567")
    answer = api.post(f"/v1/students/{PUPIL}/messages", {"body": "سؤال"}, token=other_parent)
    assert answer.status_code == 201
    write(api, "staff of the school", "جواب")
    [notice] = notices("message_reply")
    assert notice.recipient == "mere@example.ma" and notice.language == "ar"
    assert notice.params["child_name"] == "أمينة العلوي"
    assert notice.fallback_channel == "sms"
    assert not is_urgent("message_reply")


def test_a_declined_appointment_tells_the_requester_with_the_reason(api: Api, world: None) -> None:
    asked = api.post(
        f"/v1/students/{PUPIL}/appointments",
        {"purpose": "school_certificate"},
        token=token("a linked parent"),
    )
    appointment = asked.json_body["id"]
    declined = api.post(
        f"/v1/appointments/{appointment}/decline",
        {"reason": "Le certificat est prêt au secrétariat"},
        token=token("staff of the school"),
    )
    assert declined.status_code == 200, declined.body
    [notice] = notices("appointment_declined")
    assert notice.id == f"appointment-{appointment}-declined"
    assert notice.recipient == PARENT_EMAIL
    assert notice.params["note"] == "Le certificat est prêt au secrétariat"
    assert notice.params["purpose"] == "school_certificate"
    # Decided once: a second decision is refused and writes nothing more.
    again = api.post(
        f"/v1/appointments/{appointment}/decline",
        {"reason": "x"},
        token=token("staff of the school"),
    )
    assert again.status_code == 409
    assert len(notices("appointment_declined")) == 1


def test_a_justification_decision_tells_the_parent_who_sent_it(api: Api) -> None:
    from tests.space_absences_fixtures import record, seed_class

    seed_class()
    parent(PARENT, "ar", email=PARENT_EMAIL)
    absence = record(api).json_body["absences"][0]["id"]
    for verdict, body in (("refuse", {"reason": "Certificat illisible"}), ("accept", {})):
        sent = api.post(
            f"/v1/students/{PUPIL}/absences/{absence}/justification",
            {"text": "Rendez-vous médical"},
            token=token("a linked parent"),
        )
        assert sent.status_code == 201, sent.body
        decided = api.post(
            f"/v1/absences/{absence}/justification/{verdict}",
            body,
            token=token("staff of the school"),
        )
        assert decided.status_code == 200, decided.body
    refused, accepted = sorted(notices("justification_decided"), key=lambda n: n.created_at)
    assert refused.params["decision"] == "refused"
    assert refused.params["note"] == "Certificat illisible"
    assert accepted.params["decision"] == "accepted"
    for notice in (refused, accepted):
        assert notice.recipient == PARENT_EMAIL and notice.language == "ar"
        assert notice.params["child_name"] == "أمينة العلوي"
    # The pupil's absence alert went to the responsible guardian's phone, not this notice.
    assert {n.template for n in notices("absence_unjustified")} == {"absence_unjustified"}


def test_the_reply_follows_the_parents_preferences(api: Api, world: None) -> None:
    parent_token = parent("EF778899", "fr", email="mere@example.ma", phone="+212661234567")

    def choose(email: bool, sms: bool) -> None:
        body = {"preferences": {"messages": {"email": email, "sms": sms}}}
        answer = api.call("PUT", "/v1/me/notification-preferences", body, token=parent_token)
        assert answer.status_code == 200, answer.body

    def exchange() -> None:
        api.post(f"/v1/students/{PUPIL}/messages", {"body": "Question"}, token=parent_token)
        assert api.get(f"/v1/students/{PUPIL}/messages", token=parent_token).status_code == 200
        write(api, "staff of the school", "Réponse")

    choose(email=False, sms=True)
    exchange()
    [by_sms] = notices("message_reply")
    assert by_sms.channel == "sms" and by_sms.recipient == "+212661234567"
    assert by_sms.fallback_channel is None
    choose(email=False, sms=False)
    exchange()
    assert len(notices("message_reply")) == 1  # switched off: nothing written
