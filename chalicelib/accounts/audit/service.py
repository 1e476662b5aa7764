"""An account's security events, shown to the operators who manage the account."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalicelib.core.errors import NotFound

if TYPE_CHECKING:
    from chalicelib.accounts.sign_in.tokens import Principal


def require_managed(principal: Principal, username: str) -> None:
    """NotFound unless the account exists and the caller manages it (its trail is as hidden
    as the account)."""
    from chalicelib.accounts.store import get_account
    from chalicelib.core.access import may_manage_account

    target = get_account(username)
    if target is None or not may_manage_account(principal, target):
        raise NotFound("account")


def events(
    username: str, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """One account's events, newest first, a page at a time; ValueError for a cursor made
    for another account, or of any other shape."""
    from chalicelib.accounts.audit import store

    return store.list_entries(username, limit, cursor)
