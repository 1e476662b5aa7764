"""Behaviour notes in the pupil's partition: `PUPIL#<massar>` / `BEHAVIOUR#<year>#<date>#<id>`
(chalicelib/school_life/behaviour/rules.py). Each item carries the school that wrote it."""

from __future__ import annotations

from functools import partial

from chalicelib.core.clock import now
from chalicelib.core.models import PupilModel
from chalicelib.core.store import bound
from chalicelib.core.transactions import Transaction
from chalicelib.notifications.rules import Notification
from chalicelib.pupils.store import newest_of_pupil, pupil_pk
from chalicelib.school_life.behaviour.rules import PREFIX


def add(massar_code: str, sk: str, data: dict[str, str], alert: Notification | None) -> None:
    """The note and its message in one transaction (the note is new: its id is random)."""
    from chalicelib.core.errors import Conflict
    from chalicelib.notifications import store as outbox

    stamp = now()
    item = bound(PupilModel)(
        pupil_pk(massar_code),
        sk,
        kind="behaviour",
        massar_code=massar_code,
        data={k: v for k, v in data.items() if v},
        created_at=stamp,
        updated_at=stamp,
    )
    transaction = Transaction()
    transaction.put("note", item, PupilModel.sk.does_not_exist())
    if alert is not None:
        transaction.external_put("alert", partial(outbox.add_to_transaction, notification=alert))
    transaction.commit(any_refusal=Conflict("note already written"))


def of_pupil(
    massar_code: str, school_year: str | None, limit: int, cursor: str | None
) -> tuple[list[dict[str, str]], str | None]:
    """A page of the pupil's notes, newest first (of one school year if given): one Query."""
    page, next_cursor = newest_of_pupil(massar_code, PREFIX, school_year, limit, cursor)
    items = [
        {
            "sk": item.sk,
            "created_at": item.created_at.isoformat(),
            **{str(k): str(v) for k, v in item.data.as_dict().items()},
        }
        for item in page
    ]
    return items, next_cursor
