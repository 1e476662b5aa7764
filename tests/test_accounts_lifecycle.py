"""The account journeys of seeds 000 and 004 over HTTP: activation, recovery by email and
SMS, lock-out, restoring an initial code, profile and password change, the audit trail."""

from __future__ import annotations

import statistics
import time
from typing import Any

import pytest

from chalicelib.accounts.rules import Role
from chalicelib.core.models import OutboxModel
from chalicelib.core.store import bound
from tests.account_fixtures import (
    PARENT_CIN,
    PARENT_CODE,
    PUPIL,
    PUPIL_CODE,
    seed_parent,
    seed_pupil,
    token_for,
)
from tests.conftest import Api

STRONG = "Vert-Atlas#2031-ok"
OTHER_STRONG = "Sable+Oasis*7790b"


def login(api: Api, username: str, password: str) -> Any:
    return api.post("/v1/auth/login", {"username": username, "password": password})


def activate(api: Api, username: str, code: str, password: str = STRONG, **profile: str) -> Any:
    return api.post(
        "/v1/auth/activate",
        {"username": username, "initial_code": code, "new_password": password, **profile},
    )


def outbox_for(recipient: str) -> list[OutboxModel]:
    return list(bound(OutboxModel).by_recipient.query(recipient))


def activated_parent(api: Api) -> None:
    seed_parent()
    answer = activate(
        api, PARENT_CIN, PARENT_CODE, email="hassan@example.ma", phone="06 61 23 45 67"
    )
    assert answer.status_code == 200, answer.body


# --- activation ---------------------------------------------------------------------------


def test_a_pupil_activates_with_the_initial_code_then_signs_in(api: Api) -> None:
    seed_pupil()
    assert login(api, PUPIL, PUPIL_CODE).json_body["error"]["code"] == "activation_required"
    answer = activate(api, f"{PUPIL.lower()}@taalim.ma", PUPIL_CODE, email="amina@example.ma")
    assert answer.status_code == 200, answer.body
    assert answer.json_body["account"] == {"username": PUPIL, "role": "student", "status": "active"}
    assert login(api, PUPIL, STRONG).status_code == 200
    # The initial code is spent: it neither signs in nor activates again.
    assert login(api, PUPIL, PUPIL_CODE).status_code == 401
    assert activate(api, PUPIL, PUPIL_CODE, OTHER_STRONG).status_code == 401


def test_activation_reports_every_password_problem(api: Api) -> None:
    seed_pupil()
    answer = activate(api, PUPIL, PUPIL_CODE, "amina2011")
    assert answer.status_code == 422
    error = answer.json_body["error"]
    assert error["code"] == "weak_password"
    assert set(error["fields"]) == {
        "new_password.too_short",
        "new_password.needs_symbols",
        "new_password.contains_name",
    }
    arabic = api.post(
        "/v1/auth/activate",
        {"username": PUPIL, "initial_code": PUPIL_CODE, "new_password": "العلوي-04032011"},
        headers={"Accept-Language": "ar"},
    )
    fields = arabic.json_body["error"]["fields"]
    assert fields["new_password.contains_name"] == "يجب ألا تحتوي على اسمك العائلي أو الشخصي"
    assert "new_password.contains_birth_date" in fields
    assert login(api, PUPIL, PUPIL_CODE).status_code == 403  # still pending: nothing written


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Password2024!", "common_password"),
        ("Ibn-Battouta#2031", "contains_school_name"),
        ("x-J130012345-y!", "contains_identifier"),
        ("aaaaaaaaaaaaaaaaaaaaaaa", "needs_digits"),
    ],
)
def test_the_password_rule(api: Api, password: str, reason: str) -> None:
    seed_pupil()
    answer = activate(api, PUPIL, PUPIL_CODE, password)
    assert answer.status_code == 422
    assert f"new_password.{reason}" in answer.json_body["error"]["fields"]


