"""Messages between a pupil's family and the school administration over HTTP."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Blueprint

from chalicelib.core.fields import boolean_param, page_params, query_params
from chalicelib.core.flags import read_flag
from chalicelib.core.http import Call, route

if TYPE_CHECKING:  # imported where used: a cold start loads only what its route needs
    from chalicelib.school_life.messages.schemas import Inbox, Message, MessageRequest, Thread

messages_bp = Blueprint(__name__)


def _message(data: dict[str, str]) -> dict[str, Any]:
    return {
        "id": data["id"],
        "body": data["body"],
        "author": data["author"],
        "author_role": data["author_role"],
        "from_school": read_flag(data.get("from_school")),
        "sent_at": data["sent_at"],
    }


@route(
    messages_bp,
    "/v1/students/{massar}/messages",
    "POST",
    summary="Write to the school about a pupil (the pupil, a linked parent), or answer (staff)",
    tag="space",
    body="chalicelib.school_life.messages.schemas:MessageRequest",
    returns="chalicelib.school_life.messages.schemas:Message",
    status=201,
    signed_in=True,
    idempotent=True,  # a retry must not create a second one (API.md)
    errors=(404,),
)
def send_message(call: Call) -> Message:
    from chalicelib.school_life.messages import service as messages
    from chalicelib.school_life.messages.schemas import Message

    body: MessageRequest = call.body
    sent = messages.send(call.require(), call.param("massar"), body.body)
    return Message.model_validate(_message(sent))


@route(
    messages_bp,
    "/v1/students/{massar}/messages",
    "GET",
    summary="A pupil's thread with the school, newest last, with the caller's unread count",
    tag="space",
    returns="chalicelib.school_life.messages.schemas:Thread",
    signed_in=True,
    errors=(404,),
)
def read_thread(call: Call) -> Thread:
    from chalicelib.school_life.messages import service as messages
    from chalicelib.school_life.messages.schemas import Thread

    limit, cursor = page_params(query_params(call.request), call.language)
    massar = call.param("massar")
    read = messages.read_thread(call.require(), massar, limit, cursor)
    return Thread.model_validate(
        {
            "massar_code": massar,
            "pupil": read.pupil,
            "items": [_message(m) for m in read.page.items],
            "unread": read.unread,
            "next_cursor": read.page.next_cursor,
        }
    )


@route(
    messages_bp,
    "/v1/schools/{code}/messages",
    "GET",
    summary="The school inbox (staff of the school): threads, newest first, `?unread=true`",
    tag="space",
    returns="chalicelib.school_life.messages.schemas:Inbox",
    signed_in=True,
    errors=(404,),
)
def school_inbox(call: Call) -> Inbox:
    from chalicelib.pupils.names import names_of
    from chalicelib.school_life.messages import service as messages
    from chalicelib.school_life.messages.schemas import Inbox

    params = query_params(call.request)
    limit, cursor = page_params(params, call.language)
    unread_only = bool(boolean_param(params, "unread", call.language))
    page = messages.inbox(call.require(), call.param("code"), unread_only, limit, cursor)
    names = names_of(i["massar_code"] for i in page.items)  # one BatchGetItem for the page
    return Inbox.model_validate(
        {
            "items": [
                {
                    "massar_code": i["massar_code"],
                    "pupil": names.get(i["massar_code"]),
                    "last_at": i["last_at"],
                    "last_body": i["last_body"],
                    "unread": int(i.get("school_unread", "0")),
                }
                for i in page.items
            ],
            "next_cursor": page.next_cursor,
        }
    )
