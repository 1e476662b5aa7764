"""Absences: staff record a class session's absences in one call; an unjustified
absence alerts the responsible guardian by SMS (outbox, same transaction) and shows at once
in the parents' view (seed 002); parents send a justification, staff accept or refuse it.

An absence's public id is its key, opaque: base64url of `<massar>|<sort key>`, so the
staff routes without the pupil in the path find the item with one GetItem.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date as Date
from functools import partial
from typing import TYPE_CHECKING, Any

from chalicelib.accounts.audit import store as audit
from chalicelib.accounts.audit.rules import Origin
from chalicelib.accounts.rules import Role
from chalicelib.accounts.sign_in.tokens import Principal
from chalicelib.core.access import require_pupil, staff_of_school
from chalicelib.core.clock import today
from chalicelib.core.errors import AlreadyDecided, Conflict, InvalidFields, NotAllowed, NotFound
from chalicelib.core.flags import read_flag, stored_flag
from chalicelib.notifications.rules import Channel, Contact, Notification, pick_language
from chalicelib.pupils.rules import PupilRecord
from chalicelib.school_life.absences.desk.rules import absence_recorded_entry, decision_entry

if TYPE_CHECKING:
    from chalicelib.core.transactions import Transaction

SESSION = re.compile(r"^(?:[01]\d|2[0-3]):[0-5]\d-(?:[01]\d|2[0-3]):[0-5]\d$")
# Two items a pupil at most (the absence, the alert): 25 pupils keep a transaction under 100.
PUPILS_PER_TRANSACTION = 25
PHOTO_URL_SECONDS = 900  # a presigned GET, signed locally (no call) for each view


@dataclass(frozen=True)
class AbsenceEntry:
    massar_code: str
    justified: bool
    reason: str | None = None


def school_year_of(day: Date) -> str:
    """Moroccan school years start in September: 2026-11-23 is in 2026-2027."""
    first = day.year if day.month >= 9 else day.year - 1
    return f"{first}-{first + 1}"


def absence_id(massar_code: str, sk: str) -> str:
    raw = f"{massar_code}|{sk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def parse_id(value: str) -> tuple[str, str]:
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as error:
        raise NotFound("absence") from error
    massar_code, _, sk = raw.partition("|")
    if not massar_code or not sk.startswith("ABSENCE#"):
        raise NotFound("absence")
    return massar_code, sk


def alert_id(massar_code: str, sk: str) -> str:
    """One alert per absence, whatever the number of recordings."""
    return "abs-" + hashlib.sha256(f"{massar_code}|{sk}".encode()).hexdigest()[:32]


def _require_staff_of(principal: Principal, school_code: str) -> None:
    if not staff_of_school(principal, school_code):
        raise NotAllowed("school")


def _child_name(member: dict[str, str], language: str) -> str:
    order = ("ar", "lat") if language == "ar" else ("lat", "ar")
    for script in order:
        first = member.get(f"first_name_{script}")
        if first:
            return " ".join(p for p in (first, member.get(f"last_name_{script}")) if p)
    return member.get("first_name") or member.get("massar_code", "")


def _responsible(guardians: Mapping[str, dict[str, str]]) -> dict[str, str] | None:
    """The responsible guardian with a phone, else any guardian with a phone."""
    with_phone = [g for g in guardians.values() if g.get("phone")]
    for guardian in with_phone:
        if read_flag(guardian.get("responsible")):
            return guardian
    return with_phone[0] if with_phone else None


def _alert(
    record: PupilRecord, sk: str, day: str, session: str, subject: str | None
) -> Notification | None:
    """The unjustified-absence SMS to the guardian block's responsible guardian (whose
    contacts a parent's activation and profile changes keep up to date)."""
    massar_code = record.massar_code
    member = {"massar_code": massar_code, **record.data}
    guardian = _responsible(record.guardians)
    if guardian is None:
        return None
    language = pick_language(guardian.get("language"), None)
    email = guardian.get("email")
    return Notification(
        id=alert_id(massar_code, sk),
        template="absence_unjustified",
        channel=Channel.SMS,
        recipient=guardian["phone"],
        language=language,
        params={
            "child_name": _child_name(member, language.value),
            "date": day,
            "session": session,
            "subject": subject or "-",
        },
        # An undeliverable SMS is tried once by email, when the guardian gave one.
        fallback=Contact(Channel.EMAIL, email) if email else None,
    )


