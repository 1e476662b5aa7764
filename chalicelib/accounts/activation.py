"""Activation: the first sign-up of an issued account, with its initial code, a new
password and the personal data (seed 000)."""

from __future__ import annotations

from chalicelib.accounts import store as account_store
from chalicelib.accounts.audit.rules import AuditEntry, Origin, SecurityEvent
from chalicelib.accounts.passwords.service import check_new_password
from chalicelib.accounts.profile import (
    CONTACT_FIELDS,
    pending_with_codes,
    share_contacts_with_guardian_block,
)
from chalicelib.accounts.rules import AccountStatus, Role
from chalicelib.accounts.service import (
    ProfileInput,
    clean_profile,
    password_changed_event,
    sibling_hash,
)
from chalicelib.accounts.sign_in.service import (
    SignedIn,
    forget_failures,
    open_attempt,
    record_failure,
    start_session,
)
from chalicelib.accounts.store import Changes, field_equals, pending_to_json, update_fields
from chalicelib.core.clock import now
from chalicelib.core.errors import InvalidCredentials, InvalidFields
from chalicelib.core.secrets import hash_secret, verify_random_secret, verify_secret


def activate_account(
    username: str,
    initial_code: str,
    new_password: str,
    profile: ProfileInput,
    origin: Origin,
) -> SignedIn:
    """First sign-up: the initial code, a new password and the personal data (seed 000)."""
    attempt = open_attempt(username, origin)
    found = None
    for _, account in attempt.candidates():
        if account is None or account.status is not AccountStatus.PENDING_ACTIVATION:
            verify_random_secret(None, initial_code)  # costs what a pending account's check does
            continue
        if account.initial_code_hash and verify_secret(account.initial_code_hash, initial_code):
            found = account
            break
    if found is None:
        record_failure(attempt)
        raise InvalidCredentials()
    values = clean_profile(profile)
    # The password first: its reasons come back on the first try, and the client adds a
    # missing contact to them itself.
    check_new_password(found, new_password, "new_password", values)
    if found.role in (Role.PARENT, Role.STAFF) and not (
        values.get("email") or values.get("phone") or found.profile.get("email")
    ):
        raise InvalidFields(
            fields={"email": "email_or_phone_required", "phone": "email_or_phone_required"}
        )
    stamp = now()
    asked = {
        name: values[name]
        for name in CONTACT_FIELDS
        if values.get(name) and values[name] != found.profile.get(name)
    }
    pending, codes = pending_with_codes(found, asked, attempt.moment, profile.language)
    changes = {
        **values,
        "pending_contacts": pending_to_json(pending),
        "status": AccountStatus.ACTIVE.value,
        "password_hash": hash_secret(new_password, like=sibling_hash(attempt, found)),
        "initial_code_hash": None,
        "activated_at": stamp,
        "password_changed_at": stamp,
    }
    if profile.language in ("ar", "fr"):
        changes["language"] = profile.language
    account_store.commit(
        Changes(
            update=update_fields(
                found.username,
                changes,
                field_equals("initial_code_hash", found.initial_code_hash)
                & field_equals("status", AccountStatus.PENDING_ACTIVATION.value),
            ),
            audits=[AuditEntry(found.username, SecurityEvent.ACTIVATED, found.username, origin)],
            notifications=[password_changed_event(found), *codes],
            moment=attempt.moment,
        )
    )
    forget_failures(attempt, found.username)
    activated = account_store.get_account(found.username)
    assert activated is not None
    share_contacts_with_guardian_block(activated)
    return start_session(activated)
