"""Certificate and meeting appointments over HTTP (seed 000, API.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint

from chalicelib.core.fields import page_params, query_params
from chalicelib.core.http import ApiError, Call, route

if TYPE_CHECKING:  # imported where used: a cold start loads only what its route needs
    from chalicelib.school_life.appointments.schemas import (
        Appointment,
        AppointmentCreated,
        AppointmentPage,
        AppointmentRequest,
        ApproveAppointment,
        DeclineAppointment,
    )

appointments_bp = Blueprint(__name__)
STATUSES = ("pending", "approved", "declined")


def named(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The page's appointments with each pupil's names (one BatchGetItem for the page)."""
    from chalicelib.pupils.names import names_of

    names = names_of(str(i["massar_code"]) for i in items)
    return [{**i, "pupil": names.get(str(i["massar_code"]))} for i in items]


@route(
    appointments_bp,
    "/v1/students/{massar}/appointments",
    "POST",
    summary="Ask the school for an appointment (a certificate, a meeting)",
    tag="space",
    body="chalicelib.school_life.appointments.schemas:AppointmentRequest",
    returns="chalicelib.school_life.appointments.schemas:AppointmentCreated",
    status=201,
    signed_in=True,
    idempotent=True,  # a retry must not create a second one (API.md)
    errors=(404,),
)
def request_appointment(call: Call) -> AppointmentCreated:
    from chalicelib.school_life.appointments import service as appointments
    from chalicelib.school_life.appointments.schemas import AppointmentCreated

    body: AppointmentRequest = call.body
    created = appointments.request(call.require(), call.param("massar"), body.purpose, body.note)
    return AppointmentCreated(id=created["id"])


@route(
    appointments_bp,
    "/v1/students/{massar}/appointments",
    "GET",
    summary="A pupil's appointments and their status, oldest first",
    tag="space",
    returns="chalicelib.school_life.appointments.schemas:AppointmentPage",
    signed_in=True,
    errors=(404,),
)
def list_pupil_appointments(call: Call) -> AppointmentPage:
    from chalicelib.school_life.appointments import service as appointments
    from chalicelib.school_life.appointments.schemas import AppointmentPage

    limit, cursor = page_params(query_params(call.request), call.language)
    page = appointments.list_for_pupil(call.require(), call.param("massar"), limit, cursor)
    return AppointmentPage.model_validate(
        {"items": named(page.items), "next_cursor": page.next_cursor}
    )


@route(
    appointments_bp,
    "/v1/schools/{code}/appointments",
    "GET",
    summary="The school's appointments (staff of the school), `?status=pending`",
    tag="space",
    returns="chalicelib.school_life.appointments.schemas:AppointmentPage",
    signed_in=True,
    errors=(404,),
)
def list_school_appointments(call: Call) -> AppointmentPage:
    from chalicelib.core.error_mapping import worded
    from chalicelib.school_life.appointments import service as appointments
    from chalicelib.school_life.appointments.schemas import AppointmentPage

    params = query_params(call.request)
    limit, cursor = page_params(params, call.language)
    status = params.get("status") or None
    if status is not None and status not in STATUSES:
        raise ApiError(422, "validation_failed", worded({"status": "invalid"}, call.language))
    page = appointments.list_for_school(call.require(), call.param("code"), status, limit, cursor)
    return AppointmentPage.model_validate(
        {"items": named(page.items), "next_cursor": page.next_cursor}
    )


@route(
    appointments_bp,
    "/v1/appointments/{id}/approve",
    "POST",
    summary="Approve an appointment at a date (staff of the school); the requester is emailed",
    tag="space",
    body="chalicelib.school_life.appointments.schemas:ApproveAppointment",
    returns="chalicelib.school_life.appointments.schemas:Appointment",
    signed_in=True,
    errors=(404, 409),
)
def approve_appointment(call: Call) -> Appointment:
    from chalicelib.school_life.appointments import service as appointments
    from chalicelib.school_life.appointments.schemas import Appointment

    body: ApproveAppointment = call.body
    decided = appointments.approve(
        call.require(),
        call.param("id"),
        body.moment(),
        field="scheduled_at" if body.scheduled_at else "scheduled_local",
    )
    return Appointment.model_validate(decided)


@route(
    appointments_bp,
    "/v1/appointments/{id}/decline",
    "POST",
    summary="Decline an appointment with a reason (staff of the school)",
    tag="space",
    body="chalicelib.school_life.appointments.schemas:DeclineAppointment",
    returns="chalicelib.school_life.appointments.schemas:Appointment",
    signed_in=True,
    errors=(404, 409),
)
def decline_appointment(call: Call) -> Appointment:
    from chalicelib.school_life.appointments import service as appointments
    from chalicelib.school_life.appointments.schemas import Appointment

    body: DeclineAppointment = call.body
    decided = appointments.decline(call.require(), call.param("id"), body.reason)
    return Appointment.model_validate(decided)
