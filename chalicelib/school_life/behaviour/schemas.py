"""Request and answer bodies of behaviour notes."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from chalicelib.core.schemas import AnswerBody, RequestBody

Kind = Literal["praise", "lateness", "misconduct", "disruption", "missing_work", "other"]


class BehaviourRequest(RequestBody):
    kind: Kind
    date: dt.date
    description: str = Field(min_length=1, max_length=1000, description="what happened")
    action: str | None = Field(default=None, max_length=500, description="what the school did")


class BehaviourNote(AnswerBody):
    id: str
    kind: Kind
    date: dt.date
    description: str
    action: str | None = None
    school_code: str | None = None
    recorded_by: str | None = None


class BehaviourCreated(BehaviourNote):
    notified: bool = Field(description="a message to the responsible guardian was queued")


class BehaviourNotes(AnswerBody):
    items: list[BehaviourNote]
    next_cursor: str | None = None
