"""Bodies of the guardians routes (family space): a pupil's guardians, their
corrections and the changes a school sees."""

from __future__ import annotations

from datetime import datetime

from pydantic import EmailStr, Field

from chalicelib.core.schemas import AnswerBody, RequestBody


class GuardianPatch(RequestBody):
    first_name_ar: str | None = Field(default=None, min_length=1, max_length=60)
    last_name_ar: str | None = Field(default=None, min_length=1, max_length=60)
    first_name_lat: str | None = Field(default=None, min_length=1, max_length=60)
    last_name_lat: str | None = Field(default=None, min_length=1, max_length=60)
    cin: str | None = Field(default=None, max_length=12)
    phone: str | None = Field(default=None, max_length=20)
    email: EmailStr | None = None
    profession: str | None = Field(default=None, max_length=100)
    address: str | None = Field(default=None, max_length=300)


class Guardian(AnswerBody):
    role: str
    first_name_ar: str | None = None
    last_name_ar: str | None = None
    first_name_lat: str | None = None
    last_name_lat: str | None = None
    cin: str | None = None
    phone: str | None = None
    email: str | None = None
    profession: str | None = None
    address: str | None = None
    confirmed_at: datetime | None = None


class Guardians(AnswerBody):
    massar_code: str
    items: list[Guardian]


class GuardianChange(AnswerBody):
    massar_code: str
    role: str
    changed_by: str
    changed_at: datetime
    before: dict[str, str]
    after: dict[str, str]


class GuardianChanges(AnswerBody):
    items: list[GuardianChange]
    next_cursor: str | None = None
