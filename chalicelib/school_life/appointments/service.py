"""Certificate and meeting appointments (seed 000): a linked parent or the pupil asks, staff
of the pupil's school approve (a date) or decline (a reason); a decision is final."""

from __future__ import annotations

import secrets
from datetime import datetime

from chalicelib.accounts.rules import Role
from chalicelib.accounts.sign_in.tokens import Principal
from chalicelib.core.access import require_pupil, require_record, staff_of_school
from chalicelib.core.clock import now
from chalicelib.core.cursors import Page
from chalicelib.core.errors import AlreadyDecided, InvalidFields, NotFound
from chalicelib.notifications.rules import Channel, Notification, pick_language

PENDING = "pending"
APPROVED = "approved"
DECLINED = "declined"
REQUESTERS = (Role.PARENT, Role.STUDENT)


def _pupil_profile(massar_code: str) -> dict[str, str] | None:
    from chalicelib.pupils import store as pupils

    return pupils.get_profile(massar_code)


def request(
    principal: Principal, massar_code: str, purpose: str, note: str | None
) -> dict[str, str]:
    from chalicelib.school_life.appointments import store as appointments

    school = require_record(principal, massar_code).school_code
    if principal.role not in REQUESTERS or school is None:
        raise NotFound("pupil")  # staff answer requests, they do not make them
    data = {
        "id": secrets.token_hex(8),
        "massar_code": massar_code,
        "school_code": school,
        "requester": principal.username,
        "requester_role": principal.role.value,
        "purpose": purpose,
        "status": PENDING,
        "created_at": now().isoformat(timespec="milliseconds"),
    }
    if note:
        data["note"] = note
    appointments.create(data)
    return data


def list_for_pupil(
    principal: Principal, massar_code: str, limit: int, cursor: str | None
) -> Page[dict[str, str]]:
    from chalicelib.school_life.appointments import store as appointments

    require_pupil(principal, massar_code)
    return appointments.for_pupil(massar_code, limit, cursor)


def require_staff_of(principal: Principal, school_code: str) -> None:
    if not staff_of_school(principal, school_code):
        raise NotFound("school")


def list_for_school(
    principal: Principal, school_code: str, status: str | None, limit: int, cursor: str | None
) -> Page[dict[str, str]]:
    from chalicelib.school_life.appointments import store as appointments

    require_staff_of(principal, school_code)
    return appointments.for_school(school_code, status, limit, cursor)


def _decidable(principal: Principal, appointment_id: str) -> dict[str, str]:
    from chalicelib.school_life.appointments import store as appointments

    found = appointments.get(appointment_id)
    if found is None:
        raise NotFound("appointment")
    require_staff_of(principal, found["school_code"])
    if found["status"] != PENDING:
        raise AlreadyDecided("appointment")
    return found


def _child_name(profile: dict[str, str] | None, language: str) -> str:
    if not profile:
        return ""
    suffix = "ar" if language == "ar" else "lat"
    first = profile.get(f"first_name_{suffix}") or profile.get("first_name", "")
    last = profile.get(f"last_name_{suffix}") or profile.get("last_name", "")
    return f"{first} {last}".strip()


def _school_name(school_code: str, language: str) -> str:
    from chalicelib.schools import store as schools

    school = schools.get_school(school_code)
    if school is None:
        return school_code
    return str(school.name_ar if language == "ar" else school.name_fr)


def confirmation(appointment: dict[str, str]) -> Notification | None:
    """The email to the requester (their SMS when the account has no email), or None when
    the account has no contact at all."""
    from chalicelib.accounts.store import get_account

    account = get_account(appointment["requester"])
    if account is None:
        return None
    language = pick_language(account.language or account.profile.get("language"), None)
    email, phone = account.contact("email"), account.contact("sms")
    if email:
        channel, recipient = Channel.EMAIL, email
    elif phone:
        channel, recipient = Channel.SMS, phone
    else:
        return None
    return Notification(
        id=f"appointment-{appointment['id']}-confirmed",
        template="appointment_confirmed",
        channel=channel,
        recipient=recipient,
        language=language,
        params={
            "child_name": _child_name(_pupil_profile(appointment["massar_code"]), language),
            "purpose": appointment["purpose"],
            "scheduled_at": appointment["scheduled_at"],
            "school_name": _school_name(appointment["school_code"], language),
        },
    )


def approve(
    principal: Principal, appointment_id: str, scheduled_at: datetime, field: str = "scheduled_at"
) -> dict[str, str]:
    """Kept with the offset of the Africa/Casablanca clock on that date (API.md), whatever
    offset it came with: web, email and .ics all read that one value."""
    from zoneinfo import ZoneInfo

    from chalicelib.school_life.appointments import store as appointments

    before = _decidable(principal, appointment_id)
    if scheduled_at <= now():
        raise InvalidFields(field, {field: "in_the_past"})
    after = {
        **before,
        "status": APPROVED,
        "scheduled_at": scheduled_at.astimezone(ZoneInfo("Africa/Casablanca")).isoformat(),
        "decided_by": principal.username,
        "decided_at": now().isoformat(timespec="milliseconds"),
    }
    appointments.decide(before, after, confirmation(after))
    return after


def decline(principal: Principal, appointment_id: str, reason: str) -> dict[str, str]:
    from chalicelib.school_life.appointments import store as appointments

    before = _decidable(principal, appointment_id)
    after = {
        **before,
        "status": DECLINED,
        "reason": reason,
        "decided_by": principal.username,
        "decided_at": now().isoformat(timespec="milliseconds"),
    }
    appointments.decide(before, after, declined_notice(after))
    return after


def declined_notice(appointment: dict[str, str]) -> Notification | None:
    """The requester is told, with the school's reason (issue 17)."""
    from chalicelib.school_life import notices

    school = appointment["school_code"]
    return notices.to_account(
        appointment["requester"],
        appointment["massar_code"],
        f"appointment-{appointment['id']}-declined",
        "appointment_declined",
        lambda language: {
            "child_name": notices.child_name(_pupil_profile(appointment["massar_code"]), language),
            "purpose": appointment["purpose"],
            "school_name": notices.school_name(school, language),
            "note": appointment.get("reason", ""),
        },
        kind="appointments",
    )
