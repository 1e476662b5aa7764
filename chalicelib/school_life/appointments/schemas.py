"""Bodies of the appointments routes (family space)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, Field, NaiveDatetime, computed_field, model_validator
from pydantic_core import PydanticCustomError

from chalicelib.core.schemas import CASABLANCA, AnswerBody, RequestBody
from chalicelib.pupils.schemas import PupilName


class AppointmentRequest(RequestBody):
    purpose: Literal["school_certificate", "meeting"]
    note: str | None = Field(default=None, max_length=500)


class ApproveAppointment(RequestBody):
    """The time as an instant with its offset (`scheduled_at`), or as the wall time typed on
    the Africa/Casablanca clock of that date (`scheduled_local`, no offset): the server
    finds the offset in the tz database, so a client need not know Morocco's rules."""

    scheduled_at: AwareDatetime | None = None  # ISO 8601 with an offset
    scheduled_local: NaiveDatetime | None = Field(
        default=None, description="wall time on the Africa/Casablanca clock, e.g. 2027-02-22T10:30"
    )

    @model_validator(mode="after")
    def _one_time(self) -> ApproveAppointment:
        if self.scheduled_at is None and self.scheduled_local is None:
            raise PydanticCustomError("missing", "Field required")
        return self

    def moment(self) -> datetime:
        """The appointment's instant, on the Casablanca clock."""
        if self.scheduled_at is not None:
            return self.scheduled_at.astimezone(CASABLANCA)
        assert self.scheduled_local is not None
        return self.scheduled_local.replace(tzinfo=CASABLANCA)


class DeclineAppointment(RequestBody):
    reason: str = Field(min_length=1, max_length=500)


class Appointment(AnswerBody):
    id: str
    massar_code: str
    pupil: PupilName | None = Field(default=None, description="the pupil's names (lists)")
    school_code: str
    purpose: str
    status: Literal["pending", "approved", "declined"]
    note: str | None = None
    requester: str | None = None
    created_at: datetime
    scheduled_at: datetime | None = None
    reason: str | None = None
    decided_at: datetime | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def scheduled_local(self) -> str | None:
        """`scheduled_at` as the wall time on the Africa/Casablanca clock
        (`YYYY-MM-DDTHH:MM`), for clients whose time-zone data is not to be trusted."""
        if self.scheduled_at is None:
            return None
        moment = self.scheduled_at
        if moment.tzinfo is not None:
            moment = moment.astimezone(CASABLANCA)
        return moment.strftime("%Y-%m-%dT%H:%M")


class AppointmentCreated(AnswerBody):
    id: str
    status: Literal["pending"] = "pending"


class AppointmentPage(AnswerBody):
    items: list[Appointment]
    next_cursor: str | None = None
