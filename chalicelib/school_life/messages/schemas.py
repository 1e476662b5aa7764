"""Bodies of the messages routes (family space): a pupil's thread, a school's inbox."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from chalicelib.core.schemas import AnswerBody, RequestBody
from chalicelib.pupils.schemas import PupilName


class MessageRequest(RequestBody):
    body: str = Field(min_length=1, max_length=2000)


class Message(AnswerBody):
    id: str
    body: str
    author: str
    author_role: str
    from_school: bool
    sent_at: datetime


class Thread(AnswerBody):
    massar_code: str
    pupil: PupilName | None = None
    items: list[Message]
    unread: int
    next_cursor: str | None = None


class InboxThread(AnswerBody):
    massar_code: str
    pupil: PupilName | None = None
    last_at: datetime
    last_body: str
    unread: int


class Inbox(AnswerBody):
    items: list[InboxThread]
    next_cursor: str | None = None
