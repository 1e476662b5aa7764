"""Subjects, assessments, marks, grades, results and the exam calendar."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint

from chalicelib.accounts.rules import Role
from chalicelib.core.error_mapping import refused_report
from chalicelib.core.http import Call, route

if TYPE_CHECKING:  # imported where used: a cold start loads only what its route needs
    from chalicelib.school_life.marks.schemas import (
        Assessment,
        AssessmentRequest,
        ExamList,
        Grades,
        MarksImportRequest,
        MarksReport,
        MarksRequest,
        SubjectList,
        SubjectsImportRequest,
        SubjectsRequest,
        YearResults,
    )
    from chalicelib.school_life.marks.service import RowOutcome

marks_bp = Blueprint(__name__)

READERS = (Role.STUDENT, Role.PARENT, Role.STAFF, Role.OPS)


def _report(assessment_id: str, outcomes: list[RowOutcome], written: bool) -> MarksReport:
    from chalicelib.school_life.marks.schemas import MarkRow, MarksReport

    rows = [
        MarkRow(
            row=o.row,
            massar_code=o.massar_code,
            mark=o.mark,
            status=o.status,  # type: ignore[arg-type]
            errors=o.errors or None,
        )
        for o in outcomes
    ]
    return MarksReport(
        assessment_id=assessment_id,
        written=sum(1 for o in outcomes if o.status in ("created", "updated")) if written else 0,
        failed=sum(1 for o in outcomes if o.errors),
        rows=rows,
    )


def _subject(saved: dict[str, str]) -> Any:
    from chalicelib.school_life.marks.schemas import Subject

    return Subject(
        level=saved["level"],
        track=saved.get("track") or None,
        subject=saved["subject"],
        name_ar=saved["name_ar"],
        name_fr=saved["name_fr"],
        coefficient=saved["coefficient"],
    )


@route(
    marks_bp,
    "/v1/schools/{code}/subjects",
    "PUT",
    summary="Set the school's subjects with their coefficients per level and track",
    tag="marks",
    body="chalicelib.school_life.marks.schemas:SubjectsRequest",
    returns="chalicelib.school_life.marks.schemas:SubjectList",
    signed_in=True,
    errors=(403, 404, 422),
)
def put_subjects(call: Call) -> SubjectList:
    from chalicelib.school_life.marks import service as marks
    from chalicelib.school_life.marks.schemas import SubjectList

    principal = call.require(Role.STAFF, Role.OPS)
    body: SubjectsRequest = call.body
    saved = marks.replace_subjects(
        principal, call.param("code"), [s.model_dump() for s in body.subjects]
    )
    return SubjectList(items=[_subject(s) for s in saved])


@route(
    marks_bp,
    "/v1/schools/{code}/subjects/import",
    "POST",
    summary="Replace the school's subjects from a CSV or XLSX file: all rows right, or none",
    tag="marks",
    body="chalicelib.school_life.marks.schemas:SubjectsImportRequest",
    returns="chalicelib.school_life.marks.schemas:SubjectsImportReport",
    signed_in=True,
    errors=(403, 404, 422),
    idempotent=True,
)
def import_subjects(call: Call) -> Any:
    from chalicelib.core.error_mapping import worded
    from chalicelib.school_life.marks import service as marks
    from chalicelib.school_life.marks.schemas import SubjectRow, SubjectsImportReport

    principal = call.require(Role.STAFF, Role.OPS)
    body: SubjectsImportRequest = call.body
    outcomes, saved = marks.import_subjects(
        principal, call.param("code"), body.format, body.content_base64
    )
    report = SubjectsImportReport(
        written=len(outcomes) if saved is not None else 0,
        failed=sum(1 for o in outcomes if o.errors),
        rows=[
            SubjectRow(
                row=o.row,
                subject=o.massar_code,
                status="error" if o.errors else "created",
                errors=worded(o.errors, call.language) or None,
            )
            for o in outcomes
        ],
        items=[_subject(s) for s in saved] if saved is not None else None,
    )
    if saved is None:  # nothing was written: the per-row report says why
        return refused_report(report.model_dump(mode="json", exclude_none=True), call.language)
    return report


@route(
    marks_bp,
    "/v1/schools/{code}/subjects",
    "GET",
    summary="The school's subjects with their coefficients",
    tag="marks",
    returns="chalicelib.school_life.marks.schemas:SubjectList",
    signed_in=True,
    errors=(403, 404),
)
def get_subjects(call: Call) -> SubjectList:
    from chalicelib.school_life.marks import service as marks
    from chalicelib.school_life.marks.schemas import SubjectList

    principal = call.require(Role.STAFF, Role.OPS)
    saved = marks.list_subjects(principal, call.param("code"))
    return SubjectList(items=[_subject(s) for s in saved])


@route(
    marks_bp,
    "/v1/schools/{code}/classes/{class_id}/assessments",
    "POST",
    summary="Create a test or exam for a class (copied to each pupil's exam calendar)",
    tag="marks",
    body="chalicelib.school_life.marks.schemas:AssessmentRequest",
    returns="chalicelib.school_life.marks.schemas:Assessment",
    status=201,
    signed_in=True,
    errors=(403, 404, 422),
    idempotent=True,
)
def create_assessment(call: Call) -> Assessment:
    from chalicelib.school_life.marks import service as marks
    from chalicelib.school_life.marks.schemas import Assessment

    principal = call.require(Role.STAFF)
    body: AssessmentRequest = call.body
    data = marks.create_assessment(
        principal,
        call.param("code"),
        call.param("class_id"),
        {**body.model_dump(), "date": body.date.isoformat()},
    )
    return Assessment(**{**data, "semester": int(data["semester"])})  # type: ignore[arg-type]


@route(
    marks_bp,
    "/v1/assessments/{id}/marks",
    "PUT",
    summary="Enter or correct the marks of an assessment (an edited mark is audited)",
    tag="marks",
    body="chalicelib.school_life.marks.schemas:MarksRequest",
    returns="chalicelib.school_life.marks.schemas:MarksReport",
    signed_in=True,
    errors=(403, 404, 422),
    idempotent=True,
)
def put_marks(call: Call) -> MarksReport:
    from chalicelib.school_life.marks import service as marks

    principal = call.require(Role.STAFF)
    body: MarksRequest = call.body
    outcomes = marks.put_marks(
        principal, call.origin, call.param("id"), [m.model_dump() for m in body.marks]
    )
    return _report(call.param("id"), outcomes, True)


@route(
    marks_bp,
    "/v1/assessments/{id}/marks/import",
    "POST",
    summary="Import an assessment's marks from an XLSX sheet (massar_code, mark): all or none",
    tag="marks",
    body="chalicelib.school_life.marks.schemas:MarksImportRequest",
    returns="chalicelib.school_life.marks.schemas:MarksReport",
    signed_in=True,
    errors=(403, 404, 422),
    idempotent=True,
)
def import_marks(call: Call) -> Any:
    from chalicelib.core.error_mapping import worded
    from chalicelib.school_life.marks import service as marks

    principal = call.require(Role.STAFF)
    body: MarksImportRequest = call.body
    outcomes, written = marks.import_marks(
        principal, call.origin, call.param("id"), body.content_base64
    )
    for outcome in outcomes:
        outcome.errors = worded(outcome.errors, call.language)
    report = _report(call.param("id"), outcomes, written)
    if not written:  # nothing was written: the per-row report says why
        return refused_report(report.model_dump(mode="json", exclude_none=True), call.language)
    return report


@route(
    marks_bp,
    "/v1/students/{massar}/grades",
    "GET",
    summary="A pupil's marks of a semester by subject, with subject and semester averages",
    tag="space",
    returns="chalicelib.school_life.marks.schemas:Grades",
    signed_in=True,
    errors=(404, 422),
)
def get_grades(call: Call) -> Grades:
    from chalicelib.school_life.marks import service as marks
    from chalicelib.school_life.marks.schemas import Grades

    principal = call.require(*READERS)
    answer = marks.grades(
        principal, call.param("massar"), call.query("school_year"), call.query("semester")
    )
    return Grades(**answer)


@route(
    marks_bp,
    "/v1/students/{massar}/results",
    "GET",
    summary="A pupil's semester averages and year average",
    tag="space",
    returns="chalicelib.school_life.marks.schemas:YearResults",
    signed_in=True,
    errors=(404, 422),
)
def get_results(call: Call) -> YearResults:
    from chalicelib.school_life.marks import service as marks
    from chalicelib.school_life.marks.schemas import YearResults

    principal = call.require(*READERS)
    answer = marks.results(principal, call.param("massar"), call.query("school_year"))
    return YearResults(**answer)


@route(
    marks_bp,
    "/v1/students/{massar}/exams",
    "GET",
    summary="A pupil's upcoming tests and exams, oldest first",
    tag="space",
    returns="chalicelib.school_life.marks.schemas:ExamList",
    signed_in=True,
    errors=(404,),
)
def get_exams(call: Call) -> ExamList:
    from chalicelib.school_life.marks import service as marks
    from chalicelib.school_life.marks.schemas import Exam, ExamList

    principal = call.require(*READERS)
    items = marks.exams(principal, call.param("massar"))
    return ExamList(
        items=[
            Exam(
                id=i["id"],
                subject=i["subject"],
                kind=i["kind"],
                date=i["date"],
                semester=int(i["semester"]),
                school_year=i["school_year"],
                class_id=i["class_id"],
            )
            for i in items
        ]
    )
