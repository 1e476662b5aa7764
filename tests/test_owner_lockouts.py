"""Lock-outs stop guessing, not the owner (issue 13, finding 4): a valid recovery password
resets a locked username, wrong-contact requests do not spend the owner's recoveries, and a
busy source address (a school, a carrier's NAT) never refuses the right password."""

from __future__ import annotations

from typing import Any

from chalicelib.core.throttling import RateLimit
from tests.account_fixtures import PARENT_CIN
from tests.conftest import Api
from tests.test_accounts_lifecycle import (
    OTHER_STRONG,
    STRONG,
    activated_parent,
    login,
    outbox_for,
)

EMAIL = "hassan@example.ma"


def recoveries() -> list[str]:
    return [
        i.secret_params.as_dict()["recovery_password"]  # type: ignore[union-attr]
        for i in outbox_for(EMAIL)
        if i.template == "recovery_password"
    ]


def forgot(api: Api, contact: str = EMAIL, username: str = PARENT_CIN) -> Any:
    return api.post(
        "/v1/auth/password/forgot",
        {"username": username, "channel": "email", "contact": contact},
    )


def test_a_locked_username_still_resets_with_its_recovery_password(api: Api) -> None:
    activated_parent(api)
    for _ in range(6):
        login(api, PARENT_CIN, "someone-guessing-1!")
    assert login(api, PARENT_CIN, STRONG).status_code == 429  # the lock holds for sign-in
    assert forgot(api).status_code == 202
    [recovery] = recoveries()
    wrong = {"username": PARENT_CIN, "recovery_password": "guess", "new_password": OTHER_STRONG}
    assert api.post("/v1/auth/password/reset", wrong).status_code == 429  # guessing still waits
    reset = api.post(
        "/v1/auth/password/reset",
        {"username": PARENT_CIN, "recovery_password": recovery, "new_password": OTHER_STRONG},
    )
    assert reset.status_code == 200, reset.body
    assert reset.json_body["access_token"]


def test_wrong_contacts_do_not_spend_the_owners_recoveries(api: Api) -> None:
    activated_parent(api)
    for n in range(3):  # someone trying contacts for this username
        assert forgot(api, f"guess{n}@example.ma").status_code == 202
    assert forgot(api, EMAIL, username="ZZ999999").status_code == 202  # and other usernames
    assert forgot(api).status_code == 202
    assert len(recoveries()) == 1  # the owner's own request was sent


def test_past_the_owners_budget_the_answer_is_the_same_and_nothing_is_sent(api: Api) -> None:
    activated_parent(api)
    answers = [forgot(api) for _ in range(4)]
    assert [a.status_code for a in answers] == [202] * 4  # a 429 here would confirm the contact
    assert len(recoveries()) == 3


def test_a_busy_source_never_refuses_the_right_password(api: Api, monkeypatch: Any) -> None:
    from chalicelib.accounts.sign_in import service as auth

    monkeypatch.setattr(auth, "SIGN_IN_FAILURES_PER_SOURCE", RateLimit("signin-src", 3))
    activated_parent(api)
    for n in range(3):  # others behind the same address mistype
        body = {"username": f"ZZ00000{n}", "password": "wrong-password-1!"}
        assert api.post("/v1/auth/login", body).status_code == 401
    assert login(api, PARENT_CIN, STRONG).status_code == 200  # the owner gets in
    # Guessing from the busy source: one failure per username, then it waits.
    assert login(api, "YY111111", "wrong-password-1!").status_code == 401
    slowed = login(api, "YY111111", "wrong-password-2!")
    assert slowed.status_code == 429
    assert int(slowed.headers["Retry-After"]) > 0
    assert login(api, PARENT_CIN, STRONG).status_code == 200
