"""Bodies of the class routes."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from chalicelib.core.schemas import AnswerBody, RequestBody


class ClassRequest(RequestBody):
    label: str = Field(min_length=1, max_length=40)
    level: str = Field(min_length=1, max_length=20, description="e.g. CP, 1AC, TC")
    track: str | None = Field(default=None, max_length=40)
    school_year: str | None = Field(default=None, pattern=r"^\d{4}-\d{4}$")


class ClassPupil(RequestBody):
    massar_code: str = Field(min_length=10, max_length=10)
    first_name_ar: str | None = Field(default=None, max_length=60)
    last_name_ar: str | None = Field(default=None, max_length=60)
    first_name_lat: str | None = Field(default=None, max_length=60)
    last_name_lat: str | None = Field(default=None, max_length=60)
    birth_date: str | None = Field(default=None, description="YYYY-MM-DD")
    gender: Literal["F", "M"] | None = None
    guardian_role: Literal["father", "mother", "guardian"] | None = None
    guardian_cin: str | None = Field(default=None, max_length=12)
    guardian_phone: str | None = Field(default=None, max_length=20)
    guardian_first_name_ar: str | None = Field(default=None, max_length=60)
    guardian_last_name_ar: str | None = Field(default=None, max_length=60)
    guardian_first_name_lat: str | None = Field(default=None, max_length=60)
    guardian_last_name_lat: str | None = Field(default=None, max_length=60)


class ClassPupils(RequestBody):
    pupils: list[ClassPupil] = Field(min_length=1, max_length=100)


class RosterImportRequest(RequestBody):
    format: Literal["csv", "xlsx"]
    content_base64: str = Field(
        min_length=1,
        description=(
            "one pupil a row: massar_code, class_id, and optionally first_name_ar, "
            "last_name_ar, first_name_lat, last_name_lat, birth_date, gender, guardian_role, "
            "guardian_cin, guardian_first_name_ar, guardian_last_name_ar, "
            "guardian_first_name_lat, guardian_last_name_lat, guardian_phone"
        ),
    )


class RosterRowReport(AnswerBody):
    row: int
    massar_code: str | None = None
    class_id: str | None = None
    status: Literal["created", "updated", "unchanged", "error"]
    errors: dict[str, str] | None = None


class RosterImportReport(AnswerBody):
    written: int
    failed: int
    rows: list[RosterRowReport]
