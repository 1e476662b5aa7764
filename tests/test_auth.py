"""Signing in, staying signed in, signing out, and what the authorizer lets through."""

from __future__ import annotations

import time
from typing import Any

import jwt

from tests.conftest import OPS_PASSWORD, OPS_USERNAME, Api, sent_emails


def login(api: Api, username: str = OPS_USERNAME, password: str = OPS_PASSWORD) -> Any:
    return api.post("/v1/auth/login", {"username": username, "password": password})


def test_the_bootstrap_operator_signs_in(api: Api, ops_token: str) -> None:
    answer = login(api)
    assert answer.status_code == 200
    body = answer.json_body
    assert body["account"] == {"username": OPS_USERNAME, "role": "ops", "status": "active"}
    assert body["expires_in"] == 300
    assert body["access_token"].count(".") == 2
    assert body["refresh_token"]


def test_wrong_password_and_unknown_user_get_the_same_answer(api: Api, ops_token: str) -> None:
    wrong = login(api, password="not-the-password-at-all")
    unknown = login(api, username="nobody.here", password="not-the-password-at-all")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json_body == unknown.json_body
    assert wrong.json_body["error"]["code"] == "invalid_credentials"


def test_an_initial_code_never_signs_in(api: Api, ops_token: str, pump: Any) -> None:
    created = api.post(
        "/v1/staff",
        {
            "username": "dir.bennani",
            "school_code": "SC0001",
            "first_name": "Karim",
            "last_name": "Bennani",
            "email": "karim@example.ma",
        },
        token=ops_token,
    )
    assert created.status_code == 201
    pump.drain()
    letter = next(m for m in sent_emails() if m["to"] == "karim@example.ma")
    code = letter["body"].split("Code initial : ")[1].split()[0]
    answer = login(api, "dir.bennani", code)
    assert answer.status_code == 403
    assert answer.json_body["error"]["code"] == "activation_required"


def test_refresh_rotates_and_the_old_token_stops_working(api: Api, ops_token: str) -> None:
    first = login(api).json_body
    rotated = api.post("/v1/auth/refresh", {"refresh_token": first["refresh_token"]})
    assert rotated.status_code == 200
    second = rotated.json_body
    assert second["refresh_token"] != first["refresh_token"]
    assert second["account"]["username"] == OPS_USERNAME

    replay = api.post("/v1/auth/refresh", {"refresh_token": first["refresh_token"]})
    assert replay.status_code == 401
    assert replay.json_body["error"]["code"] == "invalid_token"
    # A rotated token presented again means it was copied: the whole session ends.
    after_reuse = api.post("/v1/auth/refresh", {"refresh_token": second["refresh_token"]})
    assert after_reuse.status_code == 401


def test_logout_ends_the_session(api: Api, ops_token: str) -> None:
    pair = login(api).json_body
    answer = api.post(
        "/v1/auth/logout", {"refresh_token": pair["refresh_token"]}, token=pair["access_token"]
    )
    assert answer.status_code == 204
    assert api.post("/v1/auth/refresh", {"refresh_token": pair["refresh_token"]}).status_code == 401


def test_garbage_refresh_tokens_are_401(api: Api) -> None:
    for token in ("x", "a.b", "." * 10, "f" * 32 + ".secret"):
        answer = api.post("/v1/auth/refresh", {"refresh_token": token})
        assert answer.status_code == 401, token


def _forge(claims: dict[str, Any], key: str) -> str:
    return jwt.encode(claims, key, algorithm="HS256", headers={"kid": "dev"})


def test_signed_in_routes_refuse_missing_expired_and_forged_tokens(
    api: Api, ops_token: str
) -> None:
    staff = {
        "username": "x.y.z",
        "school_code": "SC0001",
        "first_name": "A",
        "last_name": "B",
        "email": "a@example.ma",
    }
    assert api.post("/v1/staff", staff).status_code == 401
    now = int(time.time())
    claims = {"iss": "massar", "aud": "massar-api", "sub": OPS_USERNAME, "role": "ops"}
    from chalicelib.core.config import settings

    key = settings().jwt_secret or ""
    expired = _forge({**claims, "iat": now - 3600, "exp": now - 60}, key)
    forged = _forge({**claims, "iat": now, "exp": now + 600}, "some-other-key-of-sufficient-len")
    for token in (expired, forged, "not-a-jwt"):
        answer = api.post("/v1/staff", staff, token=token)
        assert answer.status_code == 401, token
        assert answer.json_body["error"]["code"] == "not_signed_in"


def test_staff_cannot_create_staff(api: Api, ops_token: str) -> None:
    from chalicelib.accounts.rules import Account, AccountStatus, Role, Scope
    from chalicelib.accounts.sign_in.tokens import issue_access_token

    staff_token = issue_access_token(
        Account("dir.x", Role.STAFF, AccountStatus.ACTIVE, Scope(school_code="SC0001"))
    )
    answer = api.post(
        "/v1/staff",
        {
            "username": "dir.y",
            "school_code": "SC0001",
            "first_name": "A",
            "last_name": "B",
            "email": "a@example.ma",
        },
        token=staff_token,
    )
    assert answer.status_code == 403
    assert answer.json_body["error"]["code"] == "forbidden"


def test_a_username_is_created_once(api: Api, ops_token: str) -> None:
    body = {
        "username": "dir.once",
        "school_code": "SC0001",
        "first_name": "A",
        "last_name": "B",
        "email": "once@example.ma",
    }
    assert api.post("/v1/staff", body, token=ops_token).status_code == 201
    again = api.post("/v1/staff", {**body, "email": "other@example.ma"}, token=ops_token)
    assert again.status_code == 409
    assert again.json_body["error"]["code"] == "already_exists"
