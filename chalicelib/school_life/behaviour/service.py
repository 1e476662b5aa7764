"""Behaviour notes: staff of the pupil's school record one (kind, day, what happened, what
was done); the pupil and the linked parents read them; the responsible guardian is told at
once (SMS, email as fallback; quiet hours apply, and the parent's preferences).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import date as Date
from typing import Any

from chalicelib.accounts.rules import Role
from chalicelib.accounts.sign_in.tokens import Principal
from chalicelib.core.access import require_pupil, require_record
from chalicelib.core.clock import today
from chalicelib.core.errors import InvalidFields, NotAllowed
from chalicelib.core.flags import read_flag
from chalicelib.notifications.rules import Channel, Contact, Notification, pick_language
from chalicelib.pupils.rules import PupilRecord, child_name
from chalicelib.school_life.behaviour.rules import alert_id, note_sk

KIND = "behaviour"  # the parents' preference this message follows


def notified_guardian(record: PupilRecord) -> tuple[str, dict[str, str]] | None:
    """The responsible guardian with a phone or an email, else any guardian with one."""
    reachable = [
        (role, person)
        for role, person in record.guardians.items()
        if person.get("phone") or person.get("email")
    ]
    for role, person in reachable:
        if read_flag(person.get("responsible")):
            return role, person
    return reachable[0] if reachable else None


def guardian_alert(
    record: PupilRecord,
    notification_id: str,
    template: str,
    params: Callable[[str], dict[str, str]],
    kind: str,
) -> Notification | None:
    """A message to the notified guardian (SMS, else email; the other one as fallback), as
    the guardian's preferences for `kind` want it (None: nothing to send)."""
    from chalicelib.notifications.preferences.service import honour

    found = notified_guardian(record)
    if found is None:
        return None
    role, person = found
    language = pick_language(person.get("language"), None)
    phone, email = person.get("phone"), person.get("email")
    channel, recipient = (Channel.SMS, phone) if phone else (Channel.EMAIL, email or "")
    notification = Notification(
        id=notification_id,
        template=template,
        channel=channel,
        recipient=recipient,
        language=language,
        params=params(language.value),
        fallback=Contact(Channel.EMAIL, email) if phone and email else None,
    )
    return honour(kind, [(record, role, notification)])[0]


def add(principal: Principal, massar_code: str, request: dict[str, Any]) -> dict[str, Any]:
    """Staff of the pupil's current school write a note (404 for who may not see the pupil,
    403 for the pupil and the parents)."""
    from chalicelib.school_life.behaviour import store

    record = require_record(principal, massar_code)
    if principal.role is not Role.STAFF:
        raise NotAllowed("staff only")
    day: Date = request["date"]
    if day > today():
        raise InvalidFields("date", {"date": "future_date"})
    note_id = secrets.token_hex(8)
    sk = note_sk(day, note_id)
    data = {
        "id": note_id,
        "kind": request["kind"],
        "date": day.isoformat(),
        "description": request["description"],
        "action": request.get("action") or "",
        "school_code": record.school_code or "",
        "recorded_by": principal.username,
    }

    def params(language: str) -> dict[str, str]:
        return {
            "child_name": child_name(record, language),
            "behaviour": request["kind"],
            "date": day.isoformat(),
            "description": request["description"],
            "action": request.get("action") or "-",
        }

    alert = guardian_alert(record, alert_id(massar_code, sk), "behaviour_note", params, KIND)
    store.add(massar_code, sk, data, alert)
    return {**_public(data), "notified": alert is not None}


def notes(
    principal: Principal,
    massar_code: str,
    school_year: str | None,
    limit: int,
    cursor: str | None,
) -> tuple[list[dict[str, Any]], str | None]:
    from chalicelib.registration.campaigns.rules import school_year_problem
    from chalicelib.school_life.behaviour import store

    require_pupil(principal, massar_code)
    if school_year is not None and school_year_problem(school_year):
        raise InvalidFields("school_year", {"school_year": "invalid_school_year"})
    items, next_cursor = store.of_pupil(massar_code, school_year, limit, cursor)
    return [_public(item) for item in items], next_cursor


def _public(item: dict[str, str]) -> dict[str, Any]:
    return {
        "id": item.get("id", ""),
        "kind": item.get("kind", "other"),
        "date": item.get("date", ""),
        "description": item.get("description", ""),
        "action": item.get("action") or None,
        "school_code": item.get("school_code") or None,
        "recorded_by": item.get("recorded_by") or None,
    }
