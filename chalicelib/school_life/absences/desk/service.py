"""The staff's side of absences: cancelling a wrongly recorded absence (the guardian, who
got the alert, is told it is cancelled; audited) and the school's pending justifications in
one list.

Staff of the school only (core/access): an absence of a pupil who is not (or no longer)
enrolled at the caller's school, or recorded by another school, is 404.
"""

from __future__ import annotations

import hashlib
from typing import Any

from chalicelib.accounts.audit.rules import Origin
from chalicelib.accounts.rules import Role
from chalicelib.accounts.sign_in.tokens import Principal
from chalicelib.core.access import require_pupil, staff_of_school
from chalicelib.core.errors import InvalidFields, NotAllowed, NotFound
from chalicelib.notifications.rules import Channel, Contact, Notification, pick_language
from chalicelib.pupils.rules import PupilRecord
from chalicelib.school_life.absences import service as absences
from chalicelib.school_life.absences.desk import store
from chalicelib.school_life.absences.desk.rules import cancelled_entry


def _notice(record: PupilRecord, sk: str, item: dict[str, str]) -> Notification | None:
    """The short notice to the guardian the alert went to (the responsible one with a
    phone): only when an alert was queued for this absence."""
    if not store.alerted(absences.alert_id(record.massar_code, sk)):
        return None
    guardian = absences._responsible(record.guardians)
    if guardian is None:
        return None
    language = pick_language(guardian.get("language"), None)
    email = guardian.get("email")
    member = {"massar_code": record.massar_code, **record.data}
    digest = hashlib.sha256(f"{record.massar_code}|{sk}".encode()).hexdigest()[:32]
    return Notification(
        id=f"abs-cancel-{digest}",
        template="absence_cancelled",
        channel=Channel.SMS,
        recipient=guardian["phone"],
        language=language,
        params={
            "child_name": absences._child_name(member, language.value),
            "date": item.get("date", ""),
            "session": item.get("session", ""),
        },
        fallback=Contact(Channel.EMAIL, email) if email else None,
    )


def cancel(principal: Principal, origin: Origin, id_: str) -> dict[str, Any]:
    """Remove a wrongly recorded absence. A second call answers 404 (it is gone)."""
    massar_code, sk = absences.parse_id(id_)
    if principal.role is not Role.STAFF:
        raise NotAllowed("staff only")
    record = require_pupil(principal, massar_code)  # staff of the pupil's school, else 404
    school_code = principal.scope.school_code or ""
    item = absences._absence(massar_code, sk)
    if record is None or item.get("school_code") != school_code:
        raise NotFound("absence")
    notice = _notice(record, sk, item)
    entry = cancelled_entry(principal.username, origin, massar_code, item, notice is not None)
    store.cancel(massar_code, sk, school_code, entry, notice)
    return {
        "id": id_,
        "massar_code": massar_code,
        "date": item.get("date", ""),
        "session": item.get("session", ""),
        "subject": item.get("subject") or None,
        "guardian_notified": notice is not None,
    }


def pending(
    principal: Principal, school_code: str, status: str | None, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """A page of the school's justifications awaiting a decision, oldest sent first (one
    Query; the page's pupil records in one BatchGetItem, for their names and to keep only
    pupils still enrolled here)."""
    from chalicelib.pupils.names import names_in
    from chalicelib.pupils.store import get_records

    if not staff_of_school(principal, school_code):
        raise NotFound("school")
    if (status or "pending") != "pending":
        raise InvalidFields("status", {"status": "invalid_status"})
    items, next_cursor = store.pending_of_school(school_code, limit, cursor)
    records = get_records([i["massar_code"] for i in items]) if items else {}
    out = []
    for item in items:
        record = records.get(item["massar_code"])
        if record is None or not record.enrolled_at(school_code):
            continue  # gone to another school: no longer this school's to decide
        out.append(
            {
                **absences._public(item),
                "massar_code": item["massar_code"],
                "class_id": item.get("class_id") or record.class_id,
                "names": names_in(record),
            }
        )
    return out, next_cursor
