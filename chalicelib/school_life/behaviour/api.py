"""Behaviour notes over HTTP: staff of the pupil's school write them, the pupil and the
linked parents read them (seed 002)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.core.http import Call, route

if TYPE_CHECKING:
    from chalicelib.school_life.behaviour.schemas import (
        BehaviourCreated,
        BehaviourNotes,
        BehaviourRequest,
    )

behaviour_bp = Blueprint(__name__)


@route(
    behaviour_bp,
    "/v1/students/{massar}/behaviour",
    "GET",
    summary="A pupil's behaviour notes, newest first (the pupil, a linked parent, staff of "
    "the school); `?school_year=2026-2027`, `?limit=`, `?cursor=`",
    tag="space",
    returns="chalicelib.school_life.behaviour.schemas:BehaviourNotes",
    signed_in=True,
    errors=(404, 422),
)
def list_behaviour(call: Call) -> BehaviourNotes:
    from chalicelib.core.fields import page_params
    from chalicelib.school_life.behaviour import service
    from chalicelib.school_life.behaviour.schemas import BehaviourNote, BehaviourNotes

    limit, cursor = page_params(dict(call.request.query_params or {}), call.language)
    items, next_cursor = service.notes(
        call.require(), call.param("massar"), call.query("school_year"), limit, cursor
    )
    return BehaviourNotes(
        items=[BehaviourNote.model_validate(i) for i in items], next_cursor=next_cursor
    )


@route(
    behaviour_bp,
    "/v1/students/{massar}/behaviour",
    "POST",
    summary="Staff of the pupil's school write a behaviour note; the responsible guardian "
    "is told (SMS, quiet hours apply; as the parent's preferences say)",
    tag="space",
    body="chalicelib.school_life.behaviour.schemas:BehaviourRequest",
    returns="chalicelib.school_life.behaviour.schemas:BehaviourCreated",
    status=201,
    signed_in=True,
    idempotent=True,  # a retry must not write a second note (API.md)
    errors=(403, 404, 422),
)
def add_behaviour(call: Call) -> BehaviourCreated:
    from chalicelib.school_life.behaviour import service
    from chalicelib.school_life.behaviour.schemas import BehaviourCreated

    body: BehaviourRequest = call.body
    created = service.add(call.require(), call.param("massar"), body.model_dump())
    return BehaviourCreated.model_validate(created)
