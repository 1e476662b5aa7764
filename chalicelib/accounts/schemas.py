"""Bodies of the account routes: activation, recovery, password change, profile, the
school's restoring of an initial code, and the audit trail."""

from __future__ import annotations

from typing import Literal

from pydantic import EmailStr, Field

from chalicelib.core.schemas import AnswerBody, RequestBody

Password = Field(min_length=1, max_length=256)


class ActivateRequest(RequestBody):
    username: str = Field(min_length=1, max_length=64)
    initial_code: str = Field(min_length=1, max_length=64)
    new_password: str = Password
    email: EmailStr | None = None
    phone: str | None = Field(default=None, max_length=20)
    cin: str | None = Field(default=None, max_length=12)
    address: str | None = Field(default=None, max_length=300)
    language: Literal["ar", "fr"] | None = None


class ForgotRequest(RequestBody):
    username: str = Field(min_length=1, max_length=64)
    channel: Literal["email", "sms"]
    contact: str = Field(min_length=3, max_length=254)


class Accepted(AnswerBody):
    status: Literal["accepted"] = "accepted"


class ResetRequest(RequestBody):
    username: str = Field(min_length=1, max_length=64)
    recovery_password: str = Field(min_length=1, max_length=64)
    new_password: str = Password


class ChangePasswordRequest(RequestBody):
    current_password: str = Password
    new_password: str = Password


class ProfilePatch(RequestBody):
    email: EmailStr | None = None
    phone: str | None = Field(default=None, max_length=20)
    address: str | None = Field(default=None, max_length=300)
    language: Literal["ar", "fr"] | None = None
    current_password: str | None = Field(
        default=None,
        min_length=1,
        max_length=256,
        description="needed when email or phone changes; the new one then waits for its code",
    )


class ConfirmContactRequest(RequestBody):
    channel: Literal["email", "sms"]
    code: str = Field(min_length=1, max_length=12)


class Profile(AnswerBody):
    first_name: str | None = None
    last_name: str | None = None
    first_name_ar: str | None = None
    last_name_ar: str | None = None
    email: str | None = None
    phone: str | None = None
    cin: str | None = None
    address: str | None = None
    school_code: str | None = None


class Child(AnswerBody):
    massar_code: str
    first_name_ar: str | None = None
    last_name_ar: str | None = None
    first_name_lat: str | None = None
    last_name_lat: str | None = None
    school_code: str | None = None
    class_id: str | None = None


class PendingContacts(AnswerBody):
    """Contacts waiting for the code sent to them (POST /v1/me/contacts/confirm)."""

    email: str | None = None
    phone: str | None = None


class Me(AnswerBody):
    username: str
    role: Literal["parent", "student", "staff", "ops"]
    status: Literal["pending_activation", "active", "disabled"]
    language: Literal["ar", "fr"] | None = None
    profile: Profile
    pending_contacts: PendingContacts = Field(default_factory=PendingContacts)
    children: list[Child] = Field(default_factory=list)


class RestoredCode(AnswerBody):
    username: str
    status: Literal["pending_activation"]
    letter_url: str = Field(description="short-lived link to the printable letter (PDF)")
    letter_expires_in: int = Field(description="seconds the link keeps working")


class AuditItem(AnswerBody):
    at: str
    event: str
    actor: str
    source_ip: str | None = None
    user_agent: str | None = None
    detail: dict[str, str] = Field(default_factory=dict)


class AuditPage(AnswerBody):
    items: list[AuditItem]
    next_cursor: str | None


class BatchRequest(RequestBody):
    class_id: str | None = Field(default=None, min_length=1, max_length=40)


class ClassLetters(AnswerBody):
    class_id: str
    label: str
    issued: int
    skipped: int
    letters_url: str | None = Field(default=None, description="short-lived link to the PDF")


class Batch(AnswerBody):
    id: str
    status: Literal["queued", "running", "done", "failed"]
    school_code: str
    classes_total: int
    classes_done: int
    issued: int
    skipped: int
    classes: list[ClassLetters] = Field(default_factory=list)