def test_a_parent_must_leave_a_contact_and_a_real_mobile(api: Api) -> None:
    seed_parent()
    answer = activate(api, PARENT_CIN, PARENT_CODE)
    assert answer.status_code == 422
    assert set(answer.json_body["error"]["fields"]) == {"email", "phone"}
    bad_phone = activate(api, PARENT_CIN, PARENT_CODE, phone="0522123456")
    assert bad_phone.json_body["error"]["fields"] == {
        "phone": "numéro de mobile marocain attendu (06…, 07…, +212…)"
    }
    answer = activate(api, PARENT_CIN.lower(), PARENT_CODE, phone="+212 6 61 23 45 67")
    assert answer.status_code == 200
    me = api.get("/v1/me", token=answer.json_body["access_token"]).json_body
    assert me["profile"]["phone"] == "+212661234567"
    assert me["children"] == [{"massar_code": PUPIL}]


def test_pupil_and_parent_may_share_the_massar_code_as_username(api: Api) -> None:
    seed_pupil()
    seed_parent(username=f"{PUPIL}#parent", profile={"first_name": "Hassan"})
    pupil = activate(api, PUPIL, PUPIL_CODE)
    parent = activate(api, PUPIL, PARENT_CODE, OTHER_STRONG, email="p@example.ma")
    assert pupil.json_body["account"]["role"] == "student"
    assert parent.json_body["account"] == {"username": PUPIL, "role": "parent", "status": "active"}
    assert login(api, PUPIL, OTHER_STRONG).json_body["account"]["role"] == "parent"
    assert login(api, f"{PUPIL}@taalim.ma", STRONG).json_body["account"]["role"] == "student"
    assert login(api, f"{PUPIL}@taalim.ma", OTHER_STRONG).status_code == 401


# --- recovery -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("channel", "typed", "recipient"),
    [("email", "Hassan@Example.ma", "hassan@example.ma"), ("sms", "0661234567", "+212661234567")],
)
def test_recovery_journey(api: Api, pump: Any, channel: str, typed: str, recipient: str) -> None:
    activated_parent(api)
    asked = api.post(
        "/v1/auth/password/forgot", {"username": PARENT_CIN, "channel": channel, "contact": typed}
    )
    assert (asked.status_code, asked.json_body) == (202, {"status": "accepted"})
    [item] = [i for i in outbox_for(recipient) if i.template == "recovery_password"]
    assert item.channel == channel
    recovery = item.secret_params.as_dict()["recovery_password"]  # type: ignore[union-attr]
    pump.drain()
    from devserver.outbox import sent_messages

    [_sent] = [m for m in sent_messages() if m["to"] == recipient and recovery in m["body"]]
    # Signing in with it only says the password must change; the old one still works.
    assert login(api, PARENT_CIN, recovery).json_body["error"]["code"] == "password_expired"
    assert login(api, PARENT_CIN, STRONG).status_code == 200
    reset = api.post(
        "/v1/auth/password/reset",
        {"username": PARENT_CIN, "recovery_password": recovery, "new_password": OTHER_STRONG},
    )
    assert reset.status_code == 200, reset.body
    assert login(api, PARENT_CIN, STRONG).status_code == 401
    assert login(api, PARENT_CIN, OTHER_STRONG).status_code == 200
    again = api.post(
        "/v1/auth/password/reset",
        {"username": PARENT_CIN, "recovery_password": recovery, "new_password": STRONG + "x"},
    )
    assert again.status_code == 401  # single use


def test_a_recovery_password_expires(api: Api, monkeypatch: Any) -> None:
    activated_parent(api)
    api.post(
        "/v1/auth/password/forgot",
        {"username": PARENT_CIN, "channel": "email", "contact": "hassan@example.ma"},
    )
    [item] = [i for i in outbox_for("hassan@example.ma") if i.template == "recovery_password"]
    recovery = item.secret_params.as_dict()["recovery_password"]  # type: ignore[union-attr]
    later = time.time() + 601
    monkeypatch.setattr("chalicelib.accounts.sign_in.service.epoch", lambda: later)
    assert login(api, PARENT_CIN, recovery).status_code == 401
    reset = api.post(
        "/v1/auth/password/reset",
        {"username": PARENT_CIN, "recovery_password": recovery, "new_password": OTHER_STRONG},
    )
    assert reset.status_code == 401


