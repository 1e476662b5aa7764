"""Applying the password rule to a new password of a given account."""

from __future__ import annotations

from datetime import date

from chalicelib.accounts.passwords.common import is_common_password
from chalicelib.accounts.passwords.rules import PasswordContext, PasswordPolicy, password_problems
from chalicelib.accounts.rules import Account
from chalicelib.core.config import settings
from chalicelib.core.errors import WeakPassword
from chalicelib.core.identifiers import public_username


def _birth_date(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def context_of(account: Account, profile: dict[str, str] | None = None) -> PasswordContext:
    merged = {**account.profile, **(profile or {})}
    return PasswordContext(
        username=public_username(account.username),
        first_names=tuple(v for v in (merged.get("first_name"), merged.get("first_name_ar")) if v),
        last_names=tuple(v for v in (merged.get("last_name"), merged.get("last_name_ar")) if v),
        cin=merged.get("cin"),
        massar_code=account.massar_code or next(iter(account.children), None),
        birth_date=_birth_date(merged.get("birth_date")),
        school_name=tuple(v for v in (merged.get("school_name"),) if v),
    )


def check_new_password(
    account: Account, raw: str, field: str, profile: dict[str, str] | None = None
) -> None:
    """Raise WeakPassword with every reason (codes joined in `fields[field]`)."""
    problems = password_problems(
        raw,
        context_of(account, profile),
        PasswordPolicy(require_mix=settings().password_require_mix),
        is_common_password,
    )
    if problems:
        raise WeakPassword(fields={field: ",".join(problems)})
