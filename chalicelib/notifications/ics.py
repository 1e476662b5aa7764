"""The `.ics` attached to `appointment_confirmed`: one VEVENT (RFC 5545), stdlib only.

Pure: the same params give the same bytes (the message is rendered again on every retry),
so DTSTAMP and UID are derived from the params, not from the clock.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

DURATION = timedelta(minutes=30)
SUMMARY = {
    "school_certificate": {"fr": "Retrait du certificat de scolarité", "ar": "سحب شهادة مدرسية"},
    "meeting": {"fr": "Rendez-vous avec l'administration", "ar": "موعد مع الإدارة"},
}


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Lines of at most 75 octets, continued with CRLF and a space (§3.1), never splitting
    a UTF-8 character."""
    out: list[str] = []
    current = ""
    size = 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def build_ics(params: dict[str, str], language: str = "fr") -> bytes:
    start = datetime.fromisoformat(params["scheduled_at"])
    if start.tzinfo is None:
        raise ValueError("scheduled_at needs an offset")
    purpose = params.get("purpose", "meeting")
    summary = SUMMARY.get(purpose, SUMMARY["meeting"]).get(language, SUMMARY["meeting"]["fr"])
    child = params.get("child_name", "")
    digest = hashlib.sha256(
        "|".join(f"{k}={params[k]}" for k in sorted(params)).encode()
    ).hexdigest()[:24]
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Massar e-services//Appointments//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{digest}@massar.men.gov.ma",
        f"DTSTAMP:{_utc(start)}",
        f"DTSTART:{_utc(start)}",
        f"DTEND:{_utc(start + DURATION)}",
        f"SUMMARY:{escape_text(f'{summary} — {child}' if child else summary)}",
        f"LOCATION:{escape_text(params.get('school_name', ''))}",
        "STATUS:CONFIRMED",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")
