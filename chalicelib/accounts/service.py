"""The account lifecycle after creation: activation, recovery, password change, profile,
and the school's restoring of a pupil's initial code (seeds 000 and 004)."""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass, replace

from chalicelib.accounts import store as account_store
from chalicelib.accounts.audit.rules import AuditEntry, Origin, SecurityEvent
from chalicelib.accounts.passwords.service import check_new_password
from chalicelib.accounts.rules import (
    CONFIRMATION_MAX_MISSES,
    CONFIRMATION_TTL_SECONDS,
    Account,
    AccountStatus,
    PendingContact,
    Role,
)
from chalicelib.accounts.sign_in.service import (
    Attempt,
    SignedIn,
    forget_failures,
    open_attempt,
    record_failure,
    start_session,
)
from chalicelib.accounts.sign_in.tokens import Principal
from chalicelib.accounts.store import (
    Changes,
    bump_token_epoch,
    field_equals,
    pending_to_json,
    update_fields,
)
from chalicelib.core import throttles_store as throttle_store
from chalicelib.core.clock import epoch, now
from chalicelib.core.config import settings
from chalicelib.core.errors import (
    Conflict,
    InvalidCredentials,
    InvalidFields,
    NotAllowed,
    NotFound,
    TooManyAttempts,
)
from chalicelib.core.identifiers import (
    is_cin,
    normalise_cin,
    normalise_phone,
    normalise_username,
    public_username,
    sign_in_keys,
)
from chalicelib.core.secrets import (
    hash_random_secret,
    hash_secret,
    new_id,
    new_initial_code,
    verify_random_secret,
    verify_secret,
)
from chalicelib.core.throttling import (
    CONTACT_CHANGES_PER_ACCOUNT,
    REAUTH_LIMITS,
    RECOVERIES_PER_ACCOUNT,
    RECOVERIES_PER_CONTACT,
    RECOVERIES_PER_SOURCE,
    after_failure,
    in_window,
    reauth_failure_key,
    retry_after,
    sign_in_failure_key,
)
from chalicelib.notifications.rules import Channel, Language, Notification, pick_language


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
    secret_until: int | None = None,
) -> Notification:
    return Notification(
        id=new_id(),
        template=template,
        channel=channel,
        recipient=to,
        language=pick_language(account.language, language),
        params={"username": public_username(account.username), **params},
        secret_params=secret or {},
        secret_until=secret_until,
    )


def _sibling_hash(attempt: Attempt, account: Account) -> str | None:
    """The password hash of the other account signing in with the same username (a pupil
    and a parent without CIN share the Massar code), whose salt the new hash reuses so a
    sign-in costs one argon2 hash (services/secrets.py `hash_secret`)."""
    others = [
        a for _, a in attempt.candidates() if a is not None and a.username != account.username
    ]
    return others[0].password_hash if others else None


def _sibling_password_hash(account: Account) -> str | None:
    """As `_sibling_hash`, read by key (one GetItem, only for a username two accounts share)."""
    keys = sign_in_keys(public_username(account.username))
    others = [k for k in keys if k != account.username]
    if not others:
        return None
    other = account_store.get_account(others[0])
    return other.password_hash if other is not None else None


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
    pending, codes = _pending_with_codes(found, asked, attempt.moment, profile.language)
    changes = {
        **values,
        "pending_contacts": pending_to_json(pending),
        "status": AccountStatus.ACTIVE.value,
        "password_hash": hash_secret(new_password, like=_sibling_hash(attempt, found)),
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


def _pending_with_codes(
    account: Account, asked: dict[str, str], moment: int, language: str | None
) -> tuple[dict[str, PendingContact], list[Notification]]:
    """The account's pending contacts with `asked` added, and the codes to send to them."""
    pending = dict(account.pending_contacts)
    codes = []
    for name, value in asked.items():
        code = _new_confirmation_code()
        pending[name] = PendingContact(value, hash_secret(code), moment + CONFIRMATION_TTL_SECONDS)
        codes.append(
            _notify(
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


def check_current_password(account: Account, password: str | None, origin: Origin) -> bool:
    """Whether `password` is the account's password, for a signed-in caller about to change
    something a thief would want (a contact, the password). Wrong answers are counted per
    account (REAUTH_LIMITS: delays after 5, 20 an hour) and audited; past them, 429."""
    moment = int(epoch())
    key = reauth_failure_key(account.username)
    state, stored = throttle_store.get_failure_state(key)
    wait = retry_after(in_window(state, moment), moment)
    if wait:
        raise TooManyAttempts(wait)
    if password and account.password_hash and verify_secret(account.password_hash, password):
        if stored:
            throttle_store.clear_failures([key])
        return True
    if not password:
        return False
    new_state = after_failure(state, moment, REAUTH_LIMITS)
    try:
        account_store.commit(
            Changes(
                failures=[(key, new_state, stored)],
                audits=[
                    AuditEntry(
                        account.username,
                        SecurityEvent.REAUTH_FAILED,
                        account.username,
                        origin,
                        {"count": str(new_state.count)},
                    )
                ],
                moment=moment,
            )
        )
    except Conflict as error:  # another wrong try at the same moment
        raise TooManyAttempts(1) from error
    return False


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
                _notify(
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
            "password_hash": hash_secret(new_password, like=_sibling_hash(attempt, found)),
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
    if not check_current_password(account, current_password, origin):
        raise InvalidCredentials()
    check_new_password(account, new_password, "new_password")
    update = update_fields(
        account.username,
        {
            "password_hash": hash_secret(new_password, like=_sibling_password_hash(account)),
            "password_changed_at": now(),
        },
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
    from chalicelib.pupils import store as pupils

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
    # Every child's record in one BatchGetItem (per 100), not one GetItem a child.
    records = pupils.get_records(codes)
    children = []
    for code in codes:
        record = records.get(code)
        profile = dict(record.data) if record is not None else {}
        children.append(
            {"massar_code": code, **{k: profile[k] for k in CHILD_FIELDS if profile.get(k)}}
        )
    return children


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
        pending, codes = _pending_with_codes(
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
            _notify(
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


def can_manage(principal: Principal, account: Account) -> bool:
    """Staff manage accounts of their own school — a pupil's account while the pupil record
    says the pupil is enrolled there, a parent's while one of the parent's children is —;
    operators of their scope."""
    if principal.role is Role.STAFF:
        school = principal.scope.school_code
        if not school:
            return False
        if account.role in (Role.STUDENT, Role.PARENT):
            from chalicelib.pupils import store as pupils

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
            "initial_code_hash": hash_random_secret(code),
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
