"""Parents' choice of what they receive, and the one helper the alert writers call.

A parent reads and changes their own choice (`/v1/me/notification-preferences`); the
services that write a non-essential message to a guardian (behaviour notes, a drop in
marks...) pass it through `honour` before the outbox item is written, so a switched-off
kind is never written at all, and a switched-off channel is replaced by the other one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from chalicelib.accounts.rules import Role
from chalicelib.accounts.sign_in.tokens import Principal
from chalicelib.core.errors import InvalidFields, NotAllowed
from chalicelib.core.identifiers import is_cin, normalise_cin, parent_key_for_pupil
from chalicelib.notifications.preferences import store
from chalicelib.notifications.preferences.rules import (
    Preferences,
    from_table,
    merged,
    parse_stored,
    routed,
)
from chalicelib.notifications.rules import Notification
from chalicelib.pupils.rules import PupilRecord, guardian_role_of_account


def _parent(principal: Principal) -> str:
    if principal.role is not Role.PARENT:
        raise NotAllowed("parents only")
    return principal.username


def mine(principal: Principal) -> Preferences:
    return parse_stored(store.get(_parent(principal)))


def change(principal: Principal, table: Mapping[str, Mapping[str, bool]]) -> Preferences:
    key = _parent(principal)
    choice, problems = from_table(table)
    if problems:
        raise InvalidFields("preferences", problems)
    store.put(key, choice.stored())
    return choice


def accounts_of_guardian(record: PupilRecord, role: str) -> list[str]:
    """The account keys that stand for the record's guardian `role`: their CIN's, and the
    `<massar>#parent` account when they are the responsible guardian."""
    person = record.guardians.get(role, {})
    candidates = []
    cin = normalise_cin(person.get("cin", ""))
    if is_cin(cin):
        candidates.append(cin)
    candidates.append(parent_key_for_pupil(record.massar_code))
    return [key for key in candidates if guardian_role_of_account(record, key) == role]


def honour(
    kind: str, items: Sequence[tuple[PupilRecord, str, Notification]]
) -> list[Notification | None]:
    """Each (record, guardian role, notification) as that guardian wants it (None: not
    sent), in order: one BatchGetItem for all of them."""
    keys = {i: accounts_of_guardian(record, role) for i, (record, role, _) in enumerate(items)}
    stored = store.of_accounts(key for found in keys.values() for key in found)
    out: list[Notification | None] = []
    for index, (_, _, notification) in enumerate(items):
        choice = merged(parse_stored(stored[key]) for key in keys[index] if key in stored)
        out.append(routed(notification, kind, choice))
    return out
