"""Bodies of the schools routes: a school, its list, its import from a file."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from chalicelib.core.schemas import AnswerBody, RequestBody
from chalicelib.schools.rules import SchoolCode, SchoolData


class SchoolRequest(SchoolData):
    """A school and the residence areas it serves (communes or districts; its own commune
    when none are given)."""


class SchoolUpdateRequest(SchoolData):
    """The school's new data; `code` comes from the path (if repeated here, it must match)."""

    code: SchoolCode | None = None  # type: ignore[assignment]


class PlaceNames(AnswerBody):
    code: str
    name_ar: str
    name_fr: str


class School(AnswerBody):
    """Places are HCP codes (API.md), each with its Arabic and French names beside it
    (absent for a code the official divisions do not have)."""

    code: str
    name_ar: str
    name_fr: str
    cycle: str
    sector: str
    academy: str | None = None
    academy_name_ar: str | None = None
    academy_name_fr: str | None = None
    province: str | None = None
    province_name_ar: str | None = None
    province_name_fr: str | None = None
    commune: str
    commune_name_ar: str | None = None
    commune_name_fr: str | None = None
    catchment: list[str] | None = None
    catchment_names: list[PlaceNames] | None = None


class SchoolSaved(School):
    result: Literal["created", "updated", "unchanged"]


class SchoolList(AnswerBody):
    items: list[School]
    next_cursor: str | None


class SchoolImportRequest(RequestBody):
    format: Literal["csv", "xlsx"]
    content_base64: str = Field(
        min_length=1, description="the file, base64 (CSV in UTF-8, `,` or `;` separated)"
    )
    dry_run: bool = False


class ImportRow(AnswerBody):
    row: int
    code: str | None = None
    status: Literal["created", "updated", "unchanged", "error"]
    errors: dict[str, str] | None = None


class SchoolImportReport(AnswerBody):
    dry_run: bool
    created: int
    updated: int
    unchanged: int
    failed: int
    rows: list[ImportRow]
