"""Request and answer bodies of a class's assessments on the desk."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from chalicelib.core.schemas import AnswerBody, RequestBody
from chalicelib.school_life.marks.schemas import Assessment, Kind


# An assessment as created (its fields, in their order), with how far its marks are.
class ListedAssessment(Assessment):
    marks_entered: int = Field(description="how many pupils have a mark (or `absent`)")


class AssessmentList(AnswerBody):
    items: list[ListedAssessment]
    next_cursor: str | None = None


class PupilNames(AnswerBody):
    first_name_ar: str | None = None
    last_name_ar: str | None = None
    first_name_lat: str | None = None
    last_name_lat: str | None = None


class SheetRow(AnswerBody):
    massar_code: str
    names: PupilNames | None = None
    mark: str | None = Field(default=None, description='"15.25", "absent", or null: not entered')
    in_class: bool = Field(description="false: left the class, a mark entered before")


class MarksSheet(ListedAssessment):
    pupils: list[SheetRow]


class AssessmentChange(RequestBody):
    """What may change; subject, semester and school year are fixed (delete and create)."""

    kind: Kind | None = None
    date: dt.date | None = None
    coefficient: float | None = Field(default=None, gt=0, le=20)
