"""Absences and justifications."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.accounts.rules import Role
from chalicelib.core.http import Call, route

if TYPE_CHECKING:  # imported where used: a cold start loads only what its route needs
    from chalicelib.school_life.absences.schemas import (
        Absence,
        Absences,
        AbsenceSheet,
        Decision,
        JustificationPhotoUpload,
        JustificationRequest,
        RecordedSheet,
    )

absences_bp = Blueprint(__name__)


@route(
    absences_bp,
    "/v1/schools/{code}/classes/{class_id}/absences",
    "POST",
    summary="Record the absences of a class session (idempotent; an unjustified absence "
    "alerts the responsible guardian by SMS)",
    tag="absences",
    body="chalicelib.school_life.absences.schemas:AbsenceSheet",
    returns="chalicelib.school_life.absences.schemas:RecordedSheet",
    signed_in=True,
    errors=(403, 404, 409, 422),
)
def record_absences(call: Call) -> RecordedSheet:
    from chalicelib.school_life.absences import service as absences
    from chalicelib.school_life.absences.schemas import RecordedAbsence, RecordedSheet

    principal = call.require(Role.STAFF)
    body: AbsenceSheet = call.body
    recorded = absences.record(
        principal,
        call.param("code"),
        call.param("class_id"),
        body.date,
        body.session,
        body.subject,
        [absences.AbsenceEntry(a.massar_code, a.justified, a.reason) for a in body.absent],
        call.origin,
    )
    return RecordedSheet(absences=[RecordedAbsence(**r) for r in recorded])


@route(
    absences_bp,
    "/v1/students/{massar}/absences",
    "GET",
    summary="A pupil's absences, newest first (the pupil, a linked parent, staff of the "
    "school); `?school_year=2026-2027`, `?limit=`, `?cursor=`",
    tag="absences",
    returns="chalicelib.school_life.absences.schemas:Absences",
    signed_in=True,
    errors=(404, 422),
)
def list_absences(call: Call) -> Absences:
    from chalicelib.core.fields import page_params
    from chalicelib.school_life.absences import service as absences
    from chalicelib.school_life.absences.schemas import Absence, Absences

    limit, cursor = page_params(dict(call.request.query_params or {}), call.language)
    items, next_cursor = absences.view(
        call.require(), call.param("massar"), call.query("school_year"), limit, cursor
    )
    return Absences(items=[Absence.model_validate(item) for item in items], next_cursor=next_cursor)


@route(
    absences_bp,
    "/v1/students/{massar}/justification-photos",
    "POST",
    summary="Get a presigned form to upload a justification photo (JPEG or PNG)",
    tag="absences",
    returns="chalicelib.school_life.absences.schemas:JustificationPhotoUpload",
    status=201,
    signed_in=True,
    errors=(403, 404),
)
def justification_photo(call: Call) -> JustificationPhotoUpload:
    from chalicelib.school_life.absences import service as absences
    from chalicelib.school_life.absences.schemas import JustificationPhotoUpload

    form = absences.photo_upload_form(call.require(), call.param("massar"))
    return JustificationPhotoUpload(**form)


@route(
    absences_bp,
    "/v1/students/{massar}/absences/{absence_id}/justification",
    "POST",
    summary="A linked parent justifies an absence (text, optional photo)",
    tag="absences",
    body="chalicelib.school_life.absences.schemas:JustificationRequest",
    returns="chalicelib.school_life.absences.schemas:Absence",
    status=201,
    signed_in=True,
    idempotent=True,  # a retry must not create a second one (API.md)
    errors=(403, 404, 409, 422),
)
def justify(call: Call) -> Absence:
    from chalicelib.school_life.absences import service as absences
    from chalicelib.school_life.absences.schemas import Absence

    body: JustificationRequest = call.body
    answer = absences.justify(
        call.require(), call.param("massar"), call.param("absence_id"), body.text, body.photo_key
    )
    return Absence.model_validate(answer)


def _decide(call: Call, accept: bool) -> Absence:
    from chalicelib.school_life.absences import service as absences
    from chalicelib.school_life.absences.schemas import Absence

    body: Decision = call.body
    answer = absences.decide(
        call.require(Role.STAFF), call.param("absence_id"), accept, body.reason, call.origin
    )
    return Absence.model_validate(answer)


@route(
    absences_bp,
    "/v1/absences/{absence_id}/justification/accept",
    "POST",
    summary="Staff of the school accept a justification: the absence shows justified",
    tag="absences",
    body="chalicelib.school_life.absences.schemas:Decision",
    returns="chalicelib.school_life.absences.schemas:Absence",
    signed_in=True,
    errors=(403, 404, 409),
)
def accept_justification(call: Call) -> Absence:
    return _decide(call, True)


@route(
    absences_bp,
    "/v1/absences/{absence_id}/justification/refuse",
    "POST",
    summary="Staff of the school refuse a justification (with a reason shown to the parent)",
    tag="absences",
    body="chalicelib.school_life.absences.schemas:Decision",
    returns="chalicelib.school_life.absences.schemas:Absence",
    signed_in=True,
    errors=(403, 404, 409),
)
def refuse_justification(call: Call) -> Absence:
    return _decide(call, False)
