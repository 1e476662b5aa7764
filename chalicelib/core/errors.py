"""Domain failures, each with a stable snake_case code that clients rely on (API.md)."""

from __future__ import annotations


class DomainError(Exception):
    """A rule refused the request. `code` is part of the HTTP contract."""

    code = "domain_error"

    def __init__(self, detail: str = "", fields: dict[str, str] | None = None) -> None:
        super().__init__(detail or self.code)
        self.detail = detail
        self.fields = fields or {}


class InvalidCredentials(DomainError):
    code = "invalid_credentials"


class ActivationRequired(DomainError):
    code = "activation_required"


class PasswordExpired(DomainError):
    code = "password_expired"


class AccountDisabled(DomainError):
    code = "account_disabled"


class NotAllowed(DomainError):
    code = "forbidden"


class NotFound(DomainError):
    code = "not_found"


class AlreadyExists(DomainError):
    code = "already_exists"


class WeakPassword(DomainError):
    code = "weak_password"


class InvalidToken(DomainError):
    code = "invalid_token"


class TooManyAttempts(DomainError):
    code = "too_many_attempts"

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__("retry later")
        self.retry_after_seconds = retry_after_seconds


class Conflict(DomainError):
    code = "conflict"


class Busy(DomainError):
    """A write kept colliding with others on the same items: try again in a moment (503
    with Retry-After, never a 500)."""

    code = "busy"
    retry_after_seconds = 1


# --- Registration -------------------------------------------------------------------------


class InvalidFields(DomainError):
    """Fields wrong together or against stored data; `fields` maps a JSON path to a problem
    code that the HTTP layer words in the caller's language."""

    code = "validation_failed"


class CampaignClosed(DomainError):
    code = "campaign_closed"


class NoOpenCampaign(DomainError):
    code = "no_open_campaign"


class DuplicateApplication(DomainError):
    code = "duplicate_application"


class AlreadyDecided(DomainError):
    code = "already_decided"


# --- The pupil record: enrolment and transfers --------------------------------------------


class EnrolledElsewhere(DomainError):
    """A pupil enrolled with another school: only a transfer the current school releases
    brings the pupil over (`POST /v1/schools/{code}/transfers`)."""

    code = "pupil_enrolled_elsewhere"


class TransferAlreadyOpen(DomainError):
    code = "transfer_already_open"
