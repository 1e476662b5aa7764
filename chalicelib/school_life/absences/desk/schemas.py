"""Answer bodies of the staff's side of absences."""

from __future__ import annotations

from pydantic import Field

from chalicelib.core.schemas import AnswerBody
from chalicelib.school_life.absences.schemas import Absence
from chalicelib.school_life.marks.assessments.schemas import PupilNames


class CancelledAbsence(AnswerBody):
    id: str
    massar_code: str
    date: str
    session: str
    subject: str | None = None
    guardian_notified: bool = Field(
        description="the guardian who got the alert is told it is cancelled"
    )


class PendingJustification(Absence):
    massar_code: str
    class_id: str | None = None
    names: PupilNames | None = None


class PendingJustifications(AnswerBody):
    items: list[PendingJustification]
    next_cursor: str | None = None
