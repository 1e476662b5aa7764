"""Bodies of the enrolment routes (transfers, year-end decisions, re-registration) and the
pupil's names from the record, shown beside a Massar code by the school life routes."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from chalicelib.core.schemas import AnswerBody, RequestBody


class TransferRequest(RequestBody):
    massar_code: str = Field(min_length=10, max_length=10)
    class_id: str | None = Field(default=None, max_length=40)
    note: str | None = Field(default=None, max_length=500)


class TransferDecision(RequestBody):
    reason: str | None = Field(default=None, max_length=500)


class YearEndEntry(RequestBody):
    massar_code: str = Field(min_length=10, max_length=10)
    decision: Literal["promoted", "repeats", "leaves"]
    next_level: str | None = Field(default=None, max_length=20)
    next_track: str | None = Field(default=None, max_length=40)
    note: str | None = Field(default=None, max_length=300)


class YearEndDecisions(RequestBody):
    school_year: str = Field(pattern=r"^\d{4}-\d{4}$")
    decisions: list[YearEndEntry] = Field(min_length=1, max_length=100)


class ReregistrationRequest(RequestBody):
    school_year: str = Field(pattern=r"^\d{4}-\d{4}$", description="the coming school year")
    note: str | None = Field(default=None, max_length=500)


class PupilName(AnswerBody):
    """The pupil's names from the record, beside the Massar code on the staff's screens."""

    first_name_ar: str | None = None
    last_name_ar: str | None = None
    first_name_lat: str | None = None
    last_name_lat: str | None = None
