"""Transfers between schools, year-end decisions and re-registration, over HTTP."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint

from chalicelib.accounts.rules import Role
from chalicelib.core.http import Call, route

if TYPE_CHECKING:
    from chalicelib.pupils.schemas import (
        ReregistrationRequest,
        TransferDecision,
        TransferRequest,
        YearEndDecisions,
    )

enrolment_bp = Blueprint(__name__)
STAFF = (Role.STAFF, Role.OPS)


@route(
    enrolment_bp,
    "/v1/schools/{code}/transfers",
    "POST",
    summary="The receiving school asks for the transfer of a pupil enrolled elsewhere",
    tag="enrolment",
    body="chalicelib.pupils.schemas:TransferRequest",
    status=201,
    signed_in=True,
    errors=(403, 404, 409, 422),
    idempotent=True,
)
def request_transfer(call: Call) -> dict[str, Any]:
    from chalicelib.pupils import service as enrolment

    body: TransferRequest = call.body
    return enrolment.request_transfer(
        call.require(*STAFF), call.param("code"), body.massar_code, body.class_id, body.note
    )


@route(
    enrolment_bp,
    "/v1/schools/{code}/transfers",
    "GET",
    summary="Transfers asked by the school (?direction=incoming) or of its pupils (outgoing)",
    tag="enrolment",
    signed_in=True,
    errors=(403, 404, 422),
)
def list_transfers(call: Call) -> dict[str, Any]:
    from chalicelib.core.fields import query_params
    from chalicelib.pupils import service as enrolment

    direction = query_params(call.request).get("direction", "incoming")
    items = enrolment.list_transfers(
        call.require(*STAFF), call.param("code"), incoming=direction != "outgoing"
    )
    return {"items": items, "next_cursor": None}


@route(
    enrolment_bp,
    "/v1/transfers/{id}/release",
    "POST",
    summary="The pupil's current school releases the pupil: the record moves",
    tag="enrolment",
    signed_in=True,
    errors=(403, 404, 409),
)
def release_transfer(call: Call) -> dict[str, Any]:
    from chalicelib.pupils import service as enrolment

    return enrolment.decide_transfer(call.require(*STAFF), call.param("id"), True, None)


@route(
    enrolment_bp,
    "/v1/transfers/{id}/refuse",
    "POST",
    summary="The pupil's current school refuses the transfer, with a reason",
    tag="enrolment",
    body="chalicelib.pupils.schemas:TransferDecision",
    signed_in=True,
    errors=(403, 404, 409, 422),
)
def refuse_transfer(call: Call) -> dict[str, Any]:
    from chalicelib.pupils import service as enrolment

    body: TransferDecision = call.body
    return enrolment.decide_transfer(call.require(*STAFF), call.param("id"), False, body.reason)


@route(
    enrolment_bp,
    "/v1/transfers/{id}/cancel",
    "POST",
    summary="The receiving school withdraws its request",
    tag="enrolment",
    signed_in=True,
    errors=(404, 409),
)
def cancel_transfer(call: Call) -> dict[str, Any]:
    from chalicelib.pupils import service as enrolment

    return enrolment.cancel_transfer(call.require(*STAFF), call.param("id"))


@route(
    enrolment_bp,
    "/v1/schools/{code}/classes/{class_id}/decisions",
    "PUT",
    summary="Year-end decisions for the class's pupils (promoted, repeats, leaves)",
    tag="enrolment",
    body="chalicelib.pupils.schemas:YearEndDecisions",
    signed_in=True,
    errors=(403, 404, 422),
)
def put_decisions(call: Call) -> dict[str, Any]:
    from chalicelib.pupils import service as enrolment

    body: YearEndDecisions = call.body
    items = enrolment.record_decisions(
        call.require(Role.STAFF),
        call.param("code"),
        call.param("class_id"),
        body.school_year,
        [d.model_dump(exclude_none=True) for d in body.decisions],
    )
    return {"items": items, "next_cursor": None}


@route(
    enrolment_bp,
    "/v1/schools/{code}/classes/{class_id}/decisions",
    "GET",
    summary="The year-end decisions already made for the class (?school_year=)",
    tag="enrolment",
    signed_in=True,
    errors=(403, 404),
)
def get_class_decisions(call: Call) -> dict[str, Any]:
    from chalicelib.core.fields import query_params
    from chalicelib.pupils import service as enrolment

    year = query_params(call.request).get("school_year", "")
    items = enrolment.decisions_of_class(
        call.require(*STAFF), call.param("code"), call.param("class_id"), year
    )
    return {"items": items, "next_cursor": None}


@route(
    enrolment_bp,
    "/v1/students/{massar}/decisions",
    "GET",
    summary="The pupil's year-end decisions, every school year",
    tag="enrolment",
    signed_in=True,
    errors=(404,),
)
def get_decisions(call: Call) -> dict[str, Any]:
    from chalicelib.pupils import service as enrolment

    items = enrolment.decisions_of(call.require(), call.param("massar"))
    return {"items": items, "next_cursor": None}


@route(
    enrolment_bp,
    "/v1/students/{massar}/reregistration",
    "POST",
    summary="A linked parent re-registers the pupil for the coming school year",
    tag="enrolment",
    body="chalicelib.pupils.schemas:ReregistrationRequest",
    status=201,
    signed_in=True,
    errors=(403, 404, 422),
    idempotent=True,
)
def reregister(call: Call) -> dict[str, Any]:
    from chalicelib.pupils import service as enrolment

    body: ReregistrationRequest = call.body
    return enrolment.reregister(call.require(), call.param("massar"), body.school_year, body.note)


@route(
    enrolment_bp,
    "/v1/students/{massar}/reregistration",
    "GET",
    summary="Whether the pupil is re-registered for a school year (?school_year=)",
    tag="enrolment",
    signed_in=True,
    errors=(404, 422),
)
def get_reregistration(call: Call) -> dict[str, Any]:
    from chalicelib.core.fields import query_params
    from chalicelib.pupils import service as enrolment

    year = query_params(call.request).get("school_year", "")
    return enrolment.reregistration_of(call.require(), call.param("massar"), year)


@route(
    enrolment_bp,
    "/v1/schools/{code}/reregistrations",
    "GET",
    summary="The school's pupils re-registered online for a school year (?school_year=)",
    tag="enrolment",
    signed_in=True,
    errors=(403, 404),
)
def list_reregistrations(call: Call) -> dict[str, Any]:
    from chalicelib.core.fields import query_params
    from chalicelib.pupils import service as enrolment

    year = query_params(call.request).get("school_year", "")
    items = enrolment.reregistrations_of_school(call.require(*STAFF), call.param("code"), year)
    return {"items": items, "next_cursor": None}
