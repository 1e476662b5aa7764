"""Bodies of signing in and renewing a session: the token pair and the account it names."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from chalicelib.core.identifiers import public_username
from chalicelib.core.schemas import AnswerBody, RequestBody

if TYPE_CHECKING:
    from chalicelib.accounts.sign_in.service import SignedIn


class LoginRequest(RequestBody):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class RefreshRequest(RequestBody):
    refresh_token: str = Field(min_length=1, max_length=256)


class AccountSummary(AnswerBody):
    username: str
    role: Literal["parent", "student", "staff", "ops"]
    status: Literal["pending_activation", "active", "disabled"]


class TokenPair(AnswerBody):
    access_token: str
    refresh_token: str
    expires_in: int = Field(description="seconds until the access token expires")
    account: AccountSummary


def token_pair(signed_in: SignedIn) -> TokenPair:
    """The answer of a sign-in, an activation or a reset: the session's tokens and whose."""
    account = signed_in.account
    return TokenPair(
        access_token=signed_in.access_token,
        refresh_token=signed_in.refresh_token,
        expires_in=signed_in.expires_in,
        account=AccountSummary(
            username=public_username(account.username),
            role=account.role.value,
            status=account.status.value,
        ),
    )
