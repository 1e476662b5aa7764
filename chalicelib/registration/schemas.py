"""Request and answer bodies of the registrations (the campaigns' and the dashboard's are in
`campaigns/schemas.py` and `dashboard/schemas.py`, the schools' in `chalicelib/schools`).

The application itself is the domain's model (`registration.rules.Application`): its
field types check scripts, formats and normalise; the route validates requests with it.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from chalicelib.core.schemas import AnswerBody, RequestBody
from chalicelib.registration.rules import Application
from chalicelib.schools.rules import pydantic_text


class RegistrationRequest(Application):
    """The application of seed 001 (see the domain model's fields)."""


class ChecksAnswer(AnswerBody):
    age_eligible: bool
    in_catchment: bool


class RegistrationSubmitted(AnswerBody):
    id: str
    tracking_code: str = Field(description="keep it: it shows the application's status")
    status: Literal["submitted"]
    checks: ChecksAnswer


class RegistrationAnswer(AnswerBody):
    id: str
    status: Literal["submitted", "approved", "rejected"]
    school_code: str
    school_name_ar: str | None = None
    school_name_fr: str | None = None
    school_year: str
    submitted_at: str
    child: dict[str, str]
    checks: ChecksAnswer
    rejection_reason: str | None = None
    rejection_note: str | None = None
    massar_code: str | None = None
    decided_at: str | None = None
    decided_by: str | None = None
    application: dict[str, Any] | None = Field(
        default=None, description="the whole application (staff and operators only)"
    )
    photo_url: str | None = Field(
        default=None, description="short-lived link to the child's photo (staff and operators)"
    )
    residence: dict[str, dict[str, str]] | None = Field(
        default=None,
        description="the residence's commune and district named: {code, name_ar, name_fr} "
        "(staff and operators)",
    )
    conflicts: list[dict[str, str]] | None = Field(
        default=None,
        description="other applications for the same child this campaign, from another "
        "family (id, status, school_code, submitted_at): the schools decide between them "
        "(staff and operators)",
    )
    notifications: list[dict[str, str]] = Field(
        default_factory=list,
        description="the messages sent about it: channel, status and a summary in words",
    )


class RegistrationRow(AnswerBody):
    id: str
    status: str
    school_code: str
    school_year: str
    child: dict[str, str]
    gender: str
    birth_date: str
    commune: str
    commune_name_ar: str | None = None
    commune_name_fr: str | None = None
    checks: ChecksAnswer
    submitted_at: str
    rejection_reason: str | None = None
    massar_code: str | None = None


class RegistrationList(AnswerBody):
    items: list[RegistrationRow]
    next_cursor: str | None


class TrackRequest(RequestBody):
    tracking_code: str = Field(
        min_length=1,
        max_length=40,
        description="the code in the receipt's SMS or email, e.g. ABCD-EFGH-JKLM",
    )


class RejectRequest(RequestBody):
    reason: Literal["under_age", "out_of_catchment", "other"]
    note: Annotated[str, pydantic_text(300)] | None = Field(
        default=None, description="required when the reason is other"
    )


class Decision(AnswerBody):
    id: str
    status: Literal["approved", "rejected"]
    massar_code: str | None = None


class PhotoUpload(AnswerBody):
    photo_key: str = Field(description="give it as `photo_key` in the application")
    url: str
    fields: dict[str, str] = Field(description="form fields to send before the `file` field")
    max_bytes: int
    expires_in: int
