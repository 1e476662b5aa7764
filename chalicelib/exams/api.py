"""National and regional exams: operators publish a session, its candidates and results;
the pupil, the parents and the school's staff read the pupil's calendar, centre,
convocation and, from `results_at` on, the result."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint, Response

from chalicelib.core.http import Call, json_response, route
from chalicelib.core.import_reports import import_totals

if TYPE_CHECKING:  # imported where used: a cold start loads only what its route needs
    from chalicelib.exams.schemas import (
        Convocation,
        ExamImportReport,
        ExamImportRequest,
        ExamSession,
        ExamSessionList,
        ExamSessionRequest,
        PupilExam,
        PupilExamList,
    )
    from chalicelib.exams.service import Report

exams_bp = Blueprint(__name__)

# A published result never changes (a changed one is refused once shown), so the reader's
# own browser may keep it an hour: results day's refreshes and returns cost nothing. Only
# `private`: the answer is one pupil's, sent with the reader's token; a shared cache (a
# proxy, a CDN) must never keep it and hand it to the next person asking that address.
# An hour rather than longer: a family computer or a cyber-café's browser forgets it soon.
RESULT_CACHE_CONTROL = "private, max-age=3600"


def _session_answer(view: dict[str, Any], result: str | None = None) -> ExamSession:
    from chalicelib.exams.schemas import ExamSession

    return ExamSession.model_validate({**view, "result": result})


@route(
    exams_bp,
    "/v1/exam-sessions",
    "POST",
    summary="Publish a national or regional exam session and its calendar (JSON and/or a file)",
    tag="exams",
    body="chalicelib.exams.schemas:ExamSessionRequest",
    returns="chalicelib.exams.schemas:ExamSession",
    status=201,
    signed_in=True,
    errors=(403, 404, 409, 422),
    idempotent=True,
)
def publish_session(call: Call) -> ExamSession | Response:
    from chalicelib.accounts.rules import Role
    from chalicelib.core.error_mapping import refused_report
    from chalicelib.exams import service

    actor = call.require(Role.OPS)
    body: ExamSessionRequest = call.body
    request = body.model_dump(exclude={"subjects", "calendar"})
    request["results_at"] = body.results_at.isoformat()
    slots = [slot.model_dump() for slot in body.subjects]
    file = (body.calendar.format, body.calendar.content_base64) if body.calendar else None
    try:
        view, result = service.publish_session(actor, request, slots, file)
    except service.CalendarRefused as refused:
        return refused_report(_calendar_report(refused.report, call.language), call.language)
    return _session_answer(view, result)


def _calendar_report(report: Any, language: str) -> dict[str, Any]:
    from chalicelib.core.error_texts import field_message
    from chalicelib.exams.schemas import CalendarReport, CalendarRow

    rows = [
        CalendarRow(
            row=r.row,
            subject=r.key,
            status="error" if r.errors else "created",
            errors={k: field_message(v, v, language) for k, v in r.errors.items()} or None,
        )
        for r in report.rows
    ]
    answer = CalendarReport(
        created=0, failed=sum(1 for r in rows if r.status == "error"), rows=rows
    )
    return answer.model_dump(mode="json", exclude_none=True)


@route(
    exams_bp,
    "/v1/exam-sessions",
    "GET",
    summary="A school year's exam sessions the operator may write (?school_year=2025-2026)",
    tag="exams",
    returns="chalicelib.exams.schemas:ExamSessionList",
    signed_in=True,
    errors=(403, 422),
)
def list_sessions(call: Call) -> ExamSessionList:
    from chalicelib.accounts.rules import Role
    from chalicelib.core.error_mapping import worded
    from chalicelib.core.http import ApiError
    from chalicelib.exams import rules, service
    from chalicelib.exams.schemas import ExamSessionList

    actor = call.require(Role.OPS)
    year = call.query("school_year") or ""
    if not rules.SCHOOL_YEAR.match(year):
        fields = worded({"school_year": "invalid_school_year"}, call.language)
        raise ApiError(422, "validation_failed", fields)
    items = [_session_answer(view) for view in service.list_sessions(actor, year)]
    return ExamSessionList(items=items, next_cursor=None)


@route(
    exams_bp,
    "/v1/exam-sessions/{session}",
    "GET",
    summary="An exam session as published (operators of its scope)",
    tag="exams",
    returns="chalicelib.exams.schemas:ExamSession",
    signed_in=True,
    errors=(403, 404),
)
def get_session(call: Call) -> ExamSession:
    from chalicelib.accounts.rules import Role
    from chalicelib.exams import service

    actor = call.require(Role.OPS)
    return _session_answer(service.get_session(actor, call.param("session")))


def _import_report(report: Report, language: str) -> ExamImportReport:
    from chalicelib.core.error_texts import field_message
    from chalicelib.exams.schemas import ExamImportReport, ExamImportRow

    rows = [
        ExamImportRow(
            row=r.row,
            massar_code=r.key,
            status=r.status,  # type: ignore[arg-type]
            errors={k: field_message(v, v, language) for k, v in r.errors.items()} or None,
        )
        for r in report.rows
    ]
    return ExamImportReport(**import_totals(report), rows=rows)


@route(
    exams_bp,
    "/v1/exam-sessions/{session}/candidates",
    "POST",
    summary="Import a session's candidates (massar_code, track, centre, candidate_number)",
    tag="exams",
    body="chalicelib.exams.schemas:ExamImportRequest",
    returns="chalicelib.exams.schemas:ExamImportReport",
    signed_in=True,
    errors=(403, 404, 422),
)
def import_candidates(call: Call) -> ExamImportReport:
    from chalicelib.accounts.rules import Role
    from chalicelib.exams import imports

    actor = call.require(Role.OPS)
    body: ExamImportRequest = call.body
    report = imports.import_candidates(
        actor, call.param("session"), body.format, body.content_base64, body.dry_run
    )
    return _import_report(report, call.language)


@route(
    exams_bp,
    "/v1/exam-sessions/{session}/results",
    "POST",
    summary="Import a session's results (shown to families from results_at on)",
    tag="exams",
    body="chalicelib.exams.schemas:ExamImportRequest",
    returns="chalicelib.exams.schemas:ExamImportReport",
    signed_in=True,
    errors=(403, 404, 422),
)
def import_results(call: Call) -> ExamImportReport:
    from chalicelib.accounts.rules import Role
    from chalicelib.exams import imports

    actor = call.require(Role.OPS)
    body: ExamImportRequest = call.body
    report = imports.import_results(
        actor, call.param("session"), body.format, body.content_base64, body.dry_run
    )
    return _import_report(report, call.language)


@route(
    exams_bp,
    "/v1/students/{massar}/exams/national",
    "GET",
    summary="The pupil's national and regional exams: calendar, centre, result when published",
    tag="exams",
    returns="chalicelib.exams.schemas:PupilExamList",
    signed_in=True,
    errors=(404,),
)
def pupil_exams(call: Call) -> PupilExamList:
    from chalicelib.exams import service
    from chalicelib.exams.schemas import PupilExamList

    principal = call.require()
    items = service.pupil_exams(principal, call.param("massar"))
    return PupilExamList.model_validate({"items": items})


@route(
    exams_bp,
    "/v1/students/{massar}/exams/national/{session}",
    "GET",
    summary="One exam of the pupil (one read): calendar, centre, result from results_at on",
    tag="exams",
    returns="chalicelib.exams.schemas:PupilExam",
    signed_in=True,
    errors=(404,),
)
def pupil_exam(call: Call) -> PupilExam:
    from chalicelib.exams import service
    from chalicelib.exams.schemas import PupilExam

    principal = call.require()
    view = service.pupil_exam(principal, call.param("massar"), call.param("session"))
    return PupilExam.model_validate(view)


@route(
    exams_bp,
    "/v1/students/{massar}/exams/national/{session}/result",
    "GET",
    summary="The pupil's result, from results_at on (before: 404 result_not_published)",
    tag="exams",
    returns="chalicelib.exams.schemas:PupilExam",
    signed_in=True,
    errors=(404,),
)
def pupil_result(call: Call) -> Response:
    from chalicelib.exams import service
    from chalicelib.exams.schemas import PupilExam

    principal = call.require()
    view = service.pupil_result(principal, call.param("massar"), call.param("session"))
    body = PupilExam.model_validate(view).model_dump(mode="json", exclude_none=True)
    return json_response(200, body, {"Cache-Control": RESULT_CACHE_CONTROL})


@route(
    exams_bp,
    "/v1/students/{massar}/exams/national/{session}/convocation",
    "GET",
    summary="The pupil's convocation (PDF, Arabic and French) behind a short-lived link",
    tag="exams",
    returns="chalicelib.exams.schemas:Convocation",
    signed_in=True,
    errors=(404,),
)
def convocation(call: Call) -> Convocation:
    from chalicelib.exams import service
    from chalicelib.exams.schemas import Convocation

    principal = call.require()
    url, seconds = service.convocation(principal, call.param("massar"), call.param("session"))
    return Convocation(url=url, expires_in=seconds)
