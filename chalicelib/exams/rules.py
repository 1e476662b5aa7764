"""National and regional exams (seed 002: "dates and details of national or regional exams,
such as the baccalaureate"): the pure rules of a session, its candidates and results.

A session is one exam of one school year for one level: the national baccalaureate
(`national`, level `2BAC`), the regional exam of the first baccalaureate year or of the
third year of collège (`regional`, `1BAC` / `3AC`, one academy). Its calendar lists, per
track, the subjects with their date and hours. Its results are shown from `results_at`
on, never before: `published` is the one test every reader goes through.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from chalicelib.core.identifiers import MASSAR_CODE

KINDS = ("national", "regional")
LEVEL = re.compile(r"^[1-9][A-Z]{1,5}$")
CODE = re.compile(r"^[A-Za-z0-9_-]{1,24}$")  # a track, a subject, an exam centre
ACADEMY = re.compile(r"^\d{2}$")
SCHOOL_YEAR = re.compile(r"^\d{4}-\d{4}$")
CANDIDATE_NUMBER = re.compile(r"^\d{1,12}$")
HOUR = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
SESSION_ID = re.compile(r"^(national|regional)-\d{4}-\d{4}-[1-9][A-Z]{1,5}(-\d{2})?$")
# What a results sheet says of a candidate (the baccalaureate's words: admis, rattrapage,
# non admis; absent), and the honours of an admitted one.
DECISIONS = ("admitted", "resit", "not_admitted", "absent")
MENTIONS = ("passable", "assez_bien", "bien", "tres_bien")
CALENDAR_COLUMNS = ("track", "subject", "name_ar", "name_fr", "date", "starts_at", "ends_at")
CANDIDATE_COLUMNS = (
    "massar_code",
    "track",
    "centre_code",
    "centre_name_ar",
    "centre_name_fr",
    "candidate_number",
)
RESULT_COLUMNS = ("massar_code", "decision")  # average, mention, candidate_number optional


def session_id(kind: str, school_year: str, level: str, academy: str | None) -> str:
    """`national-2025-2026-2BAC`, `regional-2025-2026-1BAC-04`: one session per exam, year,
    level (and academy), so publishing the same session twice names the same thing."""
    base = f"{kind}-{school_year}-{level}"
    return f"{base}-{academy}" if kind == "regional" and academy else base


def session_problems(kind: str, school_year: str, academy: str | None) -> dict[str, str]:
    problems: dict[str, str] = {}
    first, _, second = school_year.partition("-")
    if not (first.isdigit() and second.isdigit() and int(second) == int(first) + 1):
        problems["school_year"] = "invalid_school_year"
    if kind == "regional" and not academy:
        problems["academy"] = "academy_required"
    if kind == "national" and academy:
        problems["academy"] = "not_for_national"
    return problems


@dataclass(frozen=True)
class Slot:
    """One subject of one track: its day and hours (Casablanca's wall clock)."""

    track: str
    subject: str
    name_ar: str
    name_fr: str
    date: str
    starts_at: str
    ends_at: str

    def as_dict(self) -> dict[str, str]:
        return {
            "track": self.track,
            "subject": self.subject,
            "name_ar": self.name_ar,
            "name_fr": self.name_fr,
            "date": self.date,
            "starts_at": self.starts_at,
            "ends_at": self.ends_at,
        }


def slot_problems(raw: dict[str, str]) -> dict[str, str]:
    """What is wrong with one calendar row (from the body or the file)."""
    problems: dict[str, str] = {}
    for name in ("track", "subject"):
        if not CODE.match(raw.get(name, "")):
            problems[name] = "invalid_code"
    for name in ("name_ar", "name_fr"):
        if not raw.get(name, "").strip() or len(raw.get(name, "")) > 120:
            problems[name] = "missing"
    try:
        date.fromisoformat(raw.get("date", ""))
    except ValueError:
        problems["date"] = "date_parsing"
    for name in ("starts_at", "ends_at"):
        if not HOUR.match(raw.get(name, "")):
            problems[name] = "invalid_hour"
    if not problems and raw["ends_at"] <= raw["starts_at"]:
        problems["ends_at"] = "end_before_start"
    return problems


def slot_of(raw: dict[str, str]) -> Slot:
    return Slot(
        raw["track"].upper(),
        raw["subject"].upper(),
        raw["name_ar"].strip(),
        raw["name_fr"].strip(),
        raw["date"],
        raw["starts_at"],
        raw["ends_at"],
    )


def calendar_clashes(slots: list[Slot]) -> dict[int, dict[str, str]]:
    """Rows (by index) repeating a track's subject, or overlapping another subject of the
    same track on the same day."""
    found: dict[int, dict[str, str]] = {}
    seen: dict[tuple[str, str], int] = {}
    for index, slot in enumerate(slots):
        if (slot.track, slot.subject) in seen:
            found[index] = {"subject": "duplicate_in_file"}
            continue
        seen[(slot.track, slot.subject)] = index
        for other in slots[:index]:
            same_day = other.track == slot.track and other.date == slot.date
            if same_day and other.starts_at < slot.ends_at and slot.starts_at < other.ends_at:
                found[index] = {"starts_at": "overlapping_slot"}
                break
    return found


def calendar_of_track(calendar: list[dict[str, str]], track: str) -> list[dict[str, str]]:
    """The subjects a candidate of `track` sits, in order of date and hour."""
    mine = [slot for slot in calendar if slot.get("track") == track]
    return sorted(mine, key=lambda s: (s.get("date", ""), s.get("starts_at", "")))


def tracks_of(calendar: list[dict[str, str]]) -> list[str]:
    return sorted({slot["track"] for slot in calendar if slot.get("track")})


# --- Candidates and results ----------------------------------------------------------------


def candidate_problems(raw: dict[str, str], tracks: list[str]) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not MASSAR_CODE.match(raw.get("massar_code", "").upper()):
        problems["massar_code"] = "not_a_massar_code"
    if raw.get("track", "").upper() not in tracks:
        problems["track"] = "unknown_track"
    if not CODE.match(raw.get("centre_code", "")):
        problems["centre_code"] = "invalid_code"
    for name in ("centre_name_ar", "centre_name_fr"):
        if not raw.get(name, "").strip() or len(raw.get(name, "")) > 160:
            problems[name] = "missing"
    if not CANDIDATE_NUMBER.match(raw.get("candidate_number", "")):
        problems["candidate_number"] = "invalid_candidate_number"
    return problems


def average_of(text: str) -> str | None:
    """A mark out of 20 with two decimals at most (`15,25` or `15.25`), as `15.25`; None
    when it is not one."""
    try:
        value = Decimal(text.replace(",", ".").strip())
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0 or value > 20 or value.as_tuple().exponent < -2:  # type: ignore[operator]
        return None
    return f"{value.quantize(Decimal('0.01'))}"


def result_of(raw: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """A results row → (the result as stored, its problems)."""
    problems: dict[str, str] = {}
    result: dict[str, str] = {}
    if not MASSAR_CODE.match(raw.get("massar_code", "").upper()):
        problems["massar_code"] = "not_a_massar_code"
    decision = raw.get("decision", "").strip().lower()
    if decision not in DECISIONS:
        problems["decision"] = "invalid_exam_decision"
    else:
        result["decision"] = decision
    average = raw.get("average", "").strip()
    if average:
        value = average_of(average)
        if value is None:
            problems["average"] = "invalid_mark"
        else:
            result["average"] = value
    elif decision != "absent" and decision in DECISIONS:
        problems["average"] = "missing"
    mention = raw.get("mention", "").strip().lower()
    if mention:
        if mention not in MENTIONS or decision != "admitted":
            problems["mention"] = "invalid_mention"
        else:
            result["mention"] = mention
    number = raw.get("candidate_number", "").strip()
    if number and not CANDIDATE_NUMBER.match(number):
        problems["candidate_number"] = "invalid_candidate_number"
    return result, problems


def published(results_at: str | None, moment: datetime) -> bool:
    """Whether a session's results may be shown at `moment` (an aware datetime): from
    `results_at` on, and never when no time was set."""
    if not results_at:
        return False
    try:
        when = datetime.fromisoformat(results_at)
    except ValueError:
        return False
    return when.tzinfo is not None and moment >= when


def dumps(value: Any) -> str:
    """JSON as stored in an item's `data` map (compact, Arabic kept as is)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def loads_list(text: str | None) -> list[dict[str, str]]:
    if not text:
        return []
    value = json.loads(text)
    return [dict(v) for v in value] if isinstance(value, list) else []


def loads_map(text: str | None) -> dict[str, str]:
    if not text:
        return {}
    value = json.loads(text)
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}
