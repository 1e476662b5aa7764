"""Signing in and staying signed in: login (with lock-out), refresh, logout, bootstrap."""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.accounts import store as account_store
from chalicelib.accounts.audit.rules import AuditEntry, Origin, SecurityEvent
from chalicelib.accounts.passwords.rules import password_problems
from chalicelib.accounts.rules import (
    Account,
    AccountStatus,
    CredentialKind,
    Role,
    sign_in_allowed,
)
from chalicelib.accounts.sign_in import store as session_store
from chalicelib.accounts.sign_in.tokens import RefreshToken, issue_access_token
from chalicelib.accounts.store import Changes, SignInSnapshot
from chalicelib.core import throttles_store as throttle_store
from chalicelib.core.clock import epoch
from chalicelib.core.config import settings
from chalicelib.core.errors import (
    AlreadyExists,
    Conflict,
    InvalidCredentials,
    InvalidToken,
    TooManyAttempts,
    WeakPassword,
)
from chalicelib.core.identifiers import normalise_username, sign_in_keys
from chalicelib.core.secrets import digest, hash_secret, verify_any
from chalicelib.core.throttling import (
    HOT_SOURCE_LIMITS,
    SIGN_IN_FAILURES_PER_SOURCE,
    FailureLimits,
    after_failure,
    hot_source_failure_key,
    in_window,
    retry_after,
    sign_in_failure_key,
)

LIMITS = FailureLimits()


@dataclass(frozen=True)
class SignedIn:
    access_token: str
    refresh_token: str
    expires_in: int
    account: Account


def matched_credentials(
    accounts: list[Account | None], password: str, now: float
) -> list[CredentialKind | None]:
    """Which secret of each candidate account the password is (a password first, then an
    initial code, then a recovery password), for one argon2 computation in all: random
    secrets are HMACs, and a pupil and a parent who share a username share their password
    hash's salt (`secrets.hash_secret`), so `verify_any` checks both with one. An unknown
    username, or accounts with no password yet, cost that same one hash."""
    hashes: list[str | None] = []
    slots: list[tuple[int, CredentialKind]] = []
    for index, account in enumerate(accounts):
        if account is None:
            continue
        recovery = account.recovery_hash if account.recovery_valid(now) else None
        for kind, stored in (
            (CredentialKind.PASSWORD, account.password_hash),
            (CredentialKind.INITIAL_CODE, account.initial_code_hash),
            (CredentialKind.RECOVERY_PASSWORD, recovery),
        ):
            if stored:
                hashes.append(stored)
                slots.append((index, kind))
    found: list[CredentialKind | None] = [None] * len(accounts)
    for (index, kind), matched in zip(slots, verify_any(hashes, password), strict=True):
        if matched and found[index] is None:
            found[index] = kind
    return found


@dataclass(frozen=True)
class Attempt:
    """A sign-in style attempt (login, activation, reset): its candidates and counters."""

    keys: list[str]
    snapshot: SignInSnapshot
    source_key: str
    origin: Origin
    moment: int
    # The source passed its hourly failures: it is no longer refused outright (a school's or
    # a carrier's shared address), but each username gets one failure from it, then delays.
    hot_source: bool = False

    def candidates(self) -> list[tuple[str, Account | None]]:
        return [(key, self.snapshot.accounts.get(key)) for key in self.keys]


def open_attempt(username: str, origin: Origin, username_lock: bool = True) -> Attempt:
    """Read the candidate accounts and their counters (one call) and refuse at once when the
    username is locked out, or locked for a source past its hourly failures (neither when
    `username_lock` is False: a reset with a recovery password, which only the owner
    receives, and which cannot be guessed). A busy source alone is never refused: people
    behind one address (a school, a carrier's NAT) still sign in with the right password."""
    moment = int(epoch())
    keys = sign_in_keys(username)
    source_key = SIGN_IN_FAILURES_PER_SOURCE.key(origin.source_ip, moment)
    pair_keys = [hot_source_failure_key(origin.source_ip, k) for k in keys]
    snapshot = account_store.sign_in_snapshot(
        keys, [sign_in_failure_key(k) for k in keys] + [source_key, *pair_keys]
    )
    source_state, _ = snapshot.failures[source_key]
    hot = source_state.count >= SIGN_IN_FAILURES_PER_SOURCE.limit
    watched = [sign_in_failure_key(k) for k in keys] + (pair_keys if hot else [])
    for failure_key in watched if username_lock else []:
        state, _ = snapshot.failures[failure_key]
        wait = retry_after(in_window(state, moment), moment)
        if wait:
            raise TooManyAttempts(wait)
    return Attempt(keys, snapshot, source_key, origin, moment, hot)


def record_failure(attempt: Attempt) -> None:
    """Count the failure against each candidate username and the source, audit it on the
    accounts that exist, and refuse (429 once the delays start)."""
    failures = []
    audits = []
    locked_for = 0
    if attempt.hot_source:  # one failure per username from this source, then delays
        for key in attempt.keys:
            pair_key = hot_source_failure_key(attempt.origin.source_ip, key)
            state, stored = attempt.snapshot.failures[pair_key]
            failures.append(
                (pair_key, after_failure(state, attempt.moment, HOT_SOURCE_LIMITS), stored)
            )
    for key in attempt.keys:
        failure_key = sign_in_failure_key(key)
        state, stored = attempt.snapshot.failures[failure_key]
        new_state = after_failure(state, attempt.moment, LIMITS)
        failures.append((failure_key, new_state, stored))
        if new_state.locked_until > attempt.moment:
            locked_for = max(locked_for, new_state.locked_until - attempt.moment)
        if key in attempt.snapshot.accounts:
            audits.append(
                AuditEntry(
                    key,
                    SecurityEvent.SIGN_IN_FAILED,
                    key,
                    attempt.origin,
                    {"count": str(new_state.count)},
                )
            )
            if new_state.locked_until > attempt.moment:
                audits.append(
                    AuditEntry(
                        key,
                        SecurityEvent.LOCKED_OUT,
                        "system",
                        attempt.origin,
                        {"seconds": str(new_state.locked_until - attempt.moment)},
                    )
                )
    try:
        account_store.commit(
            Changes(
                failures=failures,
                audits=audits,
                # A hot source's counter is full for the hour: counting it would fail.
                limits=(
                    []
                    if attempt.hot_source
                    else [(SIGN_IN_FAILURES_PER_SOURCE, attempt.origin.source_ip)]
                ),
                moment=attempt.moment,
            )
        )
    except Conflict as error:  # another failure on the same username at the same moment
        raise TooManyAttempts(1) from error


def forget_failures(attempt: Attempt, key: str) -> None:
    _, stored = attempt.snapshot.failures[sign_in_failure_key(key)]
    if stored:
        throttle_store.clear_failures([sign_in_failure_key(key)])


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


def login(username: str, password: str, origin: Origin | None = None) -> SignedIn:
    """Two DynamoDB calls when it succeeds: one BatchGetItem (accounts and counters) and the
    session's PutItem."""
    attempt = open_attempt(username, origin or Origin())
    accounts = [account for _, account in attempt.candidates()]
    matches = list(
        zip(accounts, matched_credentials(accounts, password, attempt.moment), strict=True)
    )
    found = [(a, kind) for a, kind in matches if a is not None and kind is not None]
    if not found:
        record_failure(attempt)
        raise InvalidCredentials()
    account, kind = found[0]
    sign_in_allowed(account, kind)
    forget_failures(attempt, account.username)
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
        raise WeakPassword(fields={"password": ",".join(problems)})
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