def record(
    principal: Principal,
    school_code: str,
    class_id: str,
    day: Date,
    session: str,
    subject: str | None,
    entries: list[AbsenceEntry],
    origin: Origin | None = None,
) -> list[dict[str, Any]]:
    """Record a session's absences. Idempotent: the same session again rewrites the same
    items (keeping any justification) and never alerts twice."""
    from chalicelib.core.transactions import Transaction
    from chalicelib.notifications import store as outbox
    from chalicelib.school_life.absences import store as absences
    from chalicelib.schools.classes.service import enrolled_members

    _require_staff_of(principal, school_code)
    if not SESSION.match(session):
        raise InvalidFields("session", {"session": "invalid_session"})
    if day > today():  # in Morocco (a morning session is recorded before midnight UTC anyway)
        raise InvalidFields("date", {"date": "future_date"})
    # Only pupils whose record says they are in this class of this school now.
    members = enrolled_members(school_code, class_id)
    if not members:
        raise NotFound("class")
    problems: dict[str, str] = {}
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        if entry.massar_code not in members:
            problems[f"absent.{index}.massar_code"] = "not_in_class"
        elif entry.massar_code in seen:
            problems[f"absent.{index}.massar_code"] = "duplicate_in_request"
        seen.add(entry.massar_code)
    if problems:
        raise InvalidFields("absent", problems)

    sk = absences.absence_sk(school_year_of(day), day.isoformat(), session)
    stored = absences.existing([(e.massar_code, sk) for e in entries]) if entries else {}
    results: list[dict[str, Any]] = []
    for start in range(0, len(entries), PUPILS_PER_TRANSACTION):
        transaction = Transaction()
        for entry in entries[start : start + PUPILS_PER_TRANSACTION]:
            before = stored.get((entry.massar_code, sk))
            data = dict(before or {})
            data.pop("massar_code", None)
            data.pop("sk", None)
            data.update(
                school_code=school_code,
                class_id=class_id,
                date=day.isoformat(),
                session=session,
                subject=subject or "",
                recorded_by=principal.username,
            )
            if data.get("justification_status") != "accepted":
                data["justified"] = stored_flag(entry.justified)
                data["reason"] = entry.reason or ""
            absences.put(transaction, entry.massar_code, sk, data, new=before is None)  # no ""
            _audit_recorded(transaction, principal, origin, entry.massar_code, before, data)
            alerted = False
            if before is None and not read_flag(data["justified"]):
                alert = _alert(members[entry.massar_code], sk, day.isoformat(), session, subject)
                if alert is not None:
                    transaction.external_put(
                        "alert", partial(outbox.add_to_transaction, notification=alert)
                    )
                    alerted = True
            results.append(
                {
                    "id": absence_id(entry.massar_code, sk),
                    "massar_code": entry.massar_code,
                    "justified": read_flag(data["justified"]),
                    "created": before is None,
                    "alerted": alerted,
                }
            )
        absences.commit(transaction)
    return results


def _audit_recorded(
    transaction: Transaction,
    principal: Principal,
    origin: Origin | None,
    massar_code: str,
    before: dict[str, str] | None,
    data: dict[str, str],
) -> None:
    """The recording's audit record (a new absence, or a changed flag or reason), in the
    recording's transaction."""
    entry = absence_recorded_entry(principal.username, origin, massar_code, before, data)
    if entry is not None:
        transaction.external_put("audit", partial(audit.add_to_transaction, entry=entry))


