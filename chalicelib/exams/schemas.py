"""Bodies of the exams routes: a session, the imports and their reports, the pupil's exam."""

from __future__ import annotations

from dataclasses import fields as dataclass_fields
from typing import Any, Literal, get_type_hints

from pydantic import AwareDatetime, Field, create_model

from chalicelib.core.schemas import AnswerBody, RequestBody
from chalicelib.exams.rules import Slot


class ExamSlot(RequestBody):
    """One subject of one track: its day and hours (Casablanca's wall clock)."""

    track: str = Field(min_length=1, max_length=24, examples=["SM"])
    subject: str = Field(min_length=1, max_length=24, examples=["MATH"])
    name_ar: str = Field(min_length=1, max_length=120)
    name_fr: str = Field(min_length=1, max_length=120)
    date: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    starts_at: str = Field(pattern=r"^\d{2}:\d{2}$", examples=["08:00"])
    ends_at: str = Field(pattern=r"^\d{2}:\d{2}$", examples=["11:00"])


class SheetFile(RequestBody):
    format: Literal["csv", "xlsx"]
    content_base64: str = Field(
        min_length=1, description="the file, base64 (CSV in UTF-8, `,` or `;` separated)"
    )


class ExamSessionRequest(RequestBody):
    """A national session (national operators) or a regional one (its academy's operators).
    The calendar comes as `subjects`, as a file (`calendar`, columns track, subject,
    name_ar, name_fr, date, starts_at, ends_at), or both; every row is checked and none is
    kept if one is wrong (422 with the report of every row)."""

    kind: Literal["national", "regional"]
    school_year: str = Field(pattern=r"^\d{4}-\d{4}$", examples=["2025-2026"])
    level: str = Field(pattern=r"^[1-9][A-Z]{1,5}$", examples=["2BAC", "1BAC", "3AC"])
    academy: str | None = Field(default=None, pattern=r"^\d{2}$", description="regional only")
    name_ar: str = Field(min_length=1, max_length=160)
    name_fr: str = Field(min_length=1, max_length=160)
    results_at: AwareDatetime = Field(
        description="when results are shown (with its offset); never before"
    )
    subjects: list[ExamSlot] = Field(default_factory=list, max_length=200)
    calendar: SheetFile | None = None


# One subject of a session's calendar as answered: the fields of the rules' `Slot`, in its
# order (it is the one declaration of them).
_SLOT_TYPES = get_type_hints(Slot)
_SLOT_FIELDS: dict[str, Any] = {
    field.name: (_SLOT_TYPES[field.name], ...) for field in dataclass_fields(Slot)
}
SessionSlot: type[AnswerBody] = create_model(
    "SessionSlot", __base__=AnswerBody, __module__=__name__, **_SLOT_FIELDS
)


class ExamSession(AnswerBody):
    id: str
    kind: str
    school_year: str
    level: str
    academy: str | None = None
    name_ar: str
    name_fr: str
    results_at: str
    tracks: list[str]
    subjects: list[SessionSlot]  # type: ignore[valid-type]
    result: Literal["created", "unchanged"] | None = None


class ExamSessionList(AnswerBody):
    items: list[ExamSession]
    next_cursor: str | None = None


class ExamImportRequest(SheetFile):
    """Candidates: massar_code, track, centre_code, centre_name_ar, centre_name_fr,
    candidate_number. Results: massar_code, decision (admitted, resit, not_admitted,
    absent), average (out of 20; not for an absent candidate), mention (passable,
    assez_bien, bien, tres_bien; admitted only), candidate_number (checked when given)."""

    dry_run: bool = False


class ExamImportRow(AnswerBody):
    row: int
    massar_code: str | None = None
    status: Literal["created", "updated", "unchanged", "error"]
    errors: dict[str, str] | None = None


class ExamImportReport(AnswerBody):
    dry_run: bool
    created: int
    updated: int
    unchanged: int
    failed: int
    rows: list[ExamImportRow]


class CalendarRow(AnswerBody):
    row: int
    subject: str | None = None
    status: Literal["created", "error"]
    errors: dict[str, str] | None = None


class CalendarReport(AnswerBody):
    dry_run: bool = False
    created: int
    failed: int
    rows: list[CalendarRow]


class Centre(AnswerBody):
    code: str
    name_ar: str
    name_fr: str


class ExamResult(AnswerBody):
    decision: str
    average: str | None = Field(default=None, description="out of 20, two decimals")
    mention: str | None = None


class PupilExam(AnswerBody):
    """`result_status`: `not_yet` before `results_at` (no result, whatever there is),
    `pending` after it while no result was imported, `published` with `result`."""

    session: str
    kind: str
    school_year: str
    level: str
    name_ar: str
    name_fr: str
    track: str
    candidate_number: str
    centre: Centre
    calendar: list[SessionSlot]  # type: ignore[valid-type]
    results_at: str | None = None
    result_status: Literal["not_yet", "pending", "published"]
    result: ExamResult | None = None


class PupilExamList(AnswerBody):
    items: list[PupilExam]


class Convocation(AnswerBody):
    url: str
    expires_in: int = Field(description="seconds the link works")
