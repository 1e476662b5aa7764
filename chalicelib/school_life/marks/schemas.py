"""Request and answer bodies of subjects, assessments, marks, grades and exams."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from chalicelib.core.schemas import AnswerBody, RequestBody

Kind = Literal["continuous", "local_exam", "regional_exam", "national_exam"]
SchoolYear = Field(pattern=r"^\d{4}-\d{4}$", examples=["2025-2026"])
CODE = r"^[A-Za-z0-9_-]{1,40}$"


class SubjectIn(RequestBody):
    level: str = Field(min_length=1, max_length=20)
    track: str | None = Field(default=None, max_length=40)
    subject: str = Field(pattern=CODE, description="subject code, e.g. MATH")
    name_ar: str = Field(min_length=1, max_length=120)
    name_fr: str = Field(min_length=1, max_length=120)
    coefficient: float = Field(gt=0, le=20)


class SubjectsRequest(RequestBody):
    subjects: list[SubjectIn] = Field(max_length=500)


class Subject(AnswerBody):
    level: str
    track: str | None = None
    subject: str
    name_ar: str
    name_fr: str
    coefficient: str


class SubjectList(AnswerBody):
    items: list[Subject]


class AssessmentRequest(RequestBody):
    subject: str = Field(pattern=CODE)
    kind: Kind
    date: dt.date
    semester: Literal[1, 2]
    school_year: str = SchoolYear


class Assessment(AnswerBody):
    id: str
    school_code: str
    class_id: str
    subject: str
    kind: Kind
    date: str
    semester: int
    school_year: str
    coefficient: str


class MarkIn(RequestBody):
    massar_code: str = Field(min_length=1, max_length=20)
    mark: str = Field(min_length=1, max_length=10, description='"15,25", "15.25" or "absent"')


class MarksRequest(RequestBody):
    marks: list[MarkIn] = Field(min_length=1, max_length=500)


class MarksImportRequest(RequestBody):
    content_base64: str = Field(min_length=1, description="an XLSX sheet: massar_code, mark")


class MarkRow(AnswerBody):
    row: int
    massar_code: str | None = None
    mark: str | None = None
    status: Literal["created", "updated", "unchanged", "error"]
    errors: dict[str, str] | None = None


class MarksReport(AnswerBody):
    assessment_id: str
    written: int
    failed: int
    rows: list[MarkRow]


class GradeAssessment(AnswerBody):
    id: str
    kind: str
    date: str
    mark: str = Field(description='out of 20 with two decimals ("15.25"), or "absent"')


class SubjectGrades(AnswerBody):
    subject: str
    coefficient: str
    assessments: list[GradeAssessment]
    average: str | None


class Grades(AnswerBody):
    massar_code: str
    school_year: str
    semester: int
    subjects: list[SubjectGrades]
    average: str | None
    counted: list[str] = Field(description="subjects that entered the semester average")


class YearResults(AnswerBody):
    massar_code: str
    school_year: str
    semester_1: str | None
    semester_2: str | None
    average: str | None


class Exam(AnswerBody):
    id: str
    subject: str
    kind: str
    date: str
    semester: int
    school_year: str
    class_id: str


class ExamList(AnswerBody):
    items: list[Exam]


class SubjectsImportRequest(RequestBody):
    format: Literal["csv", "xlsx"]
    content_base64: str = Field(
        min_length=1,
        description="columns level, track (optional), subject, name_ar, name_fr, coefficient",
    )


class SubjectRow(AnswerBody):
    row: int
    subject: str | None = None
    status: Literal["created", "error"]
    errors: dict[str, str] | None = None


class SubjectsImportReport(AnswerBody):
    written: int
    failed: int
    rows: list[SubjectRow]
    items: list[Subject] | None = None
