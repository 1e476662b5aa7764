"""The account lifecycle after creation: activation, recovery, password change, profile,
and the school's restoring of a pupil's initial code (seeds 000 and 004)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from chalicelib.config import settings
from chalicelib.domain.accounts import Account, AccountStatus, Role
from chalicelib.domain.audit import AuditEntry, Origin, SecurityEvent
from chalicelib.domain.errors import InvalidCredentials, InvalidFields, NotAllowed, NotFound
from chalicelib.domain.identifiers import (
    is_cin,
    normalise_cin,
    normalise_phone,
    normalise_username,
    public_username,
    sign_in_keys,
)
from chalicelib.domain.notifications import Channel, Language, Notification, pick_language
from chalicelib.domain.throttling import (
    RECOVERIES_PER_ACCOUNT,
    RECOVERIES_PER_CONTACT,
    RECOVERIES_PER_SOURCE,
)
from chalicelib.services.auth import (
    SignedIn,
    forget_failures,
    open_attempt,
    record_failure,
    start_session,
)
from chalicelib.services.passwords import check_new_password
from chalicelib.services.secrets import hash_secret, new_id, new_initial_code, verify_secret
from chalicelib.services.tokens import Principal
from chalicelib.store import accounts as account_store
from chalicelib.store.accounts import Changes, bump_token_epoch, field_equals, update_fields
from chalicelib.store.clock import epoch, now


@dataclass(frozen=True)
class ProfileInput:
    email: str | None = None
    phone: str | None = None
    cin: str | None = None
    address: str | None = None
    language: str | None = None


def clean_profile(profile: ProfileInput) -> dict[str, str]:
    """Normalised profile fields, or InvalidFields naming each bad one."""
    values: dict[str, str] = {}
    problems: dict[str, str] = {}
    if profile.email:
        values["email"] = profile.email.strip().lower()
    if profile.phone:
        phone = normalise_phone(profile.phone)
        if phone is None:
            problems["phone"] = "not_a_moroccan_mobile"
        else:
            values["phone"] = phone
    if profile.cin:
        cin = normalise_cin(profile.cin)
        if not is_cin(cin):
            problems["cin"] = "not_a_cin"
        else:
            values["cin"] = cin
    if profile.address:
        values["address"] = " ".join(profile.address.split())
    if problems:
        raise InvalidFields(fields=problems)
    return values


def _notify(
    account: Account,
    template: str,
    channel: Channel,
    to: str,
    language: str | None,
    params: dict[str, str],
    secret: dict[str, str] | None = None,
) -> Notification:
    return Notification(
        id=new_id(),
        template=template,
        channel=channel,
        recipient=to,
        language=pick_language(account.language, language),
        params={"username": public_username(account.username), **params},
        secret_params=secret or {},
    )


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
            verify_secret(None, initial_code)
            continue
        if account.initial_code_hash and verify_secret(account.initial_code_hash, initial_code):
            found = account
            break
    if found is None:
        record_failure(attempt)
        raise InvalidCredentials()
    values = clean_profile(profile)
    # The password first: its reasons come back on the first try, and the client adds a
    # missing contact to them itself (issue 15 #9).
    check_new_password(found, new_password, "new_password", values)
    if found.role in (Role.PARENT, Role.STAFF) and not (
        values.get("email") or values.get("phone") or found.profile.get("email")
    ):
        raise InvalidFields(
            fields={"email": "email_or_phone_required", "phone": "email_or_phone_required"}
        )
    stamp = now()
    changes = {
        **values,
        "status": AccountStatus.ACTIVE.value,
        "password_hash": hash_secret(new_password),
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
            notifications=[password_changed_event(found)],
            moment=attempt.moment,
        )
    )
    forget_failures(attempt, found.username)
    activated = account_store.get_account(found.username)
    assert activated is not None
    share_contacts_with_guardian_block(activated)
    return start_session(activated)


def share_contacts_with_guardian_block(account: Account) -> None:
    """A parent's email, phone and language reach the guardian block of each child's record
    where this account is a guardian, so alerts (absences...) go where the parent said."""
    from chalicelib.domain.enrolment import guardian_role_of_account
    from chalicelib.store import pupils
    from chalicelib.store.transactions import Transaction

    if account.role is not Role.PARENT or not account.children:
        return
    contacts = {"email": account.profile.get("email"), "phone": account.profile.get("phone")}
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


def _contact_key(channel: str, contact: str) -> str:
    return hashlib.sha256(f"{channel}:{contact}".encode()).hexdigest()[:32]


def request_recovery(
    username: str, channel: str, contact: str, origin: Origin, accept_language: str | None
) -> None:
    """Send a recovery password when the username and the contact match the profile; do the
    same work and answer the same otherwise (seed 004; OWASP: no account enumeration)."""
    attempt_moment = int(epoch())
    keys = sign_in_keys(username)
    typed = contact.strip().lower() if channel == "email" else (normalise_phone(contact) or "")
    snapshot = account_store.sign_in_snapshot(keys, [])
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
    recovery_password = new_initial_code(12)
    recovery_hash = hash_secret(recovery_password)  # hashed whether or not it will be sent
    limits = [
        (RECOVERIES_PER_SOURCE, origin.source_ip),
        (RECOVERIES_PER_CONTACT, _contact_key(channel, typed or contact)),
        (RECOVERIES_PER_ACCOUNT, keys[0]),
    ]
    if match is None:
        account_store.commit(Changes(limits=limits, moment=attempt_moment))
        return
    ttl = settings().recovery_ttl_seconds
    account_store.commit(
        Changes(
            update=update_fields(
                match.username,
                {"recovery_hash": recovery_hash, "recovery_expires_at": attempt_moment + ttl},
            ),
            notifications=[
                _notify(
                    match,
                    "recovery_password",
                    Channel(channel),
                    typed,
                    accept_language,
                    {"minutes": str(ttl // 60)},
                    {"recovery_password": recovery_password},
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
            limits=limits,
            moment=attempt_moment,
        )
    )


def password_changed_event(account: Account) -> Notification:
    """The `password_changed` integration event (the taalim.ma mailbox follows a pupil's
    password, seed 000), published on the events topic through the outbox."""
    return Notification(
        id=new_id(),
        template="password_changed",
        channel=Channel.TOPIC,
        recipient="password_changed",
        language=Language.FR,
        params={
            "username": public_username(account.username),
            "role": account.role.value,
            "changed_at": now().isoformat(timespec="seconds"),
        },
    )


def _password_changed_notice(account: Account, language: str | None) -> list[Notification]:
    """Tell the holder (by email, when known) and the systems that follow passwords."""
    notices = [password_changed_event(account)]
    email = account.profile.get("email")
    if email:
        notices.append(_notify(account, "password_changed", Channel.EMAIL, email, language, {}))
    return notices


def reset_with_recovery(
    username: str,
    recovery_password: str,
    new_password: str,
    origin: Origin,
    accept_language: str | None,
) -> SignedIn:
    """Set a new password with a valid recovery password (single use); every other session
    ends. Until this completes the old password keeps working."""
    attempt = open_attempt(username, origin)
    found = None
    for _, account in attempt.candidates():
        if account is not None and account.recovery_valid(attempt.moment):
            if verify_secret(account.recovery_hash, recovery_password):
                found = account
                break
        else:
            verify_secret(None, recovery_password)
    if found is None:
        record_failure(attempt)
        raise InvalidCredentials()
    check_new_password(found, new_password, "new_password")
    update = update_fields(
        found.username,
        {
            "password_hash": hash_secret(new_password),
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
            notifications=_password_changed_notice(found, accept_language),
            moment=attempt.moment,
        )
    )
    forget_failures(attempt, found.username)
    updated = account_store.get_account(found.username)
    assert updated is not None
    return start_session(updated)


def change_password(
    principal: Principal,
    current_password: str,
    new_password: str,
    origin: Origin,
    accept_language: str | None,
) -> None:
    """Change the password while signed in; every session ends (sign in again)."""
    account = account_store.get_account(principal.username)
    if account is None or not account.password_hash:
        raise InvalidCredentials()
    if not verify_secret(account.password_hash, current_password):
        raise InvalidCredentials()
    check_new_password(account, new_password, "new_password")
    update = update_fields(
        account.username,
        {"password_hash": hash_secret(new_password), "password_changed_at": now()},
        field_equals("password_hash", account.password_hash),
    )
    update.actions.append(bump_token_epoch())
    account_store.commit(
        Changes(
            update=update,
            audits=[
                AuditEntry(
                    account.username, SecurityEvent.PASSWORD_CHANGED, account.username, origin
                )
            ],
            notifications=_password_changed_notice(account, accept_language),
        )
    )


def my_account(principal: Principal) -> Account:
    account = account_store.get_account(principal.username)
    if account is None:
        raise NotFound("account")
    return account


CHILD_FIELDS = (
    "first_name_ar",
    "last_name_ar",
    "first_name_lat",
    "last_name_lat",
    "school_code",
    "class_id",
)


def children_of(account: Account) -> list[dict[str, str]]:
    """A parent's children: those linked on the account (issued letters) and those whose
    approved registration named this parent (the parent link), with their names, school
    and class from the pupil record."""
    from chalicelib.store import pupils

    if account.role is not Role.PARENT:
        return []
    codes = list(account.children)
    codes += [
        link["massar_code"]
        for link in pupils.links_of_parent(account.username)
        if link["massar_code"] not in codes
    ]
    if len(codes) > len(account.children):
        # A child linked by a registration approved after the parent's letter: keep it on the
        # account, so the next access token carries it (a child's views read no link).
        account_store.commit(Changes(update=update_fields(account.username, {"children": codes})))
    children = []
    for code in codes:
        profile = pupils.get_profile(code) or {}
        children.append(
            {"massar_code": code, **{k: profile[k] for k in CHILD_FIELDS if profile.get(k)}}
        )
    return children


def update_my_profile(
    principal: Principal, profile: ProfileInput, origin: Origin, accept_language: str | None
) -> Account:
    """Change contacts, address or language; a changed email or phone is announced to the
    previous one, so a hijacked account does not go unnoticed."""
    account = my_account(principal)
    values = clean_profile(
        ProfileInput(email=profile.email, phone=profile.phone, address=profile.address)
    )
    if profile.language in ("ar", "fr"):
        values["language"] = profile.language
    notices = []
    audits = []
    for channel, name in ((Channel.EMAIL, "email"), (Channel.SMS, "phone")):
        previous = account.profile.get(name)
        if name in values and values[name] != previous:
            audits.append(
                AuditEntry(
                    account.username,
                    SecurityEvent.CONTACT_CHANGED,
                    account.username,
                    origin,
                    {"changed": name},
                )
            )
            if previous:
                notices.append(
                    _notify(
                        account,
                        "contact_changed",
                        channel,
                        previous,
                        accept_language,
                        {"changed": name},
                    )
                )
    if values:
        account_store.commit(
            Changes(
                update=update_fields(account.username, values), audits=audits, notifications=notices
            )
        )
    updated = my_account(principal)
    share_contacts_with_guardian_block(updated)
    return updated


def can_manage(principal: Principal, account: Account) -> bool:
    """Staff manage accounts of their own school — a pupil's account while the pupil record
    says the pupil is enrolled there, a parent's while one of the parent's children is —;
    operators of their scope."""
    if principal.role is Role.STAFF:
        school = principal.scope.school_code
        if not school:
            return False
        if account.role in (Role.STUDENT, Role.PARENT):
            from chalicelib.store import pupils

            children = (
                [account.massar_code or account.username]
                if account.role is Role.STUDENT
                else list(account.children)
            )
            return any(r.enrolled_at(school) for r in pupils.get_records(children).values())
        return school == account.scope.school_code
    if principal.role is Role.OPS:
        return (
            not (principal.scope.academy or principal.scope.province)
            or (
                principal.scope.academy is not None
                and principal.scope.academy == account.scope.academy
            )
            or (
                principal.scope.province is not None
                and principal.scope.province == account.scope.province
            )
        )
    return False


@dataclass(frozen=True)
class RestoredCode:
    account: Account
    initial_code: str


def restore_initial_code(principal: Principal, username: str, origin: Origin) -> RestoredCode:
    """The school gives a pupil back an initial code (seed 000): the account returns to
    pending activation, the old password and every session stop working."""
    account = account_store.get_account(normalise_username(username))
    if account is None or not can_manage(principal, account):
        raise NotFound("account")
    # A pupil at any time (seed 000); a parent only before activation — an active parent
    # recovers by email or SMS instead.
    reissuable = account.role is Role.STUDENT or (
        account.role is Role.PARENT and account.status is AccountStatus.PENDING_ACTIVATION
    )
    if not reissuable:
        raise NotAllowed("the school restores a pupil's code, or a parent's before activation")
    code = new_initial_code()
    update = update_fields(
        account.username,
        {
            "status": AccountStatus.PENDING_ACTIVATION.value,
            "initial_code_hash": hash_secret(code),
            "password_hash": None,
            "recovery_hash": None,
            "recovery_expires_at": None,
        },
    )
    update.actions.append(bump_token_epoch())
    account_store.commit(
        Changes(
            update=update,
            audits=[
                AuditEntry(
                    account.username,
                    SecurityEvent.INITIAL_CODE_RESTORED,
                    principal.username,
                    origin,
                )
            ],
        )
    )
    restored = account_store.get_account(account.username)
    assert restored is not None
    return RestoredCode(restored, code)