def test_recovery_never_tells_whether_an_account_or_contact_exists(
    api: Api, monkeypatch: Any
) -> None:
    from chalicelib.accounts import recovery as accounts
    from chalicelib.core.throttling import RateLimit

    # Production's hashing cost, which is what makes the paths' timings alike.
    monkeypatch.setenv("ARGON2_MEMORY_KIB", "47104")
    from chalicelib.core.config import reset_settings

    reset_settings()
    # Enough room for several timed rounds; the limits have their own test.
    for name in ("RECOVERIES_PER_ACCOUNT", "RECOVERIES_PER_CONTACT", "RECOVERIES_PER_SOURCE"):
        limit = getattr(accounts, name)
        monkeypatch.setattr(accounts, name, RateLimit(limit.name, 100))
    activated_parent(api)
    cases = {
        "match": {"username": PARENT_CIN, "channel": "email", "contact": "hassan@example.ma"},
        "wrong contact": {"username": PARENT_CIN, "channel": "email", "contact": "x@example.ma"},
        "unknown user": {"username": "ZZ999999", "channel": "email", "contact": "x@example.ma"},
    }
    timings: dict[str, list[float]] = {name: [] for name in cases}
    answers = {}
    for _ in range(5):
        for name, body in cases.items():
            started = time.perf_counter()
            answer = api.post("/v1/auth/password/forgot", body)
            timings[name].append(time.perf_counter() - started)
            answers[name] = (answer.status_code, answer.json_body)
    assert answers["match"] == answers["wrong contact"] == answers["unknown user"]
    assert answers["match"] == (202, {"status": "accepted"})
    medians = {name: statistics.median(t) for name, t in timings.items()}
    # Each path hashes a password: within a factor of 2 of each other, never "instant".
    assert max(medians.values()) < 2 * min(medians.values()), medians
    assert (
        len([i for i in outbox_for("hassan@example.ma") if i.template == "recovery_password"]) == 5
    )


def test_recovery_is_throttled_per_account(api: Api) -> None:
    activated_parent(api)
    body = {"username": PARENT_CIN, "channel": "email", "contact": "hassan@example.ma"}
    for _ in range(3):
        assert api.post("/v1/auth/password/forgot", body).status_code == 202
    # Past the account's budget nothing is sent, with the same answer (issue 13, finding 4).
    assert api.post("/v1/auth/password/forgot", body).status_code == 202
    assert (
        len([i for i in outbox_for("hassan@example.ma") if i.template == "recovery_password"]) == 3
    )


# --- lock-out -----------------------------------------------------------------------------


def test_lockout_after_five_failures_and_its_end(api: Api, monkeypatch: Any) -> None:
    activated_parent(api)
    for _ in range(5):
        assert login(api, PARENT_CIN, "wrong-password-1!").status_code == 401
    locked = login(api, PARENT_CIN, STRONG)  # even the right password waits
    assert locked.status_code == 429
    assert locked.json_body["error"]["code"] == "too_many_attempts"
    assert 0 < int(locked.headers["Retry-After"]) <= 30
    # Unknown usernames lock the same way: a lock-out reveals nothing.
    for _ in range(5):
        login(api, "QQ111111", "wrong-password-1!")
    assert login(api, "QQ111111", "wrong-password-1!").status_code == 429
    # A locked account can still recover.
    forgot = {"username": PARENT_CIN, "channel": "email", "contact": "hassan@example.ma"}
    assert api.post("/v1/auth/password/forgot", forgot).status_code == 202
    later = time.time() + 31
    monkeypatch.setattr("chalicelib.accounts.sign_in.service.epoch", lambda: later)
    assert login(api, PARENT_CIN, STRONG).status_code == 200
    # Success clears the count: the next failure starts again from one.
    assert login(api, PARENT_CIN, "wrong-password-1!").status_code == 401
    assert login(api, PARENT_CIN, STRONG).status_code == 200


