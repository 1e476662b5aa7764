"""Request and answer bodies of homework."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from chalicelib.core.schemas import AnswerBody, RequestBody
from chalicelib.school_life.homework.rules import MAX_DOCUMENTS


class DocumentRef(RequestBody):
    key: str = Field(
        min_length=1,
        max_length=200,
        description="an upload's `document_key`, or the `key` of a document the homework keeps",
    )
    name: str = Field(min_length=1, max_length=120, examples=["exercices.pdf"])


class HomeworkRequest(RequestBody):
    subject: str = Field(min_length=1, max_length=80, examples=["maths"])
    title: str = Field(min_length=1, max_length=150)
    instructions: str = Field(default="", max_length=4000)
    due_date: dt.date = Field(description="Casablanca's today or later")
    documents: list[DocumentRef] = Field(default_factory=list, max_length=MAX_DOCUMENTS)


class HomeworkChange(RequestBody):
    subject: str | None = Field(default=None, min_length=1, max_length=80)
    title: str | None = Field(default=None, min_length=1, max_length=150)
    instructions: str | None = Field(default=None, max_length=4000)
    due_date: dt.date | None = None
    documents: list[DocumentRef] | None = Field(
        default=None, max_length=MAX_DOCUMENTS, description="the whole new list when given"
    )


class HomeworkDocument(AnswerBody):
    key: str
    name: str
    kind: str = Field(description="pdf, jpeg or png, from the file's content")
    size: int
    url: str = Field(description="presigned, valid 15 minutes")


class Homework(AnswerBody):
    id: str
    school_code: str
    class_id: str
    subject: str
    title: str
    instructions: str
    due_date: str
    documents: list[HomeworkDocument]
    posted_by: str | None = None
    posted_at: str | None = None
    updated_at: str | None = None


class Homeworks(AnswerBody):
    items: list[Homework]
    next_cursor: str | None = None


class DocumentUpload(AnswerBody):
    document_key: str = Field(description="give it as a document's `key` in the homework")
    url: str
    fields: dict[str, str] = Field(description="form fields to send before the `file` field")
    max_bytes: int
    expires_in: int
