"""Accounts table: one item per account key, and the transactions that change one."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from pynamodb.exceptions import DoesNotExist

from chalicelib.accounts.audit import store as audit_store
from chalicelib.accounts.audit.rules import AuditEntry
from chalicelib.accounts.rules import (
    PROFILE_FIELDS,
    Account,
    AccountStatus,
    PendingContact,
    Role,
    Scope,
)
from chalicelib.core import throttles_store as throttles
from chalicelib.core.clock import now
from chalicelib.core.errors import AlreadyExists, Conflict, TooManyAttempts
from chalicelib.core.models import AccountModel, ThrottleModel
from chalicelib.core.store import bound, connection
from chalicelib.core.throttling import FailureState, RateLimit
from chalicelib.core.transactions import Transaction
from chalicelib.notifications import store as outbox
from chalicelib.notifications.rules import Notification


def _to_domain(item: AccountModel) -> Account:
    profile = {f: getattr(item, f) for f in PROFILE_FIELDS if getattr(item, f)}
    return Account(
        username=item.username,
        role=Role(item.role),
        status=AccountStatus(item.status),
        scope=Scope(item.school_code, item.academy, item.province),
        password_hash=item.password_hash,
        initial_code_hash=item.initial_code_hash,
        token_epoch=int(item.token_epoch or 0),
        language=item.language,
        profile=profile,
        massar_code=item.massar_code,
        children=tuple(str(c) for c in item.children or ()),
        recovery_hash=item.recovery_hash,
        recovery_expires_at=int(item.recovery_expires_at) if item.recovery_expires_at else None,
        pending_contacts=pending_from_json(item.pending_contacts),
    )


def pending_from_json(raw: str | None) -> dict[str, PendingContact]:
    if not raw:
        return {}
    data = json.loads(raw)
    return {
        name: PendingContact(
            str(v["value"]), str(v["code_hash"]), int(v["expires_at"]), int(v.get("misses", 0))
        )
        for name, v in data.items()
    }


def pending_to_json(pending: dict[str, PendingContact]) -> str | None:
    """One spelling for one state (sorted keys), so a write can be conditioned on it."""
    if not pending:
        return None
    return json.dumps(
        {name: vars(p) for name, p in sorted(pending.items())},
        sort_keys=True,
        separators=(",", ":"),
    )


def _to_item(account: Account) -> AccountModel:
    stamp = now()
    item = bound(AccountModel)(
        account.username,
        role=account.role.value,
        status=account.status.value,
        school_code=account.scope.school_code,
        academy=account.scope.academy,
        province=account.scope.province,
        password_hash=account.password_hash,
        initial_code_hash=account.initial_code_hash,
        token_epoch=account.token_epoch,
        language=account.language,
        massar_code=account.massar_code,
        children=list(account.children) or None,
        created_at=stamp,
        updated_at=stamp,
    )
    for name in PROFILE_FIELDS:
        setattr(item, name, account.profile.get(name))
    return item


def get_account(key: str) -> Account | None:
    try:
        return _to_domain(bound(AccountModel).get(key, consistent_read=True))
    except DoesNotExist:
        return None


@dataclass(frozen=True)
class SignInSnapshot:
    accounts: dict[str, Account]
    failures: dict[str, tuple[FailureState, int | None]]


def sign_in_snapshot(account_keys: list[str], throttle_keys: list[str]) -> SignInSnapshot:
    """The candidate accounts and their throttle counters, in one BatchGetItem."""
    accounts_table = bound(AccountModel).Meta.table_name
    throttles_table = bound(ThrottleModel).Meta.table_name
    request: dict[str, Any] = {
        accounts_table: {
            "Keys": [{"username": {"S": k}} for k in account_keys],
            "ConsistentRead": True,
        },
        throttles_table: {
            "Keys": [{"key": {"S": k}} for k in throttle_keys],
            "ConsistentRead": True,
        },
    }
    found: dict[str, list[dict[str, Any]]] = {accounts_table: [], throttles_table: []}
    while request:
        answer = connection().client.batch_get_item(RequestItems=request)
        for table, items in answer.get("Responses", {}).items():
            found[table].extend(items)
        request = answer.get("UnprocessedKeys") or {}
    accounts = {}
    for raw in found[accounts_table]:
        account = _to_domain(bound(AccountModel).from_raw_data(raw))
        accounts[account.username] = account
    failures = {key: throttles.failure_state(None) for key in throttle_keys}
    for raw in found[throttles_table]:
        failures[raw["key"]["S"]] = throttles.failure_state(raw)
    return SignInSnapshot(accounts, failures)


@dataclass
class AccountUpdate:
    """Changes to one account, applied only if `condition` still holds (None: it exists)."""

    key: str
    actions: list[Any] = field(default_factory=list)
    condition: Any = None


@dataclass
class Changes:
    """Everything one use case writes, committed in one transaction."""

    update: AccountUpdate | None = None
    new_account: Account | None = None
    audits: Sequence[AuditEntry] = ()
    notifications: Sequence[Notification] = ()
    limits: Sequence[tuple[RateLimit, str]] = ()
    failures: Sequence[tuple[str, FailureState, int | None]] = ()
    moment: int = 0


def commit(changes: Changes) -> None:
    """Write it all or nothing. A rate limit reached raises TooManyAttempts; an account that
    changed meanwhile raises Conflict; a username taken raises AlreadyExists."""
    transaction = Transaction()
    if changes.new_account is not None:
        transaction.put(
            "new_account",
            _to_item(changes.new_account),
            AccountModel.username.does_not_exist(),
        )
    if changes.update is not None:
        update = changes.update
        condition = AccountModel.username.exists()
        if update.condition is not None:
            condition = condition & update.condition
        transaction.update(
            "update",
            bound(AccountModel)(update.key),
            [*update.actions, AccountModel.updated_at.set(now())],
            condition,
        )
    for limit, subject in changes.limits:
        transaction.external_update(
            "limit",
            partial(throttles.count_within_limit, limit=limit, subject=subject, now=changes.moment),
        )
    for key, state, stored in changes.failures:
        transaction.external_put(
            "failure",
            partial(throttles.save_failure_state, key=key, state=state, stored_count=stored),
        )
    for entry in changes.audits:
        transaction.external_put("audit", partial(audit_store.add_to_transaction, entry=entry))
    for notification in changes.notifications:
        transaction.external_put(
            "notification", partial(outbox.add_to_transaction, notification=notification)
        )
    transaction.commit(
        {
            "limit": TooManyAttempts(RateLimit.seconds_left_in_hour(changes.moment)),
            "new_account": AlreadyExists("username"),
        },
        any_refusal=Conflict("the account changed meanwhile"),
    )


def create_account(
    account: Account,
    notifications: Sequence[Notification] = (),
    audits: Sequence[AuditEntry] = (),
) -> None:
    """Create the account (unique key) with its notifications and audit, all or nothing."""
    commit(Changes(new_account=account, notifications=notifications, audits=audits))


def update_fields(key: str, values: dict[str, Any], condition: Any = None) -> AccountUpdate:
    """An update setting (or, for None, removing) plain attributes of the account."""
    actions = []
    for name, value in values.items():
        attribute = getattr(AccountModel, name)
        actions.append(attribute.remove() if value is None else attribute.set(value))
    return AccountUpdate(key, actions, condition)


def bump_token_epoch() -> Any:
    return AccountModel.token_epoch.add(1)


def field_equals(name: str, value: str | None) -> Any:
    attribute = getattr(AccountModel, name)
    return attribute.does_not_exist() if value is None else attribute == value


def link_child(massar_code: str, has_children: bool) -> Any:
    """The update action adding a pupil to a parent's linked children."""
    children: Any = AccountModel.children
    return (
        children.set(children.append([massar_code]))
        if has_children
        else children.set([massar_code])
    )
