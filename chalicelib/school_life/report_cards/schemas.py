"""Bodies of the report-card route (the parents' and pupils' space)."""

from __future__ import annotations

from pydantic import Field

from chalicelib.core.schemas import AnswerBody


class ReportCardLink(AnswerBody):
    massar_code: str
    school_year: str
    semester: int
    average: str | None = Field(description="the semester average out of 20, if any")
    url: str = Field(description="the PDF (Arabic and French), a short-lived link")
    expires_in: int = Field(description="seconds the link works")
    filename: str
