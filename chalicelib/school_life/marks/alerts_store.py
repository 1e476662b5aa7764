"""What the drop-in-marks alert reads and writes in the pupil's partition:

- the marks of one subject in one semester (`MARK#<year>#S<n>#<subject>#`, one Query,
  consistent: the marks just written count);
- `PUPIL#<massar>` / `MARKS_ALERT#<year>#S<n>#<subject>`: the marker of an alert sent, so
  that a subject's semester alerts once until its average recovers (the marker is then
  deleted). The marker and the outbox item are one transaction; the marker is conditional,
  so two sheets entered at once alert once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial

from chalicelib.core.clock import now
from chalicelib.core.models import PupilModel
from chalicelib.core.store import bound
from chalicelib.core.transactions import Transaction
from chalicelib.notifications.rules import Notification
from chalicelib.pupils.store import BATCH_GET_LIMIT, pupil_pk
from chalicelib.school_life.marks.store import MAX_TRANSACTION_ITEMS, mark_prefix


def marker_sk(school_year: str, semester: int, subject: str) -> str:
    return f"MARKS_ALERT#{school_year}#S{semester}#{subject}"


def subject_marks(massar_code: str, school_year: str, semester: int, subject: str) -> list[str]:
    """The pupil's marks (texts, or "absent") of a subject in a semester: one Query."""
    items = bound(PupilModel).query(
        pupil_pk(massar_code),
        PupilModel.sk.startswith(f"{mark_prefix(school_year, semester)}{subject}#"),
        consistent_read=True,
    )
    return [str(item.data.as_dict().get("mark", "")) for item in items]  # type: ignore[no-untyped-call]


def markers(massar_codes: Iterable[str], sk: str) -> set[str]:
    """The pupils among these who hold the marker `sk`: one BatchGetItem per 100."""
    codes = list(dict.fromkeys(massar_codes))
    found: set[str] = set()
    for start in range(0, len(codes), BATCH_GET_LIMIT):
        keys = [(pupil_pk(code), sk) for code in codes[start : start + BATCH_GET_LIMIT]]
        found.update(item.massar_code for item in bound(PupilModel).batch_get(keys))
    return found


@dataclass(frozen=True)
class MarkerChange:
    massar_code: str
    sk: str
    raise_it: bool  # True: set the marker (and send `alert`); False: the average recovered
    alert: Notification | None = None
    data: dict[str, str] | None = None


def _add(transaction: Transaction, change: MarkerChange) -> None:
    from chalicelib.notifications import store as outbox

    model = bound(PupilModel)
    label = f"marker:{change.massar_code}"
    if not change.raise_it:
        transaction.delete(label, model(pupil_pk(change.massar_code), change.sk))
        return
    stamp = now()
    item = model(
        pupil_pk(change.massar_code),
        change.sk,
        kind="marks_alert",
        massar_code=change.massar_code,
        data={k: v for k, v in (change.data or {}).items() if v},
        created_at=stamp,
        updated_at=stamp,
    )
    transaction.put(label, item, PupilModel.sk.does_not_exist())
    if change.alert is not None:
        notification = change.alert
        transaction.external_put(
            f"alert:{change.massar_code}",
            partial(outbox.add_to_transaction, notification=notification),
        )


def commit(changes: Sequence[MarkerChange]) -> list[MarkerChange]:
    """Write the changes (two items a pupil at most, 50 pupils a transaction); a marker some
    other entry set meanwhile is left out and the rest written again. Returns the changes
    written."""
    written: list[MarkerChange] = []
    per_transaction = MAX_TRANSACTION_ITEMS // 2
    for start in range(0, len(changes), per_transaction):
        part = list(changes[start : start + per_transaction])
        while part:
            transaction = Transaction()
            for change in part:
                _add(transaction, change)
            refused = transaction.commit_or_refused()
            if not refused:
                written.extend(part)
                break
            left = [c for c in part if f"marker:{c.massar_code}" not in refused]
            if len(left) == len(part):  # refused for no marker: never loop on it
                raise RuntimeError(f"marks alerts refused: {sorted(refused)}")
            part = left
    return written
