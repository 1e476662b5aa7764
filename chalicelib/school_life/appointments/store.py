"""Certificate and meeting appointments (seed 000), in the pupils table (no table of their own).

- `APPOINTMENT#<id>` / `APPOINTMENT`: the record, found by id (approve, decline);
- `PUPIL#<massar>` / `APPOINTMENT#<created_at>#<id>`: a copy in the pupil's partition, so
  the requester lists the pupil's appointments with one Query, oldest first;
- `APPOINTMENTS#<school>` / `<status>#<created_at>#<id>`: the school's list by status, so
  staff list the pending ones with one Query (begins_with on the status).
A decision rewrites the three items in one transaction, conditioned on the record still
being pending (a decision is final), with the requester's notification in the outbox.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from pynamodb.exceptions import DoesNotExist

from chalicelib.core.clock import now
from chalicelib.core.cursors import Page, decode_cursor, encode_cursor
from chalicelib.core.errors import AlreadyDecided
from chalicelib.core.models import PupilModel
from chalicelib.core.store import bound
from chalicelib.core.transactions import Transaction
from chalicelib.notifications import store as outbox
from chalicelib.notifications.rules import Notification
from chalicelib.pupils.store import pupil_pk

RECORD = "APPOINTMENT"


def record_pk(appointment_id: str) -> str:
    return f"APPOINTMENT#{appointment_id}"


def school_pk(school_code: str) -> str:
    return f"APPOINTMENTS#{school_code}"


def _pupil_sk(data: dict[str, str]) -> str:
    return f"APPOINTMENT#{data['created_at']}#{data['id']}"


def _school_sk(data: dict[str, str]) -> str:
    return f"{data['status']}#{data['created_at']}#{data['id']}"


def _item(pk: str, sk: str, data: dict[str, str]) -> PupilModel:
    return bound(PupilModel)(
        pk,
        sk,
        kind="appointment",
        massar_code=data["massar_code"],
        data=data,
        created_at=now(),
    )


def create(data: dict[str, str]) -> None:
    transaction = Transaction()
    transaction.put(
        "appointment",
        _item(record_pk(data["id"]), RECORD, data),
        PupilModel.pk.does_not_exist(),
    )
    transaction.put("pupil_entry", _item(pupil_pk(data["massar_code"]), _pupil_sk(data), data))
    transaction.put("school_entry", _item(school_pk(data["school_code"]), _school_sk(data), data))
    transaction.commit()


def get(appointment_id: str) -> dict[str, str] | None:
    try:
        item = bound(PupilModel).get(record_pk(appointment_id), RECORD, consistent_read=True)
    except DoesNotExist:
        return None
    return dict(item.data.as_dict())


def decide(
    before: dict[str, str], after: dict[str, str], notification: Notification | None
) -> None:
    """Write the decision; AlreadyDecided when another decision came first."""
    transaction = Transaction()
    transaction.put(
        "appointment",
        _item(record_pk(after["id"]), RECORD, after),
        PupilModel.data["status"] == "pending",  # type: ignore[index]
    )
    transaction.put("pupil_entry", _item(pupil_pk(after["massar_code"]), _pupil_sk(after), after))
    transaction.delete(
        "school_pending", _item(school_pk(before["school_code"]), _school_sk(before), before)
    )
    transaction.put(
        "school_entry", _item(school_pk(after["school_code"]), _school_sk(after), after)
    )
    if notification is not None:
        transaction.external_put(
            "notification", partial(outbox.add_to_transaction, notification=notification)
        )
    transaction.commit({"appointment": AlreadyDecided("appointment")})


def query_page(
    pk: str, prefix: str, limit: int, cursor: str | None, *, newest_first: bool = False
) -> Page[dict[str, str]]:
    """One page of the items of `pk` whose sort key starts with `prefix` (one Query)."""
    start: Any = decode_cursor(cursor, {"pk": pk})
    result = bound(PupilModel).query(
        pk,
        PupilModel.sk.startswith(prefix) if prefix else None,
        limit=limit,
        last_evaluated_key=start,
        scan_index_forward=not newest_first,
    )
    items = [dict(item.data.as_dict()) for item in result]
    return Page(items, encode_cursor(result.last_evaluated_key))


def for_pupil(massar_code: str, limit: int, cursor: str | None) -> Page[dict[str, str]]:
    return query_page(pupil_pk(massar_code), "APPOINTMENT#", limit, cursor)


def for_school(
    school_code: str, status: str | None, limit: int, cursor: str | None
) -> Page[dict[str, str]]:
    return query_page(school_pk(school_code), f"{status}#" if status else "", limit, cursor)
