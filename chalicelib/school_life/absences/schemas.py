"""Request and answer bodies of absences and justifications."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from chalicelib.core.schemas import AnswerBody, RequestBody


class AbsentPupil(RequestBody):
    massar_code: str = Field(min_length=1, max_length=20)
    justified: bool = False
    reason: str | None = Field(default=None, max_length=200)


class AbsenceSheet(RequestBody):
    date: dt.date
    session: str = Field(
        pattern=r"^(?:[01]\d|2[0-3]):[0-5]\d-(?:[01]\d|2[0-3]):[0-5]\d$",
        examples=["08:00-09:00"],
    )
    subject: str | None = Field(default=None, max_length=80)
    absent: list[AbsentPupil] = Field(max_length=60)


class RecordedAbsence(AnswerBody):
    id: str
    massar_code: str
    justified: bool
    created: bool = Field(description="false when this session was already recorded")
    alerted: bool = Field(description="an SMS alert to the responsible guardian was queued")


class RecordedSheet(AnswerBody):
    absences: list[RecordedAbsence]


class JustificationView(AnswerBody):
    status: Literal["pending", "accepted", "refused"]
    text: str
    has_photo: bool
    photo_url: str | None = Field(default=None, description="presigned, valid 15 minutes")
    sent_at: str | None = None
    decision_reason: str | None = None


class Absence(AnswerBody):
    id: str
    date: str
    session: str
    subject: str | None = None
    justified: bool
    reason: str | None = None
    justification: JustificationView | None = None


class Absences(AnswerBody):
    items: list[Absence]
    next_cursor: str | None = None


class JustificationRequest(RequestBody):
    text: str = Field(min_length=1, max_length=1000)
    photo_key: str | None = Field(default=None, max_length=200)


class Decision(RequestBody):
    reason: str | None = Field(default=None, max_length=300)


class JustificationPhotoUpload(AnswerBody):
    photo_key: str = Field(description="give it as `photo_key` in the justification")
    url: str
    fields: dict[str, str] = Field(description="form fields to send before the `file` field")
    max_bytes: int
    expires_in: int
