"""A class's assessments listed, edited and deleted, in the pupils table.

- `CLASS_ASSESSMENTS#<school>#<class>` / `<school year>#<date>#<id>`: the class's list (the
  assessment's fields, `tally` the marks entered), written with the assessment
  (`marks/store.add_assessment`): the desk's list is one Query;
- the assessment itself, its marks and exam-calendar copies are `marks/store.py`'s items.

An edit or a deletion rewrites the marks and writes their audit records in transactions of
at most 100 items; the exam copies follow in a batch write, the assessment and its entry last
(a retry after a failure redoes it all: every write is a put or an unconditional delete).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from pynamodb.exceptions import UpdateError

from chalicelib.accounts.audit import store as audit
from chalicelib.accounts.audit.rules import AuditEntry
from chalicelib.core.clock import now
from chalicelib.core.cursors import decode_cursor, encode_cursor
from chalicelib.core.models import PupilModel
from chalicelib.core.store import bound
from chalicelib.core.transactions import Transaction
from chalicelib.school_life.marks.store import (
    MAX_TRANSACTION_ITEMS,
    class_list_pk,
    class_list_sk,
)


def count_marks(assessment: dict[str, str], added: int) -> None:
    """Add `added` new marks to the entry's tally (an assessment made before the list
    existed has no entry: nothing to count)."""
    if not added:
        return
    model = bound(PupilModel)
    item = model(
        class_list_pk(assessment["school_code"], assessment["class_id"]),
        class_list_sk(assessment),
    )
    try:
        item.update(actions=[model.tally.add(added)], condition=model.sk.exists())
    except UpdateError as error:
        if error.cause_response_code != "ConditionalCheckFailedException":
            raise


def of_class(
    school_code: str, class_id: str, school_year: str | None, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """A page of the class's assessments, oldest first (of one school year if given)."""
    pk = class_list_pk(school_code, class_id)
    start: Any = decode_cursor(cursor, {"pk": pk}, {"pk": "S", "sk": "S"})
    condition = PupilModel.sk.startswith(f"{school_year}#") if school_year else None
    page = bound(PupilModel).query(
        pk, condition, limit=limit, last_evaluated_key=start, consistent_read=True
    )
    items = [{**item.data.as_dict(), "marks_entered": int(item.tally or 0)} for item in page]
    return items, encode_cursor(page.last_evaluated_key)


def tally_of(assessment: dict[str, str]) -> int:
    model = bound(PupilModel)
    pk = class_list_pk(assessment["school_code"], assessment["class_id"])
    for item in model.query(pk, model.sk == class_list_sk(assessment), consistent_read=True):
        return int(item.tally or 0)
    return 0


def mark_items(massar_codes: Sequence[str], sk: str) -> dict[str, dict[str, str]]:
    """The marks stored for these pupils at `sk`, whole (one BatchGet per 100 keys)."""
    keys = [(f"PUPIL#{code}", sk) for code in massar_codes]
    found: dict[str, dict[str, str]] = {}
    for item in bound(PupilModel).batch_get(keys, consistent_read=True):
        if item.kind == "mark":
            found[item.massar_code] = item.data.as_dict()
    return found


@dataclass(frozen=True)
class MarkChange:
    """One pupil's mark at the assessment: rewritten with `data`, or deleted (`data` None)."""

    massar_code: str
    sk: str
    data: dict[str, str] | None
    entry: AuditEntry


def change_marks(changes: Sequence[MarkChange]) -> None:
    """Each mark rewritten or deleted with its audit record, two items a pupil."""
    model = bound(PupilModel)
    stamp = now()
    per_transaction = MAX_TRANSACTION_ITEMS // 2
    for start in range(0, len(changes), per_transaction):
        transaction = Transaction()
        for change in changes[start : start + per_transaction]:
            key = model(f"PUPIL#{change.massar_code}", change.sk)
            if change.data is None:
                transaction.delete("mark", key)
            else:
                item = model(
                    f"PUPIL#{change.massar_code}",
                    change.sk,
                    kind="mark",
                    massar_code=change.massar_code,
                    data=change.data,
                    created_at=stamp,
                    updated_at=stamp,
                )
                transaction.put("mark", item)
            entry = change.entry
            transaction.external_put("audit", partial(audit.add_to_transaction, entry=entry))
        transaction.commit()


def replace_assessment(
    before: dict[str, str],
    after: dict[str, str] | None,
    members: Sequence[str],
    tally: int,
    enrolled: Sequence[str] = (),
) -> None:
    """The exam copies (of `members` removed or moved, of the `enrolled` ones rewritten),
    then the assessment and its list entry: replaced by `after`, or deleted (`after` None)."""
    model = bound(PupilModel)
    stamp = now()
    pk = class_list_pk(before["school_code"], before["class_id"])
    keep = set(enrolled) if after is not None else set()
    with model.batch_write() as batch:
        for massar_code in members:
            old_sk = f"EXAM#{before['date']}#{before['id']}"
            moved = after is not None and after["date"] != before["date"]
            if massar_code not in keep or moved:
                batch.delete(model(f"PUPIL#{massar_code}", old_sk))
            if massar_code in keep and after is not None:
                batch.save(
                    model(
                        f"PUPIL#{massar_code}",
                        f"EXAM#{after['date']}#{after['id']}",
                        kind="exam",
                        massar_code=massar_code,
                        data=after,
                        created_at=stamp,
                    )
                )
    with model.batch_write() as batch:
        if after is None or class_list_sk(after) != class_list_sk(before):
            batch.delete(model(pk, class_list_sk(before)))
        if after is None:
            batch.delete(model(f"ASSESSMENT#{before['id']}", "ASSESSMENT"))
            return
        batch.save(
            model(
                pk,
                class_list_sk(after),
                kind="assessment_entry",
                massar_code="-",
                data=after,
                created_at=stamp,
                tally=tally,
            )
        )
        batch.save(
            model(
                f"ASSESSMENT#{after['id']}",
                "ASSESSMENT",
                kind="assessment",
                massar_code="-",
                data=after,
                created_at=stamp,
            )
        )
