"""Homework in its class's partition of the pupils table (with the class's members and week):

- `CLASS#<school>#<class_id>` / `HOMEWORK#<due date>#<id>`: the homework, so a class's
  upcoming homework is one Query in due-date order (and its past one the same Query backwards);
- `CLASS#<school>#<class_id>` / `HOMEWORKID#<id>`: where the homework of that id is now (its
  sort key changes with its due date), for the staff's edits and deletions.
"""

from __future__ import annotations

import json
from typing import Any

from pynamodb.exceptions import DoesNotExist

from chalicelib.core.clock import now
from chalicelib.core.errors import Conflict, NotFound
from chalicelib.core.models import PupilModel
from chalicelib.core.store import bound
from chalicelib.core.transactions import Transaction


def class_pk(school_code: str, class_id: str) -> str:
    return f"CLASS#{school_code}#{class_id}"


def homework_sk(due_date: str, id_: str) -> str:
    return f"HOMEWORK#{due_date}#{id_}"


def _ref_sk(id_: str) -> str:
    return f"HOMEWORKID#{id_}"


def _item(pk: str, sk: str, kind: str, data: dict[str, str], created: Any) -> PupilModel:
    return bound(PupilModel)(
        pk, sk, kind=kind, massar_code="-", data=data, created_at=created, updated_at=now()
    )


def _stored(homework: dict[str, Any]) -> dict[str, str]:
    data = {k: str(v) for k, v in homework.items() if k != "documents" and v not in (None, "")}
    data["documents"] = json.dumps(homework.get("documents") or [], ensure_ascii=False)
    return data


def save(homework: dict[str, Any], before: dict[str, Any] | None = None) -> None:
    """Write a new homework (`before` None) or its new version, with its pointer, in one
    transaction; Conflict when it was created, moved or deleted meanwhile."""
    pk = class_pk(homework["school_code"], homework["class_id"])
    sk = homework_sk(homework["due_date"], homework["id"])
    created = now() if before is None else before["_created_at"]
    transaction = Transaction()
    model = bound(PupilModel)
    if before is not None and before["_sk"] != sk:
        old = model(pk, before["_sk"])
        transaction.delete("old", old, PupilModel.sk.exists())
    new_version = before is None or before["_sk"] != sk
    condition = PupilModel.sk.does_not_exist() if new_version else PupilModel.sk.exists()
    transaction.put("homework", _item(pk, sk, "homework", _stored(homework), created), condition)
    ref_condition = PupilModel.sk.does_not_exist() if before is None else PupilModel.sk.exists()
    ref = _item(pk, _ref_sk(homework["id"]), "homework_ref", {"sk": sk}, created)
    transaction.put("ref", ref, ref_condition)
    transaction.commit(any_refusal=Conflict("changed meanwhile: load it again"))


def delete(before: dict[str, Any]) -> None:
    pk = class_pk(before["school_code"], before["class_id"])
    model = bound(PupilModel)
    transaction = Transaction()
    transaction.delete("homework", model(pk, before["_sk"]), PupilModel.sk.exists())
    transaction.delete("ref", model(pk, _ref_sk(before["id"])), PupilModel.sk.exists())
    transaction.commit(any_refusal=NotFound("homework"))


def get(school_code: str, class_id: str, id_: str) -> dict[str, Any] | None:
    """Two GetItems: the pointer, then the homework."""
    pk = class_pk(school_code, class_id)
    model = bound(PupilModel)
    try:
        ref = model.get(pk, _ref_sk(id_), consistent_read=True)
        item = model.get(pk, str(ref.data.as_dict().get("sk", "")), consistent_read=True)
    except DoesNotExist:
        return None
    return _plain(item) if item.kind == "homework" else None


def of_class(
    school_code: str,
    class_id: str,
    low: str,
    high: str,
    backwards: bool,
    limit: int,
    cursor: str | None,
) -> tuple[list[dict[str, Any]], str | None]:
    """One page of a class's homework between two sort keys: one Query."""
    from chalicelib.core.cursors import decode_cursor, encode_cursor

    pk = class_pk(school_code, class_id)
    result = bound(PupilModel).query(
        pk,
        PupilModel.sk.between(low, high),
        scan_index_forward=not backwards,
        limit=limit,
        last_evaluated_key=decode_cursor(cursor, {"pk": pk}),
    )
    items = [_plain(item) for item in result if item.kind == "homework"]
    return items, encode_cursor(result.last_evaluated_key)


def _plain(item: PupilModel) -> dict[str, Any]:
    data: dict[str, Any] = {str(k): str(v) for k, v in item.data.as_dict().items()}
    data["documents"] = json.loads(str(data.get("documents") or "[]"))
    data["_sk"] = item.sk
    data["_created_at"] = item.created_at
    return data
