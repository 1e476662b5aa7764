"""Bodies of the registrations dashboard: counts by status, by scope and by hour."""

from __future__ import annotations

from pydantic import Field

from chalicelib.core.schemas import AnswerBody


class StatusCounts(AnswerBody):
    submitted: int
    approved: int
    rejected: int
    total: int


class ScopeRow(StatusCounts):
    scope: str
    name_ar: str | None = Field(default=None, description="an academy's or a province's")
    name_fr: str | None = None


class HourRow(AnswerBody):
    hour: str
    submissions: int


class RegistrationDashboard(AnswerBody):
    school_year: str
    scope: str
    name_ar: str | None = Field(default=None, description="an academy's or a province's")
    name_fr: str | None = None
    counts: StatusCounts
    breakdown: list[ScopeRow]
    hours: list[HourRow]
