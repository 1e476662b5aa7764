"""Accounts table: one item per username."""

from __future__ import annotations

from collections.abc import Sequence

from pynamodb.exceptions import DoesNotExist, PutError, TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.domain.accounts import Account, AccountStatus, Role, Scope
from chalicelib.domain.errors import AlreadyExists
from chalicelib.domain.notifications import Notification
from chalicelib.store import outbox
from chalicelib.store.base import bound, connection
from chalicelib.store.clock import now
from chalicelib.store.models import AccountModel

_PROFILE_FIELDS = ("first_name", "last_name", "email", "phone")


def _to_domain(item: AccountModel) -> Account:
    profile = {f: getattr(item, f) for f in _PROFILE_FIELDS if getattr(item, f)}
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
    )


def _to_item(account: Account) -> AccountModel:
    stamp = now()
    return bound(AccountModel)(
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
        first_name=account.profile.get("first_name"),
        last_name=account.profile.get("last_name"),
        email=account.profile.get("email"),
        phone=account.profile.get("phone"),
        created_at=stamp,
        updated_at=stamp,
    )


def get_account(username: str) -> Account | None:
    try:
        return _to_domain(bound(AccountModel).get(username, consistent_read=True))
    except DoesNotExist:
        return None


def create_account(account: Account, notifications: Sequence[Notification] = ()) -> None:
    """Create the account and queue its notifications in one transaction.

    The username is unique: a second create fails with AlreadyExists and writes nothing.
    """
    item = _to_item(account)
    if not notifications:
        try:
            item.save(condition=AccountModel.username.does_not_exist())
        except PutError as error:
            if error.cause_response_code == "ConditionalCheckFailedException":
                raise AlreadyExists("username") from error
            raise
        return
    try:
        with TransactWrite(connection=connection()) as transaction:
            transaction.save(item, condition=AccountModel.username.does_not_exist())
            for notification in notifications:
                outbox.add_to_transaction(transaction, notification)
    except TransactWriteError as error:
        reasons = error.cancellation_reasons or []
        if reasons and reasons[0] is not None and reasons[0].code == "ConditionalCheckFailed":
            raise AlreadyExists("username") from error
        raise
