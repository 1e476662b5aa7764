"""The audit of a pupil's absences (subject `PUPIL#<massar>`, as marks'): what each event
records. Pure: the entries are built here, written by the stores in the change's own
transaction (recording, decision, cancellation)."""

from __future__ import annotations

from chalicelib.accounts.audit.rules import AuditEntry, Origin, SecurityEvent
from chalicelib.core.flags import read_flag

NO_ORIGIN = Origin()


def _what(data: dict[str, str]) -> dict[str, str]:
    return {
        "date": data.get("date", ""),
        "session": data.get("session", ""),
        "subject": data.get("subject", ""),
        "class_id": data.get("class_id", ""),
    }


def absence_recorded_entry(
    actor: str,
    origin: Origin | None,
    massar_code: str,
    before: dict[str, str] | None,
    data: dict[str, str],
) -> AuditEntry | None:
    """A new absence, or a recorded one whose justified flag or reason changed; None when
    the same session was recorded again unchanged."""
    justified = "true" if read_flag(data.get("justified")) else "false"
    reason = data.get("reason") or ""
    if before is not None:
        was = "true" if read_flag(before.get("justified")) else "false"
        if was == justified and (before.get("reason") or "") == reason:
            return None
    detail = {**_what(data), "justified": justified, "after": justified}
    if reason:
        detail["reason"] = reason
    if before is not None:
        detail["before"] = "true" if read_flag(before.get("justified")) else "false"
    return AuditEntry(
        f"PUPIL#{massar_code}",
        SecurityEvent.ABSENCE_RECORDED,
        actor,
        origin or NO_ORIGIN,
        detail,
    )


def decision_entry(
    actor: str,
    origin: Origin | None,
    massar_code: str,
    item: dict[str, str],
    changes: dict[str, str],
) -> AuditEntry:
    """A justification accepted or refused (`after`), with the staff member's reason."""
    detail = {
        **_what(item),
        "before": "pending",
        "after": changes.get("justification_status", ""),
    }
    if changes.get("justification_decision_reason"):
        detail["reason"] = changes["justification_decision_reason"]
    return AuditEntry(
        f"PUPIL#{massar_code}",
        SecurityEvent.JUSTIFICATION_DECIDED,
        actor,
        origin or NO_ORIGIN,
        detail,
    )


def cancelled_entry(
    actor: str, origin: Origin, massar_code: str, item: dict[str, str], notified: bool
) -> AuditEntry:
    """A wrongly recorded absence removed; `notified`: the guardian is told."""
    detail = {
        **_what(item),
        "justified": "true" if read_flag(item.get("justified")) else "false",
        "guardian_notified": "true" if notified else "false",
    }
    status = item.get("justification_status")
    if status:
        detail["justification"] = status
    return AuditEntry(
        f"PUPIL#{massar_code}", SecurityEvent.ABSENCE_CANCELLED, actor, origin, detail
    )
