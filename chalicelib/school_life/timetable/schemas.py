"""Bodies of the timetable routes: a class's week grid."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from chalicelib.core.schemas import AnswerBody, RequestBody

Clock = Annotated[str, Field(pattern=r"^(?:[01]\d|2[0-3]):[0-5]\d$", examples=["08:00"])]


class Slot(RequestBody):
    day: int = Field(ge=1, le=6, description="1 = Monday … 6 = Saturday")
    start: Clock
    end: Clock
    subject: str = Field(min_length=1, max_length=80)
    room: str = Field(default="", max_length=40)


class TimetableRequest(RequestBody):
    slots: list[Slot] = Field(max_length=80)


class SlotView(AnswerBody):
    day: int
    start: str
    end: str
    subject: str
    room: str


class Timetable(AnswerBody):
    class_id: str | None
    slots: list[SlotView]
