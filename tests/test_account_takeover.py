"""A stolen session is not a stolen account (issue 13, finding 3): a new email or phone
needs the current password and the code sent to it before recovery may use it, the old one
is told, and access tokens outlive a logout by 5 minutes at most."""

from __future__ import annotations

import time
from typing import Any

from tests.account_fixtures import PARENT_CIN
from tests.conftest import Api
from tests.test_accounts_lifecycle import STRONG, activated_parent, login, outbox_for
from tests.test_pupil_record import confirmation_code

OLD = "hassan@example.ma"
NEW = "thief@example.ma"


def recoveries_to(recipient: str) -> int:
    return len([i for i in outbox_for(recipient) if i.template == "recovery_password"])


def forgot(api: Api, contact: str) -> Any:
    return api.post(
        "/v1/auth/password/forgot",
        {"username": PARENT_CIN, "channel": "email", "contact": contact},
    )


def test_a_new_email_needs_the_password_and_its_code_before_recovery_uses_it(api: Api) -> None:
    activated_parent(api)
    token = login(api, PARENT_CIN, STRONG).json_body["access_token"]
    patch = {"email": NEW}
    # The session alone is not enough.
    bare = api.call("PATCH", "/v1/me", patch, token=token)
    assert bare.status_code == 422
    assert set(bare.json_body["error"]["fields"]) == {"current_password"}
    wrong = api.call(
        "PATCH", "/v1/me", {**patch, "current_password": "not-it-at-all-1!"}, token=token
    )
    assert wrong.status_code == 422
    assert not outbox_for(NEW)
    asked = api.call("PATCH", "/v1/me", {**patch, "current_password": STRONG}, token=token)
    assert asked.status_code == 200, asked.body
    assert asked.json_body["profile"]["email"] == OLD  # unchanged until the code comes back
    assert asked.json_body["pending_contacts"]["email"] == NEW
    # Until confirmed, recovery goes to the old address only.
    assert forgot(api, NEW).status_code == 202
    assert recoveries_to(NEW) == 0
    code = confirmation_code(NEW)
    bad = api.post("/v1/me/contacts/confirm", {"channel": "email", "code": "000000"}, token=token)
    if code != "000000":
        assert bad.status_code == 422
        assert bad.json_body["error"]["fields"] == {"code": "code incorrect"}
    done = api.post("/v1/me/contacts/confirm", {"channel": "email", "code": code}, token=token)
    assert done.status_code == 200, done.body
    assert done.json_body["profile"]["email"] == NEW
    assert "email" not in done.json_body["pending_contacts"]
    told = [i.template for i in outbox_for(OLD)]
    assert "contact_changed" in told
    assert forgot(api, NEW).status_code == 202
    assert recoveries_to(NEW) == 1
    # The code is spent.
    again = api.post("/v1/me/contacts/confirm", {"channel": "email", "code": code}, token=token)
    assert again.status_code == 422


def test_five_wrong_codes_drop_the_change(api: Api) -> None:
    activated_parent(api)
    token = login(api, PARENT_CIN, STRONG).json_body["access_token"]
    api.call("PATCH", "/v1/me", {"phone": "0712345678", "current_password": STRONG}, token=token)
    code = confirmation_code("+212712345678")
    wrong = "111111" if code != "111111" else "222222"
    for _ in range(5):
        answer = api.post("/v1/me/contacts/confirm", {"channel": "sms", "code": wrong}, token=token)
        assert answer.status_code == 422
    late = api.post("/v1/me/contacts/confirm", {"channel": "sms", "code": code}, token=token)
    assert late.status_code == 422
    assert api.get("/v1/me", token=token).json_body["profile"]["phone"] == "+212661234567"


def test_the_current_password_cannot_be_guessed_from_a_session(api: Api) -> None:
    """Finding 9: password change and contact change share a per-account counter."""
    activated_parent(api)
    token = login(api, PARENT_CIN, STRONG).json_body["access_token"]
    body = {"current_password": "guess-guess-guess-1!", "new_password": "Autre-Chemin#4421x"}
    for _ in range(5):
        assert api.post("/v1/auth/password/change", body, token=token).status_code == 401
    locked = api.post("/v1/auth/password/change", body, token=token)
    assert locked.status_code == 429
    assert int(locked.headers["Retry-After"]) > 0
    # Even the right one waits; signing in is not locked (a thief cannot lock the owner out).
    right = {**body, "current_password": STRONG}
    assert api.post("/v1/auth/password/change", right, token=token).status_code == 429
    assert login(api, PARENT_CIN, STRONG).status_code == 200


def test_an_access_token_outlives_a_logout_by_five_minutes_at_most(
    api: Api, monkeypatch: Any
) -> None:
    from chalicelib.accounts.sign_in import tokens

    activated_parent(api)
    pair = login(api, PARENT_CIN, STRONG).json_body
    assert pair["expires_in"] <= 300
    logout = {"refresh_token": pair["refresh_token"]}
    assert api.post("/v1/auth/logout", logout, token=pair["access_token"]).status_code == 204
    # A token signed six minutes ago (as one stolen before the logout) no longer works.
    six_minutes_ago = time.time() - 360
    monkeypatch.setattr(tokens, "epoch", lambda: six_minutes_ago)
    old = login(api, PARENT_CIN, STRONG).json_body["access_token"]
    monkeypatch.undo()
    assert api.get("/v1/me", token=old).status_code == 401
