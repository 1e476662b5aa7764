"""Messages between a pupil's family and the school administration, in the pupils table.

- `PUPIL#<massar>` / `MESSAGE#<sent_at>#<id>`: one message of the pupil's thread (a Query on
  the partition reads the thread in time order);
- `PUPIL#<massar>` / `THREAD`: the thread's state — `last_at`, `last_body`, `school_unread`
  (messages from the family the school has not read), `school_sent` (messages from the
  school so far);
- `PUPIL#<massar>` / `MSGREAD#<account>`: up to when a member of the family has read
  (`read_at`) and how many messages from the school there were then (`read_count`), so
  their unread count is a subtraction, not a Query;
- `INBOX#<school>` / `<last_at>#<massar>`: the school inbox, one entry per thread, newest
  last; a new message moves it (delete + put in the message's transaction).
The thread state is written conditioned on the `last_at` read before, so two messages at the
same moment cannot leave two inbox entries for one thread (the loser is retried).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from pynamodb.exceptions import DoesNotExist

from chalicelib.core.clock import now
from chalicelib.core.cursors import Page
from chalicelib.core.errors import Conflict
from chalicelib.core.flags import TRUE_VALUES
from chalicelib.core.models import PupilModel
from chalicelib.core.store import bound
from chalicelib.core.transactions import Transaction, TransactionFailed
from chalicelib.notifications import store as outbox
from chalicelib.notifications.rules import Notification
from chalicelib.pupils.rules import PupilRecord
from chalicelib.pupils.store import PROFILE, pupil_pk, record_of
from chalicelib.school_life.appointments.store import query_page

THREAD = "THREAD"
ATTEMPTS = 3


def inbox_pk(school_code: str) -> str:
    return f"INBOX#{school_code}"


def _item(pk: str, sk: str, massar_code: str, kind: str, data: dict[str, str]) -> PupilModel:
    return bound(PupilModel)(
        pk, sk, kind=kind, massar_code=massar_code, data=data, created_at=now()
    )


def thread_state(massar_code: str) -> dict[str, str] | None:
    try:
        item = bound(PupilModel).get(pupil_pk(massar_code), THREAD, consistent_read=True)
    except DoesNotExist:
        return None
    return dict(item.data.as_dict())


@dataclass(frozen=True)
class ThreadContext:
    record: PupilRecord | None
    state: dict[str, str] | None
    marker: dict[str, str] | None  # the reader's: read_at, read_count


def _marker_sk(reader: str) -> str:
    return f"MSGREAD#{reader}"


def thread_context(massar_code: str, reader: str | None) -> ThreadContext:
    """The pupil record (who may read), the thread's state and the reader's marker: the three
    items of the pupil's partition a thread's reading needs, in one BatchGetItem."""
    pk = pupil_pk(massar_code)
    keys = [(pk, PROFILE), (pk, THREAD)] + ([(pk, _marker_sk(reader))] if reader else [])
    found = {item.sk: item for item in bound(PupilModel).batch_get(keys, consistent_read=True)}
    record = found.get(PROFILE)
    state = found.get(THREAD)
    marker = found.get(_marker_sk(reader)) if reader else None
    return ThreadContext(
        record_of(record) if record is not None else None,
        dict(state.data.as_dict()) if state is not None else None,
        dict(marker.data.as_dict()) if marker is not None else None,
    )


def school_sent(massar_code: str, state: dict[str, str] | None) -> int:
    """Messages from the school so far: kept in the state; counted once for a thread written
    before it was."""
    if state is None:
        return 0
    if "school_sent" in state:
        return int(state["school_sent"])
    return count_from_school_after(massar_code, None)


def _state_condition(state: dict[str, str] | None) -> Any:
    if state is None:
        return PupilModel.pk.does_not_exist()
    return PupilModel.data["last_at"] == state["last_at"]  # type: ignore[index]


def _inbox_entry(massar_code: str, state: dict[str, str]) -> PupilModel:
    return _item(
        inbox_pk(state["school_code"]),
        f"{state['last_at']}#{massar_code}",
        massar_code,
        "inbox",
        {**state, "massar_code": massar_code},
    )


def _written(transaction: Transaction, attempt: int) -> bool:
    """Commit a thread's change: False when the thread moved since it was read (read it
    again and retry); Conflict after the last attempt, or for any other failure."""
    try:
        refused = transaction.commit_or_refused()
    except TransactionFailed as error:
        raise Conflict("thread") from error
    if refused and ("thread" not in refused or attempt == ATTEMPTS - 1):
        raise Conflict("thread")
    return not refused


def read_marker(massar_code: str, reader: str) -> dict[str, str] | None:
    try:
        item = bound(PupilModel).get(pupil_pk(massar_code), _marker_sk(reader))
    except DoesNotExist:
        return None
    return dict(item.data.as_dict())


Notice = Callable[[dict[str, str] | None], Notification | None]


def add_message(message: dict[str, str], from_school: bool, notice: Notice | None = None) -> None:
    """Write the message, move the thread in the school inbox, count it unread for the school
    when it comes from the family. `notice`: the family's notification, made from the thread
    state read before (written in the message's transaction). The state keeps the family's
    last author (`family_author`), whom the school answers."""
    massar = message["massar_code"]
    for attempt in range(ATTEMPTS):
        state = thread_state(massar)
        unread = int(state["school_unread"]) if state else 0
        author = (state or {}).get("family_author", "")
        new_state = {
            "school_code": message["school_code"],
            "last_at": message["sent_at"],
            "last_body": message["body"][:200],
            "school_unread": str(0 if from_school else unread + 1),
            "school_sent": str(school_sent(massar, state) + (1 if from_school else 0)),
        }
        if not from_school or author:
            new_state["family_author"] = author if from_school else message["author"]
        transaction = Transaction()
        transaction.put(
            "message",
            _item(
                pupil_pk(massar),
                f"MESSAGE#{message['sent_at']}#{message['id']}",
                massar,
                "message",
                message,
            ),
        )
        transaction.put(
            "thread",
            _item(pupil_pk(massar), THREAD, massar, "thread", new_state),
            _state_condition(state),
        )
        if state is not None:
            transaction.delete("inbox_old", _inbox_entry(massar, state))
        transaction.put("inbox", _inbox_entry(massar, new_state))
        notification = notice(state) if notice is not None else None
        if notification is not None:
            transaction.external_put(
                "notice", partial(outbox.add_to_transaction, notification=notification)
            )
        if _written(transaction, attempt):
            return


def mark_read_by_school(massar_code: str, read: dict[str, str] | None = None) -> None:
    """The school read the thread: its unread count goes to 0 (state and inbox entry).
    `read`: the state the caller just read (no second read unless it changed meanwhile)."""
    for attempt in range(ATTEMPTS):
        state = read if attempt == 0 and read is not None else thread_state(massar_code)
        if state is None or state.get("school_unread") == "0":
            return
        new_state = {**state, "school_unread": "0"}
        transaction = Transaction()
        transaction.put(
            "thread",
            _item(pupil_pk(massar_code), THREAD, massar_code, "thread", new_state),
            _state_condition(state),
        )
        transaction.put("inbox", _inbox_entry(massar_code, new_state))
        if _written(transaction, attempt):
            return


def set_read_marker(
    massar_code: str, reader: str, read_at: str, read_count: int | None = None
) -> None:
    data = {"read_at": read_at}
    if read_count is not None:
        data["read_count"] = str(read_count)
    _item(pupil_pk(massar_code), _marker_sk(reader), massar_code, "read_marker", data).save()


def count_from_school_after(massar_code: str, after: str | None) -> int:
    """Messages from the school after `after` (one Query on the partition's messages)."""
    condition = (
        PupilModel.sk.between(f"MESSAGE#{after}~", "MESSAGE#~")
        if after
        else PupilModel.sk.startswith("MESSAGE#")
    )
    fields: Any = PupilModel.data  # a raw map: `fields[key]` is the path of one entry
    items = bound(PupilModel).query(
        pupil_pk(massar_code),
        condition,
        # Messages written before store "1", newer ones "true" (core/flags): both count.
        filter_condition=fields["from_school"].is_in(*TRUE_VALUES),
    )
    return sum(1 for _ in items)


def thread(massar_code: str, limit: int, cursor: str | None) -> Page[dict[str, str]]:
    return query_page(pupil_pk(massar_code), "MESSAGE#", limit, cursor)


def inbox(
    school_code: str, unread_only: bool, limit: int, cursor: str | None
) -> Page[dict[str, str]]:
    page = query_page(inbox_pk(school_code), "", limit, cursor, newest_first=True)
    if unread_only:
        page.items = [i for i in page.items if i.get("school_unread", "0") != "0"]
    return page
