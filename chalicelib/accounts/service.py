"""The account lifecycle after creation: what activation, recovery and contact changes
share (the profile input, the notices, the password checks), the password change, the
caller's own account and children, and the school's restoring of a pupil's initial code
(seeds 000 and 004). Activation is in `activation`, recovery in `recovery`, contact changes
in `profile`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from chalicelib.accounts import store as account_store
from chalicelib.accounts.audit.rules import AuditEntry, Origin, SecurityEvent
from chalicelib.accounts.passwords.service import check_new_password
from chalicelib.accounts.rules import Account, AccountStatus, Role
from chalicelib.accounts.sign_in.service import Attempt
from chalicelib.accounts.sign_in.tokens import Principal
from chalicelib.accounts.store import (
    AccountUpdate,
    Changes,
    bump_token_epoch,
    field_equals,
    update_fields,
)
from chalicelib.core import throttles_store as throttle_store
from chalicelib.core.access import may_manage_account
from chalicelib.core.clock import epoch, now
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
    verify_secret,
)
from chalicelib.core.throttling import (
    REAUTH_LIMITS,
    after_failure,
    in_window,
    reauth_failure_key,
    retry_after,
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


def notify(
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


def sibling_hash(attempt: Attempt, account: Account) -> str | None:
    """The password hash of the other account signing in with the same username (a pupil
    and a parent without CIN share the Massar code), whose salt the new hash reuses so a
    sign-in costs one argon2 hash (core/secrets.py `hash_secret`)."""
    others = [
        a for _, a in attempt.candidates() if a is not None and a.username != account.username
    ]
    return others[0].password_hash if others else None


def sibling_password_hash(account: Account) -> str | None:
    """As `sibling_hash`, read by key (one GetItem, only for a username two accounts share)."""
    keys = sign_in_keys(public_username(account.username))
    others = [k for k in keys if k != account.username]
    if not others:
        return None
    other = account_store.get_account(others[0])
    return other.password_hash if other is not None else None


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


def password_changed_notice(account: Account, language: str | None) -> list[Notification]:
    """Tell the holder (by email, when known) and the systems that follow passwords."""
    notices = [password_changed_event(account)]
    email = account.profile.get("email")
    if email:
        notices.append(notify(account, "password_changed", Channel.EMAIL, email, language, {}))
    return notices


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
            "password_hash": hash_secret(new_password, like=sibling_password_hash(account)),
            "password_changed_at": now(),
        },
        field_equals("password_hash", account.password_hash),
    )
    audit = AuditEntry(account.username, SecurityEvent.PASSWORD_CHANGED, account.username, origin)
    _commit_ending_sessions(update, audit, password_changed_notice(account, accept_language))


def _commit_ending_sessions(
    update: AccountUpdate, audit: AuditEntry, notifications: Sequence[Notification] = ()
) -> None:
    """Write the account's change with its audit entry, and end every session: the token
    epoch moves, so access tokens issued before stop working."""
    update.actions.append(bump_token_epoch())
    account_store.commit(Changes(update=update, audits=[audit], notifications=notifications))


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


@dataclass(frozen=True)
class RestoredCode:
    account: Account
    initial_code: str


def restore_initial_code(principal: Principal, username: str, origin: Origin) -> RestoredCode:
    """The school gives a pupil back an initial code (seed 000): the account returns to
    pending activation, the old password and every session stop working."""
    account = account_store.get_account(normalise_username(username))
    if account is None or not may_manage_account(principal, account):
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
    audit = AuditEntry(
        account.username, SecurityEvent.INITIAL_CODE_RESTORED, principal.username, origin
    )
    _commit_ending_sessions(update, audit)
    restored = account_store.get_account(account.username)
    assert restored is not None
    return RestoredCode(restored, code)
