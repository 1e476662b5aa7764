"""Bodies of the registration campaigns routes."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from chalicelib.core.schemas import AnswerBody, RequestBody


class CampaignRequest(RequestBody):
    opens_on: date
    closes_on: date
    birth_date_from: date = Field(description="age-eligible when born on or after this date")
    birth_date_to: date = Field(description="age-eligible when born on or before this date")
    note: str | None = Field(default=None, max_length=300, description="the rule, in words")


class CampaignAnswer(AnswerBody):
    school_year: str
    opens_on: date
    closes_on: date
    birth_date_from: date
    birth_date_to: date
    note: str | None = None
    is_open: bool
