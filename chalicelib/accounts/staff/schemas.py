"""Bodies of creating a school's staff account (operators)."""

from __future__ import annotations

from typing import Literal

from pydantic import EmailStr, Field

from chalicelib.core.schemas import AnswerBody, RequestBody


class NewStaffRequest(RequestBody):
    username: str = Field(pattern=r"^[a-z][a-z0-9._-]{2,39}$")
    school_code: str = Field(pattern=r"^[A-Z0-9]{4,12}$")
    first_name: str = Field(min_length=1, max_length=80)
    last_name: str = Field(min_length=1, max_length=80)
    email: EmailStr
    phone: str | None = Field(default=None, max_length=20)


class StaffCreated(AnswerBody):
    username: str
    status: Literal["pending_activation"]
    school_code: str
