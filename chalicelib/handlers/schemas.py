"""Request and answer bodies. They validate requests and generate the OpenAPI document.

Request models forbid unknown fields: a client can never set `status`, `school_code`
or `decided_by` by adding them to a body (mass assignment). Schemas are built on first
use (`defer_build`), not at cold start.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field


class RequestBody(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)


class AnswerBody(BaseModel):
    model_config = ConfigDict(defer_build=True)


class Health(AnswerBody):
    status: Literal["ok"] = "ok"


class LoginRequest(RequestBody):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class RefreshRequest(RequestBody):
    refresh_token: str = Field(min_length=1, max_length=256)


class AccountSummary(AnswerBody):
    username: str
    role: Literal["parent", "student", "staff", "ops"]
    status: Literal["pending_activation", "active", "disabled"]


class TokenPair(AnswerBody):
    access_token: str
    refresh_token: str
    expires_in: int = Field(description="seconds until the access token expires")
    account: AccountSummary


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


class ErrorDetail(AnswerBody):
    code: str
    message: str
    fields: dict[str, str] | None = None


class ErrorEnvelope(AnswerBody):
    error: ErrorDetail
