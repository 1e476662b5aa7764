"""Operators' dashboard of the registration campaign, read from counters (never a scan)."""

from __future__ import annotations

from typing import Any

from chalicelib.accounts.sign_in.tokens import Principal
from chalicelib.core.access import operator_covers, staff_of_school
from chalicelib.core.errors import InvalidFields, NotAllowed, NotFound
from chalicelib.registration.campaigns.rules import school_year_problem
from chalicelib.registration.campaigns.service import current_campaign
from chalicelib.registration.dashboard import store as counters
from chalicelib.schools import store as school_store

KINDS = ("academy", "province", "school")


def _parse_scope(raw: str | None) -> tuple[str, str | None]:
    if not raw or raw == counters.NATION:
        return counters.NATION, None
    kind, _, value = raw.partition(":")
    value = value.strip().upper()
    if kind not in KINDS or not value or len(value) > 40:
        raise InvalidFields("scope", {"scope": "invalid_scope"})
    return kind, value


def _allowed(actor: Principal, kind: str, value: str | None, parents: dict[str, str]) -> bool:
    """A school's staff see its counts; an operator those of the places its scope covers
    (core/access), an academy or province known by `value`, a school by its `parents`."""
    if kind == "school" and staff_of_school(actor, value):
        return True
    academy = value if kind == "academy" else parents.get("academy")
    province = value if kind == "province" else parents.get("province")
    return operator_covers(actor, academy, province)


def registrations(
    actor: Principal, school_year: str | None, raw_scope: str | None
) -> dict[str, Any]:
    if school_year is None:
        school_year = current_campaign().school_year
    elif school_year_problem(school_year):
        raise InvalidFields("school_year", {"school_year": "invalid_school_year"})
    kind, value = _parse_scope(raw_scope)
    scope = counters.scope_id(kind, value)
    parents: dict[str, str] = {}
    parent_scope = None
    if kind == "school":
        school = school_store.get_school(value or "")
        if school is None:
            raise NotFound("school")
        parents = {"academy": school.academy, "province": school.province}
        parent_scope = counters.scope_id("province", school.province)
    elif kind == "province" and actor.scope.academy:
        # A province belongs to the academy whose counters list it.
        academy = counters.read_scope(
            school_year, counters.scope_id("academy", actor.scope.academy)
        )
        if scope in academy.children:
            parents = {"academy": actor.scope.academy}
    if not _allowed(actor, kind, value, parents):
        raise NotAllowed("outside the caller's scope")
    counts = counters.read_scope(school_year, scope, parent_scope)

    def row(values: dict[str, int]) -> dict[str, int]:
        return {**values, "total": sum(values.values())}

    return {
        "school_year": school_year,
        "scope": scope,
        "counts": row(counts.totals),
        "breakdown": [{"scope": name, **row(values)} for name, values in counts.children.items()],
        "hours": [
            {"hour": f"{hour}:00Z", "submissions": number} for hour, number in counts.hours.items()
        ],
    }


# --- Counting, from the registrations table's stream ----------------------------------


def _text(image: dict[str, Any], name: str) -> str | None:
    value = image.get(name)
    return value.get("S") if isinstance(value, dict) else None


def change_of(
    sequence_number: str,
    new_image: dict[str, Any] | None,
    old_image: dict[str, Any] | None,
) -> counters.Change | None:
    """What a stream record of the registrations table means for the counts: a new
    application, a decision, or nothing (a guard item, an edit that kept the status)."""
    from datetime import datetime

    from chalicelib.registration.service import school_of_snapshot

    image = new_image or {}
    status = _text(image, "status")
    year = _text(image, "school_year")
    school = (image.get("school") or {}).get("M")
    if not status or not year or not isinstance(school, dict):
        return None  # duplicate and tracking guards share the table
    old = _text(old_image or {}, "status")
    if old == status or status not in counters.STATUSES or old not in (None, *counters.STATUSES):
        return None
    snapshot = {name: str(v.get("S", "")) for name, v in school.items() if isinstance(v, dict)}
    submitted_at = _text(image, "submitted_at")
    return counters.Change(
        sequence_number=sequence_number,
        registration_id=str(_text(image, "id")),
        school_year=year,
        school=school_of_snapshot(snapshot),
        new=status,
        old=old,
        # PynamoDB's UTCDateTimeAttribute format.
        moment=datetime.strptime(submitted_at, "%Y-%m-%dT%H:%M:%S.%f%z")
        if submitted_at and old is None
        else None,
    )
