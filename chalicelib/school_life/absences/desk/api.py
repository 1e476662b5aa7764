"""The staff's side of absences: cancel a wrongly recorded one, the school's pending
justifications."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.accounts.rules import Role
from chalicelib.core.http import Call, route

if TYPE_CHECKING:  # imported where used: a cold start loads only what its route needs
    from chalicelib.school_life.absences.desk.schemas import (
        CancelledAbsence,
        PendingJustifications,
    )

absence_desk_bp = Blueprint(__name__)


@route(
    absence_desk_bp,
    "/v1/absences/{absence_id}",
    "DELETE",
    summary="Cancel a wrongly recorded absence (staff of the school): removed, audited, and "
    "the guardian who got the alert is told",
    tag="absences",
    returns="chalicelib.school_life.absences.desk.schemas:CancelledAbsence",
    signed_in=True,
    errors=(403, 404),
)
def cancel_absence(call: Call) -> CancelledAbsence:
    from chalicelib.school_life.absences.desk import service
    from chalicelib.school_life.absences.desk.schemas import CancelledAbsence

    answer = service.cancel(call.require(Role.STAFF), call.origin, call.param("absence_id"))
    return CancelledAbsence.model_validate(answer)


@route(
    absence_desk_bp,
    "/v1/schools/{code}/absences/justifications",
    "GET",
    summary="The school's justifications awaiting a decision, oldest sent first (staff of "
    "the school); `?status=pending`, `?limit=`, `?cursor=`",
    tag="absences",
    returns="chalicelib.school_life.absences.desk.schemas:PendingJustifications",
    signed_in=True,
    errors=(403, 404, 422),
)
def pending_justifications(call: Call) -> PendingJustifications:
    from chalicelib.core.fields import page_params
    from chalicelib.school_life.absences.desk import service
    from chalicelib.school_life.absences.desk.schemas import PendingJustifications

    limit, cursor = page_params(dict(call.request.query_params or {}), call.language)
    items, next_cursor = service.pending(
        call.require(Role.STAFF), call.param("code"), call.query("status"), limit, cursor
    )
    return PendingJustifications.model_validate({"items": items, "next_cursor": next_cursor})
