"""Timetables: a class's week grid, put by the school's staff and read by the pupil's family."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.accounts.rules import Role
from chalicelib.core.http import Call, route

if TYPE_CHECKING:  # imported where used: a cold start loads only what its route needs
    from chalicelib.school_life.timetable.schemas import Timetable, TimetableRequest

timetable_bp = Blueprint(__name__)


@route(
    timetable_bp,
    "/v1/schools/{code}/classes/{class_id}/timetable",
    "PUT",
    summary="Put a class's week grid (staff of the school)",
    tag="timetable",
    body="chalicelib.school_life.timetable.schemas:TimetableRequest",
    returns="chalicelib.school_life.timetable.schemas:Timetable",
    signed_in=True,
    errors=(403, 404, 422),
)
def put_timetable(call: Call) -> Timetable:
    from chalicelib.school_life.timetable import service as timetable
    from chalicelib.school_life.timetable.schemas import Timetable

    body: TimetableRequest = call.body
    answer = timetable.put(
        call.require(Role.STAFF),
        call.param("code"),
        call.param("class_id"),
        [slot.model_dump() for slot in body.slots],
    )
    return Timetable.model_validate(answer)


@route(
    timetable_bp,
    "/v1/students/{massar}/timetable",
    "GET",
    summary="The week of the pupil's class (the pupil, a linked parent, staff of the school)",
    tag="timetable",
    returns="chalicelib.school_life.timetable.schemas:Timetable",
    signed_in=True,
    errors=(404,),
)
def pupil_timetable(call: Call) -> Timetable:
    from chalicelib.school_life.timetable import service as timetable
    from chalicelib.school_life.timetable.schemas import Timetable

    return Timetable.model_validate(timetable.of_pupil(call.require(), call.param("massar")))
