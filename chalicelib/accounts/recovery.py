"""Recovery: a forgotten password replaced through a recovery password sent to the
profile's own email or phone (seed 004)."""

from __future__ import annotations

import hashlib
import time

from chalicelib.accounts import store as account_store
from chalicelib.accounts.audit.rules import AuditEntry, Origin, SecurityEvent
from chalicelib.accounts.passwords.service import check_new_password
from chalicelib.accounts.rules import AccountStatus
from chalicelib.accounts.service import notify, password_changed_notice, sibling_hash
from chalicelib.accounts.sign_in.service import (
    SignedIn,
    forget_failures,
    open_attempt,
    record_failure,
    start_session,
)
from chalicelib.accounts.store import Changes, bump_token_epoch, field_equals, update_fields
from chalicelib.core.clock import epoch, now
from chalicelib.core.config import settings
from chalicelib.core.errors import InvalidCredentials, TooManyAttempts
from chalicelib.core.identifiers import normalise_phone, sign_in_keys
from chalicelib.core.secrets import (
    hash_random_secret,
    hash_secret,
    new_initial_code,
    verify_random_secret,
    verify_secret,
)
from chalicelib.core.throttling import (
    RECOVERIES_PER_ACCOUNT,
    RECOVERIES_PER_CONTACT,
    RECOVERIES_PER_SOURCE,
    in_window,
    retry_after,
    sign_in_failure_key,
)
from chalicelib.notifications.rules import Channel


def _contact_key(channel: str, contact: str) -> str:
    return hashlib.sha256(f"{channel}:{contact}".encode()).hexdigest()[:32]


def request_recovery(
    username: str, channel: str, contact: str, origin: Origin, accept_language: str | None
) -> None:
    """Send a recovery password when the username and the contact match the profile; do the
    same work and answer the same otherwise (seed 004; OWASP: no account enumeration).

    Only a request that sends spends the account's and the contact's budgets (3 an hour
    each): requests with a wrong contact cannot use up the owner's recoveries. Past those
    budgets nothing is sent and the answer is still 202 (a 429 only there would tell which
    contact is right). The source's budget counts every request and answers 429. Both
    paths take at least RECOVERY_FLOOR_MS, so timing tells nothing either."""
    started = time.monotonic()
    try:
        _request_recovery(username, channel, contact, origin, accept_language)
    finally:
        floor = settings().recovery_floor_seconds
        time.sleep(max(0.0, started + floor - time.monotonic()))


def _request_recovery(
    username: str, channel: str, contact: str, origin: Origin, accept_language: str | None
) -> None:
    attempt_moment = int(epoch())
    keys = sign_in_keys(username)
    typed = contact.strip().lower() if channel == "email" else (normalise_phone(contact) or "")
    budgets = [
        (RECOVERIES_PER_CONTACT, _contact_key(channel, typed or contact)),
        (RECOVERIES_PER_ACCOUNT, keys[0]),
    ]
    snapshot = account_store.sign_in_snapshot(
        keys, [limit.key(subject, attempt_moment) for limit, subject in budgets]
    )
    match = next(
        (
            a
            for a in (snapshot.accounts.get(k) for k in keys)
            if a is not None
            and a.status is AccountStatus.ACTIVE
            and typed
            and a.contact(channel) == typed
        ),
        None,
    )
    spent = any(
        snapshot.failures[limit.key(subject, attempt_moment)][0].count >= limit.limit
        for limit, subject in budgets
    )
    recovery_password = new_initial_code(12)
    recovery_hash = hash_random_secret(recovery_password)  # hashed whether or not it is sent
    source = [(RECOVERIES_PER_SOURCE, origin.source_ip)]
    if match is None or spent:
        account_store.commit(Changes(limits=source, moment=attempt_moment))
        return
    ttl = settings().recovery_ttl_seconds
    account_store.commit(
        Changes(
            update=update_fields(
                match.username,
                {"recovery_hash": recovery_hash, "recovery_expires_at": attempt_moment + ttl},
            ),
            notifications=[
                notify(
                    match,
                    "recovery_password",
                    Channel(channel),
                    typed,
                    accept_language,
                    {"minutes": str(ttl // 60)},
                    {"recovery_password": recovery_password},
                    attempt_moment + ttl,
                )
            ],
            audits=[
                AuditEntry(
                    match.username,
                    SecurityEvent.RECOVERY_ASKED,
                    match.username,
                    origin,
                    {"channel": channel},
                )
            ],
            limits=[*source, *budgets],
            moment=attempt_moment,
        )
    )


def reset_with_recovery(
    username: str,
    recovery_password: str,
    new_password: str,
    origin: Origin,
    accept_language: str | None,
) -> SignedIn:
    """Set a new password with a valid recovery password (single use); every other session
    ends. Until this completes the old password keeps working. A locked username does not
    stop it: the recovery password reached the owner's own contact, and the lock is there
    against guessing, not against the owner (a wrong one while locked still waits)."""
    attempt = open_attempt(username, origin, username_lock=False)
    found = None
    for _, account in attempt.candidates():
        if account is not None and account.recovery_valid(attempt.moment):
            if verify_secret(account.recovery_hash, recovery_password):
                found = account
                break
        else:
            verify_random_secret(None, recovery_password)
    if found is None:
        record_failure(attempt)
        waits = [
            retry_after(in_window(state, attempt.moment), attempt.moment) or 0
            for state, _ in (
                attempt.snapshot.failures[sign_in_failure_key(key)] for key in attempt.keys
            )
        ]
        if max(waits):
            raise TooManyAttempts(max(waits))
        raise InvalidCredentials()
    check_new_password(found, new_password, "new_password")
    update = update_fields(
        found.username,
        {
            "password_hash": hash_secret(new_password, like=sibling_hash(attempt, found)),
            "recovery_hash": None,
            "recovery_expires_at": None,
            "password_changed_at": now(),
        },
        field_equals("recovery_hash", found.recovery_hash),
    )
    update.actions.append(bump_token_epoch())  # every other session ends
    account_store.commit(
        Changes(
            update=update,
            audits=[
                AuditEntry(found.username, SecurityEvent.RECOVERY_USED, found.username, origin),
                AuditEntry(found.username, SecurityEvent.PASSWORD_CHANGED, found.username, origin),
            ],
            notifications=password_changed_notice(found, accept_language),
            moment=attempt.moment,
        )
    )
    forget_failures(attempt, found.username)
    updated = account_store.get_account(found.username)
    assert updated is not None
    return start_session(updated)