def test_delays_grow_with_each_failure_past_five(api: Api, monkeypatch: Any) -> None:
    activated_parent(api)
    clock = [time.time()]
    monkeypatch.setattr("chalicelib.accounts.sign_in.service.epoch", lambda: clock[0])
    waits = []
    for _ in range(4):
        while True:
            answer = login(api, PARENT_CIN, "wrong-password-1!")
            if answer.status_code == 429:
                waits.append(int(answer.headers["Retry-After"]))
                clock[0] += waits[-1]
                break
    assert waits == [30, 60, 120, 240]


# --- restoring an initial code ------------------------------------------------------------


def test_staff_restore_a_pupils_initial_code(api: Api) -> None:
    seed_pupil()
    signed_in = activate(api, PUPIL, PUPIL_CODE)
    refresh = signed_in.json_body["refresh_token"]
    staff = token_for(Role.STAFF, "dir.school", "SC0001")
    answer = api.post(f"/v1/accounts/{PUPIL}/initial-code", token=staff)
    assert answer.status_code == 200, answer.body
    assert answer.json_body["status"] == "pending_activation"
    assert answer.json_body["letter_url"].startswith("https://")
    assert login(api, PUPIL, STRONG).status_code == 401  # the old password is gone
    assert api.post("/v1/auth/refresh", {"refresh_token": refresh}).status_code == 401
    letter = _letter_text(answer.json_body["letter_url"])
    new_code = letter.split("Code initial : ")[1].split()[0]
    assert login(api, PUPIL, new_code).json_body["error"]["code"] == "activation_required"
    assert activate(api, PUPIL, new_code, OTHER_STRONG).status_code == 200


def test_another_school_cannot_restore_the_code(api: Api) -> None:
    seed_pupil()
    other = token_for(Role.STAFF, "dir.other", "SC0999")
    assert api.post(f"/v1/accounts/{PUPIL}/initial-code", token=other).status_code == 404
    parent = token_for(Role.PARENT, PARENT_CIN)
    assert api.post(f"/v1/accounts/{PUPIL}/initial-code", token=parent).status_code == 403


def _letter_text(url: str) -> str:
    from urllib.parse import unquote, urlparse

    import pypdfium2

    from chalicelib.core.config import settings
    from chalicelib.core.files import read

    path = unquote(urlparse(url).path).lstrip("/")
    key = path.removeprefix(settings().media_bucket + "/")
    document = pypdfium2.PdfDocument(read(key))
    return str(document[0].get_textpage().get_text_range())


# --- profile and password change ----------------------------------------------------------


def test_changing_the_email_tells_the_previous_one(api: Api) -> None:
    activated_parent(api)
    from tests.test_pupil_record import confirmation_code

    token = login(api, PARENT_CIN, STRONG).json_body["access_token"]
    answer = api.call(
        "PATCH",
        "/v1/me",
        {"email": "new@example.ma", "language": "ar", "current_password": STRONG},
        token=token,
    )
    assert answer.status_code == 200
    assert answer.json_body["pending_contacts"]["email"] == "new@example.ma"
    assert answer.json_body["language"] == "ar"
    code = confirmation_code("new@example.ma")
    confirmed = api.post("/v1/me/contacts/confirm", {"channel": "email", "code": code}, token=token)
    assert confirmed.json_body["profile"]["email"] == "new@example.ma"
    [notice] = [i for i in outbox_for("hassan@example.ma") if i.template != "contact_confirmation"]
    assert notice.template == "contact_changed"
    assert notice.params.as_dict()["changed"] == "email"  # type: ignore[union-attr]
    refused = api.call("PATCH", "/v1/me", {"role": "ops"}, token=token)
    assert refused.status_code == 422


def test_password_change(api: Api) -> None:
    activated_parent(api)
    pair = login(api, PARENT_CIN, STRONG).json_body
    token = pair["access_token"]
    wrong = api.post(
        "/v1/auth/password/change",
        {"current_password": "nope-nope-nope-1!", "new_password": OTHER_STRONG},
        token=token,
    )
    assert wrong.status_code == 401
    weak = api.post(
        "/v1/auth/password/change",
        {"current_password": STRONG, "new_password": "short"},
        token=token,
    )
    assert weak.status_code == 422
    done = api.post(
        "/v1/auth/password/change",
        {"current_password": STRONG, "new_password": OTHER_STRONG},
        token=token,
    )
    assert done.status_code == 204
    assert login(api, PARENT_CIN, STRONG).status_code == 401
    assert login(api, PARENT_CIN, OTHER_STRONG).status_code == 200
    assert api.post("/v1/auth/refresh", {"refresh_token": pair["refresh_token"]}).status_code == 401


