"""A class's week grid, next to its members: `CLASS#<school>#<class_id>` / `TIMETABLE`
(the slots as one JSON string, with the school code for the access check)."""

from __future__ import annotations

import json
from typing import Any

from pynamodb.exceptions import DoesNotExist

from chalicelib.core.clock import now
from chalicelib.core.models import PupilModel
from chalicelib.core.store import bound

SK = "TIMETABLE"


def _class_pk(school_code: str, class_id: str) -> str:
    return f"CLASS#{school_code}#{class_id}"


def save(school_code: str, class_id: str, slots: list[dict[str, Any]], by: str) -> None:
    stamp = now()
    bound(PupilModel)(
        _class_pk(school_code, class_id),
        SK,
        kind="timetable",
        massar_code="-",
        data={
            "school_code": school_code,
            "class_id": class_id,
            "slots": json.dumps(slots, ensure_ascii=False, separators=(",", ":")),
            "updated_by": by,
        },
        created_at=stamp,
        updated_at=stamp,
    ).save()


def get(school_code: str, class_id: str) -> dict[str, Any] | None:
    """One GetItem."""
    try:
        item = bound(PupilModel).get(_class_pk(school_code, class_id), SK)
    except DoesNotExist:
        return None
    data = item.data.as_dict()
    return {
        "school_code": str(data.get("school_code", school_code)),
        "class_id": str(data.get("class_id", class_id)),
        "slots": json.loads(str(data.get("slots") or "[]")),
        "updated_at": item.updated_at.isoformat() if item.updated_at else None,
    }
