"""Bodies of the class routes."""

from __future__ import annotations

from pydantic import Field

from chalicelib.handlers.schemas import RequestBody


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
    guardian_cin: str | None = Field(default=None, max_length=12)
    guardian_first_name_ar: str | None = Field(default=None, max_length=60)
    guardian_last_name_ar: str | None = Field(default=None, max_length=60)
    guardian_first_name_lat: str | None = Field(default=None, max_length=60)
    guardian_last_name_lat: str | None = Field(default=None, max_length=60)


class ClassPupils(RequestBody):
    pupils: list[ClassPupil] = Field(min_length=1, max_length=100)