# --- audit --------------------------------------------------------------------------------


def test_operators_read_the_security_events_of_one_account(api: Api, ops_token: str) -> None:
    activated_parent(api)
    login(api, PARENT_CIN, "wrong-password-1!")
    api.post(
        "/v1/auth/password/forgot",
        {"username": PARENT_CIN, "channel": "email", "contact": "hassan@example.ma"},
        headers={"User-Agent": "Mozilla/5.0 test"},
    )
    answer = api.get(f"/v1/accounts/{PARENT_CIN}/audit", token=ops_token)
    assert answer.status_code == 200
    events = [e["event"] for e in answer.json_body["items"]]
    assert events == ["recovery_asked", "sign_in_failed", "activated"]
    newest = answer.json_body["items"][0]
    assert newest["actor"] == PARENT_CIN and newest["source_ip"]
    assert newest["user_agent"] == "Mozilla/5.0 test"
    page = api.get(f"/v1/accounts/{PARENT_CIN}/audit?limit=2", token=ops_token).json_body
    assert len(page["items"]) == 2 and page["next_cursor"]
    rest = api.get(
        f"/v1/accounts/{PARENT_CIN}/audit?limit=2&cursor={page['next_cursor']}", token=ops_token
    ).json_body
    assert [e["event"] for e in rest["items"]] == ["activated"]
    staff = token_for(Role.STAFF, "dir.school")
    assert api.get(f"/v1/accounts/{PARENT_CIN}/audit", token=staff).status_code == 403


def test_a_parent_sees_children_linked_by_letters_and_by_approved_registrations(
    api: Api,
) -> None:
    from chalicelib.core.transactions import Transaction
    from chalicelib.pupils import store as pupils

    activated_parent(api)  # the letters linked J130012345
    transaction = Transaction()
    pupils.add_pupil(
        transaction,
        "K140000001",
        {
            "first_name_ar": "سلمى",
            "last_name_ar": "العلوي",
            "first_name_lat": "Salma",
            "last_name_lat": "El Alaoui",
            "school_code": "EP0007",
        },
        {"father": {"cin": PARENT_CIN}},
        PARENT_CIN,
        {"account_key": PARENT_CIN},
    )
    transaction.commit()
    token = login(api, PARENT_CIN, STRONG).json_body["access_token"]
    children = api.get("/v1/me", token=token).json_body["children"]
    assert children == [
        {"massar_code": PUPIL},
        {
            "massar_code": "K140000001",
            "first_name_ar": "سلمى",
            "last_name_ar": "العلوي",
            "first_name_lat": "Salma",
            "last_name_lat": "El Alaoui",
            "school_code": "EP0007",
        },
    ]


def test_password_changes_are_published_for_the_taalim_mailbox(api: Api, pump: Any) -> None:
    import json

    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.sns.models import sns_backends

    from chalicelib.core.config import settings

    seed_pupil()
    activate(api, PUPIL, PUPIL_CODE)
    token = login(api, PUPIL, STRONG).json_body["access_token"]
    changed = api.post(
        "/v1/auth/password/change",
        {"current_password": STRONG, "new_password": OTHER_STRONG},
        token=token,
    )
    assert changed.status_code == 204
    pump.drain()
    pump.drain()  # a replayed delivery publishes nothing twice
    topic = sns_backends[DEFAULT_ACCOUNT_ID]["eu-west-3"].topics[settings().events_topic_arn]
    events = [json.loads(message[1]) for message in topic.sent_notifications]
    assert [(e["event"], e["username"], e["role"]) for e in events] == [
        ("password_changed", PUPIL, "student"),  # activation sets the first password
        ("password_changed", PUPIL, "student"),
    ]
    assert all("password" not in key for e in events for key in e if key != "event")
