"""The holder's own contacts: a new email or phone waits for the code sent to it, and the
confirmed ones reach the guardian block of a parent's children."""

from __future__ import annotations

import secrets
from dataclasses import replace

from chalicelib.accounts import store as account_store
from chalicelib.accounts.audit.rules import AuditEntry, Origin, SecurityEvent
from chalicelib.accounts.rules import (
    CONFIRMATION_MAX_MISSES,
    CONFIRMATION_TTL_SECONDS,
    Account,
    PendingContact,
    Role,
)
from chalicelib.accounts.service import (
    ProfileInput,
    check_current_password,
    clean_profile,
    my_account,
    notify,
)
from chalicelib.accounts.sign_in.tokens import Principal
from chalicelib.accounts.store import Changes, field_equals, pending_to_json, update_fields
from chalicelib.core.clock import epoch
from chalicelib.core.errors import Conflict, InvalidFields, TooManyAttempts
from chalicelib.core.secrets import hash_secret, verify_secret
from chalicelib.core.throttling import CONTACT_CHANGES_PER_ACCOUNT
from chalicelib.notifications.rules import Channel, Notification


def share_contacts_with_guardian_block(account: Account) -> None:
    """A parent's email, phone and language reach the guardian block of each child's record
    where this account is a guardian, so alerts (absences...) go where the parent said."""
    from chalicelib.core.transactions import Transaction
    from chalicelib.pupils import store as pupils
    from chalicelib.pupils.rules import guardian_role_of_account

    if account.role is not Role.PARENT or not account.children:
        return
    # Only proved contacts: one typed at activation waits for its code, so a mistyped number
    # never receives a child's absence alerts.
    contacts = {
        name: account.profile.get(name)
        for name in CONTACT_FIELDS
        if name not in account.pending_contacts
        or account.pending_contacts[name].value != account.profile.get(name)
    }
    contacts["language"] = account.language
    transaction = Transaction()
    for record in pupils.get_records(account.children).values():
        role = guardian_role_of_account(record, account.username)
        if role is None:
            continue
        person = dict(record.guardians.get(role, {}))
        changed = {k: v for k, v in contacts.items() if v and person.get(k) != v}
        if changed:
            pupils.update_guardian(transaction, record.massar_code, role, {**person, **changed})
    if transaction.size():
        transaction.commit()


CONTACT_FIELDS = ("email", "phone")
CHANNEL_OF = {"email": Channel.EMAIL, "phone": Channel.SMS}


def _new_confirmation_code() -> str:
    """Six digits: typed from a phone's SMS; five wrong ones drop the change (10^-5 odds)."""
    return f"{secrets.randbelow(10**6):06d}"


