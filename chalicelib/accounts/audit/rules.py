"""Security events: what happened to an account, who did it, from where."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class SecurityEvent(StrEnum):
    ACTIVATED = "activated"
    SIGN_IN_FAILED = "sign_in_failed"
    LOCKED_OUT = "locked_out"
    RECOVERY_ASKED = "recovery_asked"
    RECOVERY_USED = "recovery_used"
    PASSWORD_CHANGED = "password_changed"  # noqa: S105 - an event name
    CONTACT_CHANGED = "contact_changed"
    CONTACT_CHANGE_ASKED = "contact_change_asked"  # a code went to the new contact
    REAUTH_FAILED = "reauth_failed"  # a wrong current password while signed in
    INITIAL_CODE_RESTORED = "initial_code_restored"
    LETTERS_ISSUED = "letters_issued"
    MARK_CHANGED = "mark_changed"  # a published mark edited (before, after)
    GUARDIAN_CHANGED = "guardian_changed"  # a parent corrected guardian data
    # A pupil's school life (subject `PUPIL#<massar>`, read at /v1/students/{massar}/audit):
    ASSESSMENT_CHANGED = "assessment_changed"  # a marked assessment's kind/date/coefficient
    MARK_DELETED = "mark_deleted"  # the assessment was deleted, its mark with it
    ABSENCE_RECORDED = "absence_recorded"
    JUSTIFICATION_DECIDED = "justification_decided"  # accepted or refused
    ABSENCE_CANCELLED = "absence_cancelled"  # a wrongly recorded absence removed


@dataclass(frozen=True)
class Origin:
    """Where a request came from (for the audit trail and per-source limits)."""

    source_ip: str = "unknown"
    user_agent: str = ""


@dataclass(frozen=True)
class AuditEntry:
    subject: str  # the account key the event is about
    event: SecurityEvent
    actor: str  # who did it: the account itself, a staff member, "system"
    origin: Origin
    detail: dict[str, str] = field(default_factory=dict)
