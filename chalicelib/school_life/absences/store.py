"""Absences in the pupil's partition: `PUPIL#<massar>` / `ABSENCE#<school year>#<date>#<session>`.

The sort key is deterministic (recording a session twice writes the same item), and a
pupil's absences are one Query on the `ABSENCE#` prefix. Each item carries the school code
and class, so the view checks a staff member's access from the items it reads anyway.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from pynamodb.exceptions import DoesNotExist

from chalicelib.accounts.audit import store as audit
from chalicelib.accounts.audit.rules import AuditEntry
from chalicelib.core.clock import now
from chalicelib.core.errors import Conflict
from chalicelib.core.models import PupilModel
from chalicelib.core.store import bound
from chalicelib.core.transactions import Transaction
from chalicelib.notifications import store as outbox
from chalicelib.notifications.rules import Notification
from chalicelib.pupils.store import newest_of_pupil, pupil_pk

PREFIX = "ABSENCE#"


def absence_sk(school_year: str, date: str, session: str) -> str:
    return f"{PREFIX}{school_year}#{date}#{session}"


def existing(keys: list[tuple[str, str]]) -> dict[tuple[str, str], dict[str, str]]:
    """The absences already stored among (massar, sk) keys: BatchGetItem (100 keys a call)."""
    found: dict[tuple[str, str], dict[str, str]] = {}
    wanted = [(pupil_pk(massar), sk) for massar, sk in keys]
    for item in bound(PupilModel).batch_get(wanted, consistent_read=True):
        found[(item.massar_code, item.sk)] = _plain(item)
    return found


def put(
    transaction: Transaction, massar_code: str, sk: str, data: dict[str, str], new: bool
) -> None:
    stamp = now()
    item = bound(PupilModel)(
        pupil_pk(massar_code),
        sk,
        kind="absence",
        massar_code=massar_code,
        data={k: v for k, v in data.items() if v not in (None, "")},
        created_at=stamp,
        updated_at=stamp,
    )
    # A new absence must still be new at commit (two staff recording at once notify once).
    condition = PupilModel.sk.does_not_exist() if new else PupilModel.sk.exists()
    transaction.put("absence", item, condition)


def commit(transaction: Transaction) -> None:
    """Write a session's absences (and their alerts); Conflict when one was recorded by
    someone else meanwhile."""
    transaction.commit(any_refusal=Conflict("recorded meanwhile: send again"))


def get(massar_code: str, sk: str) -> dict[str, str] | None:
    try:
        item = bound(PupilModel).get(pupil_pk(massar_code), sk, consistent_read=True)
    except DoesNotExist:
        return None
    if item.kind != "absence":
        return None
    return _plain(item)


def _update(changes: dict[str, str], expect: dict[str, str]) -> tuple[list[Any], Any]:
    """The update's actions, and its condition: the item's fields still have the `expect`
    values (empty string: absent)."""
    model = bound(PupilModel)
    fields: Any = model.data  # a raw map: `fields[key]` is the path of one entry
    actions: list[Any] = [fields[k].set(v) for k, v in changes.items()]
    actions.append(model.updated_at.set(now()))
    actions += pending_queue_actions(changes)
    condition: Any = model.kind == "absence"
    for key, value in expect.items():
        condition &= fields[key].does_not_exist() if value == "" else fields[key] == value
    return actions, condition


def update_with_notice(
    massar_code: str,
    sk: str,
    changes: dict[str, str],
    expect: dict[str, str],
    notification: Notification | None,
    entry: AuditEntry | None = None,
) -> bool:
    """`update_data` with the family's notification and the audit record (`entry`) in the
    same transaction."""
    if notification is None and entry is None:
        return update_data(massar_code, sk, changes, expect)
    actions, condition = _update(changes, expect)
    transaction = Transaction()
    item = bound(PupilModel)(pupil_pk(massar_code), sk)
    transaction.update("absence", item, actions, condition)
    if notification is not None:
        transaction.external_put(
            "notice", partial(outbox.add_to_transaction, notification=notification)
        )
    if entry is not None:
        transaction.external_put("audit", partial(audit.add_to_transaction, entry=entry))
    return not transaction.commit_or_refused()


def update_data(massar_code: str, sk: str, changes: dict[str, str], expect: dict[str, str]) -> bool:
    """Set data fields if the item's fields still have the `expect` values (empty string:
    absent). False when the condition failed."""
    from pynamodb.exceptions import UpdateError

    model = bound(PupilModel)
    actions, condition = _update(changes, expect)
    try:
        model(pupil_pk(massar_code), sk).update(actions=actions, condition=condition)
    except UpdateError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def of_pupil(
    massar_code: str, school_year: str | None, limit: int, cursor: str | None
) -> tuple[list[dict[str, str]], str | None]:
    """One page of a pupil's absences, newest first (of one school year if given): one
    Query, with an opaque cursor for the next page."""
    page, next_cursor = newest_of_pupil(massar_code, PREFIX, school_year, limit, cursor)
    return [_plain(item) for item in page], next_cursor


def _plain(item: PupilModel) -> dict[str, str]:
    return {
        "massar_code": item.massar_code,
        "sk": item.sk,
        **{str(k): str(v) for k, v in item.data.as_dict().items()},
    }


def pending_queue_actions(changes: dict[str, str]) -> list[Any]:
    """A justification sent enters the school's queue (the sparse index
    `by_pending_justification`: `changes` carries the absence's `school_code`), a decision
    takes the absence out of it."""
    model = bound(PupilModel)
    status = changes.get("justification_status")
    if status == "pending":
        return [
            model.pending_school.set(changes["school_code"]),
            model.pending_at.set(changes["justification_sent_at"]),
        ]
    if status:
        return [model.pending_school.remove(), model.pending_at.remove()]
    return []
