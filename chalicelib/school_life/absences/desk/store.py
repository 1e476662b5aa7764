"""The staff's side of absences: a wrongly recorded absence removed with its audit record
and the guardian's notice in one transaction, and the school's pending justifications read
from the sparse index `by_pending_justification` (only absences awaiting a decision carry
its keys, `absences/store.pending_queue_actions`)."""

from __future__ import annotations

from functools import partial
from typing import Any

from chalicelib.accounts.audit import store as audit
from chalicelib.accounts.audit.rules import AuditEntry
from chalicelib.core.cursors import decode_cursor, encode_cursor
from chalicelib.core.errors import NotFound
from chalicelib.core.models import PupilModel
from chalicelib.core.store import bound
from chalicelib.core.transactions import Transaction
from chalicelib.notifications import store as outbox
from chalicelib.notifications.rules import Notification
from chalicelib.pupils.store import pupil_pk

QUEUE_KEY = {"pending_school": "S", "pending_at": "S", "pk": "S", "sk": "S"}


def alerted(notification_id: str) -> bool:
    """Whether the absence's SMS alert was queued (one GetItem of the outbox)."""
    return outbox.get_record(notification_id) is not None


def cancel(
    massar_code: str,
    sk: str,
    school_code: str,
    entry: AuditEntry,
    notice: Notification | None,
) -> None:
    """Delete the absence if it is still there and still the school's (else NotFound), with
    its audit record and the guardian's notice."""
    model = bound(PupilModel)
    transaction = Transaction()
    condition = (model.kind == "absence") & (model.data["school_code"] == school_code)  # type: ignore[index]
    transaction.delete("absence", model(pupil_pk(massar_code), sk), condition)
    transaction.external_put("audit", partial(audit.add_to_transaction, entry=entry))
    if notice is not None:
        transaction.external_put("notice", partial(outbox.add_to_transaction, notification=notice))
    transaction.commit({"absence": NotFound("absence")})


def pending_of_school(
    school_code: str, limit: int, cursor: str | None
) -> tuple[list[dict[str, str]], str | None]:
    """A page of the school's absences whose justification awaits a decision, oldest sent
    first: one Query of the sparse index."""
    start: Any = decode_cursor(cursor, {"pending_school": school_code}, QUEUE_KEY)
    page = bound(PupilModel).by_pending_justification.query(
        school_code, limit=limit, last_evaluated_key=start
    )
    items = [
        {
            "massar_code": item.massar_code,
            "sk": item.sk,
            **{str(k): str(v) for k, v in item.data.as_dict().items()},
        }
        for item in page
        if item.kind == "absence"
    ]
    return items, encode_cursor(page.last_evaluated_key)
