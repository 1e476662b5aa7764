"""Answer bodies of a pupil's audit."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from chalicelib.core.schemas import AnswerBody


class PupilAuditEvent(AnswerBody):
    at: str
    kind: Literal["marks", "absences", "guardians"]
    event: str = Field(
        description="mark_changed, mark_deleted, assessment_changed, absence_recorded, "
        "justification_decided, absence_cancelled, guardian_changed"
    )
    actor: str = Field(description="who did it: a staff member, a parent")
    detail: dict[str, str] = Field(description="what: assessment, date, session, before, after…")


class PupilAudit(AnswerBody):
    items: list[PupilAuditEvent]
    next_cursor: str | None = None
