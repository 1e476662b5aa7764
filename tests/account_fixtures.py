"""Accounts as a school would have issued them, for tests of what happens next."""

from __future__ import annotations

from typing import Any

from chalicelib.accounts.rules import Account, AccountStatus, Role, Scope
from chalicelib.accounts.sign_in.tokens import issue_access_token
from chalicelib.accounts.store import create_account
from chalicelib.core.secrets import hash_secret

PUPIL = "J130012345"
PUPIL_CODE = "Pk7mP9qRst"
PARENT_CIN = "AB123456"
PARENT_CODE = "Qw3rTy8uZx"
SCHOOL = "SC0001"
PUPIL_PROFILE = {
    "first_name": "Amina",
    "last_name": "El Alaoui",
    "first_name_ar": "أمينة",
    "last_name_ar": "العلوي",
    "birth_date": "2011-03-04",
    "school_name": "Collège Ibn Battouta",
}


def seed(
    username: str,
    role: Role,
    *,
    initial_code: str | None = None,
    password: str | None = None,
    profile: dict[str, str] | None = None,
    school_code: str | None = SCHOOL,
    massar_code: str | None = None,
    children: tuple[str, ...] = (),
) -> Account:
    account = Account(
        username=username,
        role=role,
        status=AccountStatus.ACTIVE if password else AccountStatus.PENDING_ACTIVATION,
        scope=Scope(school_code=school_code),
        password_hash=hash_secret(password) if password else None,
        initial_code_hash=hash_secret(initial_code) if initial_code else None,
        profile=dict(profile or {}),
        massar_code=massar_code,
        children=children,
    )
    create_account(account)
    return account


def seed_pupil(**changes: Any) -> Account:
    """The pupil's account, and the pupil's record at the school (every pupil account is a
    pupil's, and staff reach it through the record's enrolment)."""
    from tests.enrolment_fixtures import record_at

    massar = changes.get("massar_code", PUPIL)
    school = changes.get("school_code", SCHOOL)
    if massar and school:
        record_at(massar, school)
    return seed(
        changes.pop("username", PUPIL),
        Role.STUDENT,
        initial_code=changes.pop("initial_code", PUPIL_CODE),
        profile=changes.pop("profile", PUPIL_PROFILE),
        massar_code=changes.pop("massar_code", PUPIL),
        **changes,
    )


def seed_parent(**changes: Any) -> Account:
    return seed(
        changes.pop("username", PARENT_CIN),
        Role.PARENT,
        initial_code=changes.pop("initial_code", PARENT_CODE),
        profile=changes.pop(
            "profile", {"first_name": "Hassan", "last_name": "El Alaoui", "cin": PARENT_CIN}
        ),
        children=changes.pop("children", (PUPIL,)),
        **changes,
    )


def token_for(role: Role, username: str, school_code: str | None = SCHOOL) -> str:
    """An access token as the authorizer would accept it (no sign-in needed)."""
    scope = Scope(school_code=school_code if role is Role.STAFF else None)
    return issue_access_token(Account(username, role, AccountStatus.ACTIVE, scope))
