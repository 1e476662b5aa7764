"""The audit of a pupil's marks, absences and guardian data."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.accounts.rules import Role
from chalicelib.core.http import Call, route

if TYPE_CHECKING:  # imported where used: a cold start loads only what its route needs
    from chalicelib.school_life.audit.schemas import PupilAudit

pupil_audit_bp = Blueprint(__name__)


@route(
    pupil_audit_bp,
    "/v1/students/{massar}/audit",
    "GET",
    summary="Who changed a pupil's marks, absences or guardian data, newest first (staff of "
    "the pupil's school, operators covering it); `?kind=marks|absences|guardians`, "
    "`?limit=`, `?cursor=`",
    tag="space",
    returns="chalicelib.school_life.audit.schemas:PupilAudit",
    signed_in=True,
    errors=(403, 404, 422),
)
def pupil_audit(call: Call) -> PupilAudit:
    from chalicelib.core.fields import page_params
    from chalicelib.school_life.audit import service
    from chalicelib.school_life.audit.schemas import PupilAudit

    limit, cursor = page_params(dict(call.request.query_params or {}), call.language)
    items, next_cursor = service.trail(
        call.require(Role.STAFF, Role.OPS), call.param("massar"), call.query("kind"), limit,
        cursor,
    )  # fmt: skip
    return PupilAudit.model_validate({"items": items, "next_cursor": next_cursor})
