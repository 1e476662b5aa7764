"""Bodies of the family space routes (issue 6): messages, appointments, guardian data."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, EmailStr, Field

from chalicelib.handlers.schemas import AnswerBody, RequestBody

# --- Appointments -------------------------------------------------------------------------


class AppointmentRequest(RequestBody):
    purpose: Literal["school_certificate", "meeting"]
    note: str | None = Field(default=None, max_length=500)


class ApproveAppointment(RequestBody):
    scheduled_at: AwareDatetime  # ISO 8601 with an offset


class DeclineAppointment(RequestBody):
    reason: str = Field(min_length=1, max_length=500)


class Appointment(AnswerBody):
    id: str
    massar_code: str
    school_code: str
    purpose: str
    status: Literal["pending", "approved", "declined"]
    note: str | None = None
    requester: str | None = None
    created_at: datetime
    scheduled_at: datetime | None = None
    reason: str | None = None
    decided_at: datetime | None = None


class AppointmentCreated(AnswerBody):
    id: str
    status: Literal["pending"] = "pending"


class AppointmentPage(AnswerBody):
    items: list[Appointment]
    next_cursor: str | None = None


# --- Messages -----------------------------------------------------------------------------


class MessageRequest(RequestBody):
    body: str = Field(min_length=1, max_length=2000)


class Message(AnswerBody):
    id: str
    body: str
    author: str
    author_role: str
    from_school: bool
    sent_at: datetime


class Thread(AnswerBody):
    massar_code: str
    items: list[Message]
    unread: int
    next_cursor: str | None = None


class InboxThread(AnswerBody):
    massar_code: str
    last_at: datetime
    last_body: str
    unread: int


class Inbox(AnswerBody):
    items: list[InboxThread]
    next_cursor: str | None = None


# --- Guardians ----------------------------------------------------------------------------


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
