"""Behaviour notes (seed 002: parents are told at once of a problem — an absence, a drop in
marks, behaviour): what a note is, where it is kept (pure rules).

A note says what kind of behaviour it records, on which day, what happened and what the
school did about it. It lives in the pupil's partition under
`BEHAVIOUR#<school year>#<date>#<id>`, so a pupil's notes are one Query, newest first.
"""

from __future__ import annotations

import hashlib
from datetime import date as Date

KINDS = (
    "praise",  # encouragement, good conduct
    "lateness",
    "misconduct",
    "disruption",  # disturbing the class
    "missing_work",  # homework or material not brought
    "other",
)
PREFIX = "BEHAVIOUR#"


def school_year_of(day: Date) -> str:
    """Moroccan school years start in September: 2026-11-23 is in 2026-2027."""
    first = day.year if day.month >= 9 else day.year - 1
    return f"{first}-{first + 1}"


def note_sk(day: Date, note_id: str) -> str:
    return f"{PREFIX}{school_year_of(day)}#{day.isoformat()}#{note_id}"


def alert_id(massar_code: str, sk: str) -> str:
    """One message per note, whatever the number of retries."""
    return "beh-" + hashlib.sha256(f"{massar_code}|{sk}".encode()).hexdigest()[:32]
