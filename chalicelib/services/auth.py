"""Signing in and staying signed in: login, refresh, logout, and the bootstrap operator."""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.config import settings
from chalicelib.domain.accounts import (
    Account,
    AccountStatus,
    CredentialKind,
    Role,
    sign_in_allowed,
)
from chalicelib.domain.errors import AlreadyExists, InvalidCredentials, InvalidToken, WeakPassword
from chalicelib.domain.identifiers import normalise_username
from chalicelib.domain.passwords import password_problems
from chalicelib.services.secrets import digest, hash_secret, verify_secret
from chalicelib.services.tokens import RefreshToken, issue_access_token
from chalicelib.store import accounts as account_store
from chalicelib.store import sessions as session_store


@dataclass(frozen=True)
class SignedIn:
    access_token: str
    refresh_token: str
    expires_in: int
    account: Account


def _matched_credential(account: Account | None, password: str) -> CredentialKind | None:
    if account is None:
        verify_secret(None, password)  # same work as a real check: no timing oracle
        return None
    if account.password_hash and verify_secret(account.password_hash, password):
        return CredentialKind.PASSWORD
    if account.initial_code_hash and verify_secret(account.initial_code_hash, password):
        return CredentialKind.INITIAL_CODE
    return None


def start_session(account: Account) -> SignedIn:
    config = settings()
    refresh = RefreshToken.new()
    session_store.create_session(
        refresh.family_id,
        account.username,
        digest(refresh.secret),
        account.token_epoch,
        config.refresh_token_ttl_seconds,
    )
    return SignedIn(
        issue_access_token(account), str(refresh), config.access_token_ttl_seconds, account
    )


def login(username: str, password: str) -> SignedIn:
    """Two DynamoDB calls: read the account, write the session."""
    account = account_store.get_account(normalise_username(username))
    matched = _matched_credential(account, password)
    if account is None or matched is None:
        raise InvalidCredentials()
    sign_in_allowed(account, matched)
    return start_session(account)


def refresh_session(raw_token: str) -> SignedIn:
    """Rotate the refresh token: the presented one stops working, a new pair is returned."""
    presented = RefreshToken.parse(raw_token)
    successor = RefreshToken.new(presented.family_id)
    session = session_store.rotate_session(
        presented.family_id, digest(presented.secret), digest(successor.secret)
    )
    if session is None:
        raise InvalidToken("refresh token is not valid")
    account = account_store.get_account(session.username)
    if (
        account is None
        or account.status is not AccountStatus.ACTIVE
        or account.token_epoch != session.token_epoch
    ):
        session_store.revoke_session(presented.family_id)
        raise InvalidToken("refresh token is not valid")
    config = settings()
    return SignedIn(
        issue_access_token(account), str(successor), config.access_token_ttl_seconds, account
    )


def logout(raw_token: str, username: str) -> None:
    """End the session the refresh token belongs to (only the caller's own)."""
    try:
        presented = RefreshToken.parse(raw_token)
    except InvalidToken:
        return
    session = session_store.get_session(presented.family_id)
    if session is not None and session.username == username:
        session_store.revoke_session(presented.family_id)


def bootstrap_ops_account(username: str, password: str) -> bool:
    """Create the first national operator if it does not exist yet. True when created."""
    problems = password_problems(password)
    if problems:
        raise WeakPassword(fields={"password": ", ".join(problems)})
    account = Account(
        username=normalise_username(username),
        role=Role.OPS,
        status=AccountStatus.ACTIVE,
        password_hash=hash_secret(password),
    )
    try:
        account_store.create_account(account)
    except AlreadyExists:
        return False
    return True