def view(
    principal: Principal,
    massar_code: str,
    school_year: str | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> tuple[list[dict[str, Any]], str | None]:
    """A page of a pupil's absences, newest first: one Query (plus the profile, for staff,
    when the page is empty)."""
    from chalicelib.registration.campaigns.rules import school_year_problem
    from chalicelib.school_life.absences import store as absences

    require_pupil(principal, massar_code)  # the token, or for staff the pupil's record
    if school_year is not None and school_year_problem(school_year):
        raise InvalidFields("school_year", {"school_year": "invalid_school_year"})
    items, next_cursor = absences.of_pupil(massar_code, school_year, limit, cursor)
    return [_public(item) for item in items], next_cursor


def _public(item: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": absence_id(item["massar_code"], item["sk"]),
        "date": item.get("date", ""),
        "session": item.get("session", ""),
        "subject": item.get("subject"),
        "justified": read_flag(item.get("justified")),
        "reason": item.get("reason") or None,
    }
    status = item.get("justification_status")
    photo = item.get("justification_photo_key")
    if status:
        from chalicelib.core.files import download_url

        out["justification"] = {
            "status": status,
            "text": item.get("justification_text", ""),
            "has_photo": bool(photo),
            "photo_url": download_url(photo, PHOTO_URL_SECONDS) if photo else None,
            "sent_at": item.get("justification_sent_at"),
            "decision_reason": item.get("justification_decision_reason") or None,
        }
    return out


def _absence(massar_code: str, sk: str) -> dict[str, str]:
    from chalicelib.school_life.absences import store as absences

    item = absences.get(massar_code, sk)
    if item is None:
        raise NotFound("absence")
    return item


def _parents_only(principal: Principal, massar_code: str) -> None:
    """Only a linked parent justifies: 404 for who may not see the pupil, 403 for the
    others who may (the pupil, staff of the school)."""
    require_pupil(principal, massar_code)
    if principal.role is not Role.PARENT:
        raise NotAllowed("parents only")


def justify(
    principal: Principal, massar_code: str, id_: str, text: str, photo_key: str | None
) -> dict[str, Any]:
    """A linked parent's justification (the pupil's own does not count)."""
    from chalicelib.core.clock import now
    from chalicelib.registration import photos
    from chalicelib.school_life.absences import store as absences

    owner, sk = parse_id(id_)
    if owner != massar_code:
        raise NotFound("absence")
    _parents_only(principal, massar_code)  # before any read
    item = _absence(massar_code, sk)
    if read_flag(item.get("justified")) or item.get("justification_status") == "pending":
        raise Conflict("already justified or awaiting a decision")
    if photo_key is not None:
        if not photo_key.startswith(photo_prefix(massar_code)):
            raise InvalidFields("photo_key", {"photo_key": "photo_not_found"})
        problem = photos.photo_problem(photo_key)
        if problem:
            raise InvalidFields("photo_key", {"photo_key": problem})
    changes = {
        "justification_status": "pending",
        "justification_text": text,
        "justification_by": principal.username,
        "justification_sent_at": now().isoformat(),
        "justification_photo_key": photo_key or "",
        "justification_decision_reason": "",
        "school_code": item["school_code"],  # the school's queue of pending justifications
    }
    expect = {
        "justified": stored_flag(False),
        "justification_status": item.get("justification_status", ""),
    }
    if not absences.update_data(massar_code, sk, changes, expect):
        raise Conflict("changed meanwhile")
    return _public({**item, **changes})


def _decision_notice(
    record: PupilRecord | None, item: dict[str, str], changes: dict[str, str]
) -> Notification | None:
    """The parent who sent the justification is told of the decision (issue 17). Absences
    cannot be switched off (notification preferences)."""
    from chalicelib.school_life import notices

    parent = item.get("justification_by")
    if not parent or record is None:
        return None
    decided_at = changes["justification_decided_at"]
    digest = hashlib.sha256(f"{item['sk']}|{decided_at}".encode()).hexdigest()[:24]
    return notices.to_account(
        parent,
        record.massar_code,
        f"justification-{digest}",
        "justification_decided",
        lambda language: {
            "child_name": notices.child_name(record, language),
            "date": item.get("date", ""),
            "session": item.get("session", ""),
            "decision": changes["justification_status"],
            "note": changes["justification_decision_reason"],
        },
        kind="absences",
    )


def decide(
    principal: Principal,
    id_: str,
    accept: bool,
    reason: str | None,
    origin: Origin | None = None,
) -> dict[str, Any]:
    from chalicelib.core.clock import now
    from chalicelib.school_life.absences import store as absences

    massar_code, sk = parse_id(id_)
    if principal.role is not Role.STAFF:
        raise NotAllowed("staff only")
    pupil = require_pupil(principal, massar_code)  # staff of the pupil's current school, else 404
    item = _absence(massar_code, sk)
    if item.get("justification_status") != "pending":
        raise AlreadyDecided("no justification awaiting a decision")
    changes = {
        "justification_status": "accepted" if accept else "refused",
        "justification_decided_by": principal.username,
        "justification_decided_at": now().isoformat(),
        "justification_decision_reason": reason or "",
    }
    if accept:
        changes["justified"] = stored_flag(True)
    notice = _decision_notice(pupil, item, changes)
    expect = {"justification_status": "pending"}
    entry = decision_entry(principal.username, origin, massar_code, item, changes)
    if not absences.update_with_notice(massar_code, sk, changes, expect, notice, entry):
        raise AlreadyDecided("decided meanwhile")
    return _public({**item, **changes})


def photo_prefix(massar_code: str) -> str:
    return f"justifications/{massar_code}/"


def photo_upload_form(principal: Principal, massar_code: str) -> dict[str, Any]:
    """A presigned POST for a justification photo (JPEG or PNG), as for registration photos."""
    _parents_only(principal, massar_code)
    from chalicelib.registration.photos import presigned_upload

    return presigned_upload(f"{photo_prefix(massar_code)}{secrets.token_hex(16)}")
