"""Reading the audit of a pupil's school life: staff of the school where the pupil is
enrolled now, and operators whose scope covers that school (core/access). Anyone else: 404,
whether or not the pupil exists."""

from __future__ import annotations

from typing import Any

from chalicelib.accounts.audit.rules import SecurityEvent
from chalicelib.accounts.sign_in.tokens import Principal
from chalicelib.core.access import (
    is_operator,
    operator_covers_school_code,
    pupil_record,
    require_pupil,
)
from chalicelib.core.errors import InvalidFields, NotFound
from chalicelib.school_life.audit import store

KINDS: dict[str, tuple[str, ...]] = {
    "marks": (
        SecurityEvent.MARK_CHANGED.value,
        SecurityEvent.MARK_DELETED.value,
        SecurityEvent.ASSESSMENT_CHANGED.value,
    ),
    "absences": (
        SecurityEvent.ABSENCE_RECORDED.value,
        SecurityEvent.JUSTIFICATION_DECIDED.value,
        SecurityEvent.ABSENCE_CANCELLED.value,
    ),
    "guardians": (SecurityEvent.GUARDIAN_CHANGED.value,),
}


def _require_reader(principal: Principal, massar_code: str) -> None:
    if is_operator(principal):
        record = pupil_record(massar_code)
        school = record.school_code if record is not None else None
        if not school or not operator_covers_school_code(principal, school):
            raise NotFound("pupil")
        return
    require_pupil(principal, massar_code)  # staff of the pupil's current school, else 404


def trail(
    principal: Principal, massar_code: str, kind: str | None, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """A page of the pupil's audit, newest first; `kind` one of marks, absences, guardians
    (none: all three)."""
    if kind is not None and kind not in KINDS:
        raise InvalidFields("kind", {"kind": "invalid_audit_kind"})
    _require_reader(principal, massar_code)
    events = KINDS[kind] if kind else tuple(e for group in KINDS.values() for e in group)
    items, next_cursor = store.pupil_trail(massar_code, events, limit, cursor)
    groups = {event: name for name, group in KINDS.items() for event in group}
    return [{**item, "kind": groups.get(item["event"], "")} for item in items], next_cursor
