"""Issue 14, finding 5: random secrets (initial codes, recovery passwords) are hashed with a
keyed HMAC-SHA256, passwords people choose with argon2id, and every sign-in costs at most
one argon2 computation — also for a bare Massar code, which names both the pupil's and the
parent's account."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from chalicelib.accounts.rules import Account, AccountStatus, Role, Scope
from tests.account_fixtures import PUPIL, SCHOOL, seed_pupil
from tests.conftest import Api

PUPIL_PASSWORD = "Soleil-Marrakech-2026!"
PARENT_PASSWORD = "Atlas-Montagne-Bleue-77"
PUPIL_CODE = "Hn4kW8pQzt"
PARENT_CODE = "Rb6mX2cVyd"


@pytest.fixture
def argon2_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every argon2 computation (hash or verify), however it is reached (the dummy hash a
    miss is checked against is made once per container, before counting)."""
    import argon2._password_hasher as hasher
    import argon2.low_level as low_level

    from chalicelib.core.secrets import _dummy_hash

    _dummy_hash()

    seen: list[str] = []
    for module in (hasher, low_level):
        for name in ("hash_secret", "verify_secret"):
            real = getattr(module, name)

            def counted(*args: Any, _real: Any = real, _name: str = name, **kwargs: Any) -> Any:
                seen.append(_name)
                return _real(*args, **kwargs)

            monkeypatch.setattr(module, name, counted)
    yield seen


def _pending(username: str, role: Role, code: str, **profile: str) -> None:
    from chalicelib.accounts.store import create_account
    from chalicelib.core.secrets import hash_random_secret

    create_account(
        Account(
            username=username,
            role=role,
            status=AccountStatus.PENDING_ACTIVATION,
            scope=Scope(school_code=SCHOOL),
            initial_code_hash=hash_random_secret(code),
            profile=dict(profile),
            massar_code=PUPIL if role is Role.STUDENT else None,
            children=(PUPIL,) if role is Role.PARENT else (),
        )
    )


def _activate(api: Api, username: str, code: str, password: str, **profile: str) -> None:
    answer = api.post(
        "/v1/auth/activate",
        {"username": username, "initial_code": code, "new_password": password, **profile},
    )
    assert answer.status_code == 200, answer.body


def _login(api: Api, username: str, password: str) -> Any:
    return api.post("/v1/auth/login", {"username": username, "password": password})


def _stored(username: str) -> Account:
    from chalicelib.accounts.store import get_account

    account = get_account(username)
    assert account is not None
    return account


def test_issued_codes_and_recovery_passwords_are_hmacs_passwords_argon2(
    api: Api, ops_token: str, argon2_calls: list[str]
) -> None:
    argon2_calls.clear()
    staff = api.post(
        "/v1/staff",
        {
            "username": "dir.hmac",
            "school_code": SCHOOL,
            "first_name": "Salma",
            "last_name": "Tazi",
            "email": "salma@example.ma",
        },
        token=ops_token,
    )
    assert staff.status_code == 201, staff.body
    assert argon2_calls == []  # the initial code is hashed without argon2
    assert (_stored("dir.hmac").initial_code_hash or "").startswith("hmac-sha256$")

    _pending(PUPIL, Role.STUDENT, PUPIL_CODE, first_name="Amina")
    _activate(api, PUPIL, PUPIL_CODE, PUPIL_PASSWORD, email="amina@example.ma")
    pupil = _stored(PUPIL)
    assert (pupil.password_hash or "").startswith("$argon2id$")
    asked = api.post(
        "/v1/auth/password/forgot",
        {"username": PUPIL, "channel": "email", "contact": "amina@example.ma"},
    )
    assert asked.status_code == 202
    assert (_stored(PUPIL).recovery_hash or "").startswith("hmac-sha256$")


def test_hashes_stored_before_still_verify(api: Api) -> None:
    seed_pupil()  # its initial code hashed with argon2id, as before this change
    from tests.account_fixtures import PUPIL_CODE as OLD_CODE

    assert (_stored(PUPIL).initial_code_hash or "").startswith("$argon2id$")
    refused = _login(api, PUPIL, OLD_CODE)
    assert refused.json_body["error"]["code"] == "activation_required"
    _activate(api, PUPIL, OLD_CODE, PUPIL_PASSWORD)
    assert _login(api, PUPIL, PUPIL_PASSWORD).status_code == 200


def test_every_sign_in_with_a_bare_massar_code_costs_one_argon2(
    api: Api, argon2_calls: list[str]
) -> None:
    from chalicelib.core.identifiers import parent_key_for_pupil

    parent = parent_key_for_pupil(PUPIL)
    _pending(PUPIL, Role.STUDENT, PUPIL_CODE, first_name="Amina")
    _pending(parent, Role.PARENT, PARENT_CODE, first_name="Hassan")
    # A pending pair: the initial codes are HMACs, no password yet.
    argon2_calls.clear()
    assert _login(api, PUPIL, PARENT_CODE).json_body["error"]["code"] == "activation_required"
    assert len(argon2_calls) == 1, argon2_calls  # the one every sign-in spends

    _activate(api, PUPIL, PUPIL_CODE, PUPIL_PASSWORD)
    _activate(api, PUPIL, PARENT_CODE, PARENT_PASSWORD, email="hassan@example.ma")
    # The two password hashes share their salt: one computation checks both.
    assert _stored(PUPIL).password_hash != _stored(parent).password_hash
    for password, who in ((PUPIL_PASSWORD, "student"), (PARENT_PASSWORD, "parent")):
        argon2_calls.clear()
        answer = _login(api, PUPIL, password)
        assert answer.status_code == 200, answer.body
        assert answer.json_body["account"]["role"] == who
        assert len(argon2_calls) == 1, (who, argon2_calls)
    for username, password in ((PUPIL, "Not-the-password-2026"), ("J199999999", PUPIL_PASSWORD)):
        argon2_calls.clear()
        assert _login(api, username, password).status_code == 401
        assert len(argon2_calls) == 1, argon2_calls  # a miss costs the same one hash


def test_a_changed_password_keeps_the_shared_salt(api: Api, argon2_calls: list[str]) -> None:
    from chalicelib.core.identifiers import parent_key_for_pupil

    _pending(PUPIL, Role.STUDENT, PUPIL_CODE, first_name="Amina")
    _pending(parent_key_for_pupil(PUPIL), Role.PARENT, PARENT_CODE, first_name="Hassan")
    _activate(api, PUPIL, PUPIL_CODE, PUPIL_PASSWORD)
    _activate(api, PUPIL, PARENT_CODE, PARENT_PASSWORD, email="hassan@example.ma")
    token = _login(api, PUPIL, PUPIL_PASSWORD).json_body["access_token"]
    new = "Oasis-Dunes-Sahara-2027"
    changed = api.post(
        "/v1/auth/password/change",
        {"current_password": PUPIL_PASSWORD, "new_password": new},
        token=token,
    )
    assert changed.status_code in (200, 204), changed.body
    argon2_calls.clear()
    assert _login(api, PUPIL, new).status_code == 200
    assert _login(api, PUPIL, PARENT_PASSWORD).status_code == 200
    assert len(argon2_calls) == 2, argon2_calls  # one per sign-in