def pending_with_codes(
    account: Account, asked: dict[str, str], moment: int, language: str | None
) -> tuple[dict[str, PendingContact], list[Notification]]:
    """The account's pending contacts with `asked` added, and the codes to send to them."""
    pending = dict(account.pending_contacts)
    codes = []
    for name, value in asked.items():
        code = _new_confirmation_code()
        pending[name] = PendingContact(value, hash_secret(code), moment + CONFIRMATION_TTL_SECONDS)
        codes.append(
            notify(
                account,
                "contact_confirmation",
                CHANNEL_OF[name],
                value,
                language,
                {"minutes": str(CONFIRMATION_TTL_SECONDS // 60)},
                {"code": code},
                moment + CONFIRMATION_TTL_SECONDS,
            )
        )
    return pending, codes


def update_my_profile(
    principal: Principal,
    profile: ProfileInput,
    origin: Origin,
    accept_language: str | None,
    current_password: str | None = None,
) -> Account:
    """Change address or language at once; a new email or phone needs the current password
    and waits for the code sent to it (`confirm_contact`): until then recovery and alerts
    keep the confirmed one, so a stolen session alone cannot take the account over."""
    account = my_account(principal)
    values = clean_profile(
        ProfileInput(email=profile.email, phone=profile.phone, address=profile.address)
    )
    if profile.language in ("ar", "fr"):
        values["language"] = profile.language
    moment = int(epoch())
    asked: dict[str, str] = {}
    pending = dict(account.pending_contacts)
    for name in CONTACT_FIELDS:
        value = values.pop(name, None)
        if value is None:
            continue
        if value != account.profile.get(name):
            asked[name] = value
        elif name in pending and pending[name].value != value:
            del pending[name]  # back to the confirmed one: the change asked is dropped
    codes: list[Notification] = []
    audits: list[AuditEntry] = []
    limits = []
    if asked:
        if not current_password:
            raise InvalidFields(fields={"current_password": "current_password_required"})
        if not check_current_password(account, current_password, origin):
            raise InvalidFields(fields={"current_password": "wrong_current_password"})
        pending, codes = pending_with_codes(
            replace(account, pending_contacts=pending), asked, moment, accept_language
        )
        audits = [
            AuditEntry(
                account.username,
                SecurityEvent.CONTACT_CHANGE_ASKED,
                account.username,
                origin,
                {"changed": name},
            )
            for name in asked
        ]
        limits = [(CONTACT_CHANGES_PER_ACCOUNT, account.username)]
    changes: dict[str, str | None] = dict(values)
    if pending != account.pending_contacts:
        changes["pending_contacts"] = pending_to_json(pending)
    if changes:
        account_store.commit(
            Changes(
                update=update_fields(
                    account.username,
                    changes,
                    field_equals("pending_contacts", pending_to_json(account.pending_contacts)),
                ),
                audits=audits,
                notifications=codes,
                limits=limits,
                moment=moment,
            )
        )
    updated = my_account(principal)
    share_contacts_with_guardian_block(updated)
    return updated


def confirm_contact(
    principal: Principal, channel: str, code: str, origin: Origin, accept_language: str | None
) -> Account:
    """The code sent to a new contact came back: it replaces the confirmed one (recovery and
    the guardian block use it from now on) and the previous one is told. Five wrong codes
    drop the change."""
    name = "email" if channel == "email" else "phone"
    account = my_account(principal)
    moment = int(epoch())
    waiting = account.pending_contacts.get(name)
    if waiting is None or waiting.expires_at <= moment:
        raise InvalidFields(fields={"code": "no_pending_change"})
    unchanged = field_equals("pending_contacts", pending_to_json(account.pending_contacts))
    rest = {k: v for k, v in account.pending_contacts.items() if k != name}
    if not verify_secret(waiting.code_hash, code.strip()):
        if waiting.misses + 1 < CONFIRMATION_MAX_MISSES:
            rest[name] = replace(waiting, misses=waiting.misses + 1)
        try:
            account_store.commit(
                Changes(
                    update=update_fields(
                        account.username, {"pending_contacts": pending_to_json(rest)}, unchanged
                    )
                )
            )
        except Conflict as error:  # a concurrent try: it is counted, this one waits
            raise TooManyAttempts(1) from error
        raise InvalidFields(fields={"code": "wrong_code"})
    previous = account.profile.get(name)
    notices = []
    if previous and previous != waiting.value:
        notices.append(
            notify(
                account,
                "contact_changed",
                CHANNEL_OF[name],
                previous,
                accept_language,
                {"changed": name},
            )
        )
    account_store.commit(
        Changes(
            update=update_fields(
                account.username,
                {name: waiting.value, "pending_contacts": pending_to_json(rest)},
                unchanged,
            ),
            audits=[
                AuditEntry(
                    account.username,
                    SecurityEvent.CONTACT_CHANGED,
                    account.username,
                    origin,
                    {"changed": name},
                )
            ],
            notifications=notices,
            moment=moment,
        )
    )
    updated = my_account(principal)
    share_contacts_with_guardian_block(updated)
    return updated
