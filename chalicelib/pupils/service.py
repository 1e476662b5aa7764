"""The school year around the pupil record: transfers between schools, year-end decisions,
and the parents' online re-registration (seed 002).

A transfer: the receiving school asks; the current school (or an operator whose scope covers
it) releases or refuses with a reason; on release the record moves in one transaction, the
old school loses access at once, the accounts stay as they are and past years stay readable
by the pupil and the parents. The guardian is told of the decision.
"""

from __future__ import annotations

import secrets
from functools import partial
from typing import Any

from chalicelib.accounts.rules import Role
from chalicelib.accounts.sign_in.tokens import Principal
from chalicelib.core.access import require_record, staff_of_school, staff_or_operator_of_school
from chalicelib.core.errors import (
    AlreadyDecided,
    Conflict,
    InvalidFields,
    NotAllowed,
    NotFound,
    TransferAlreadyOpen,
)
from chalicelib.notifications.rules import Channel, Contact, Notification, pick_language
from chalicelib.pupils.rules import (
    EnrolmentStatus,
    EnrolmentVerdict,
    PupilRecord,
    TransferStatus,
    YearEndDecision,
    child_name,
    next_level,
    verdict,
)

PUBLIC_TRANSFER = (
    "id",
    "massar_code",
    "from_school",
    "to_school",
    "class_id",
    "status",
    "note",
    "reason",
    "requested_at",
    "requested_by",
    "decided_at",
)


def _school(code: str) -> Any:
    from chalicelib.schools.store import get_school

    school = get_school(code)
    if school is None:
        raise NotFound("school")
    return school


def _staff_or_ops_of(principal: Principal, school_code: str) -> None:
    if not staff_or_operator_of_school(principal, school_code):
        raise NotFound("school")


def _public(transfer: dict[str, str]) -> dict[str, Any]:
    return {k: transfer.get(k) or None for k in PUBLIC_TRANSFER}


def _now() -> str:
    from chalicelib.core.clock import now

    return now().isoformat(timespec="milliseconds")


# --- transfers ----------------------------------------------------------------------------


def request_transfer(
    principal: Principal, to_school: str, massar_code: str, class_id: str | None, note: str | None
) -> dict[str, Any]:
    """The receiving school asks for a pupil enrolled elsewhere. It learns nothing about the
    pupil but the code of the current school, which decides."""
    from chalicelib.core.transactions import Transaction
    from chalicelib.pupils import store as pupils
    from chalicelib.pupils import transfers_store as transfers
    from chalicelib.schools.classes import store as classes

    _staff_or_ops_of(principal, to_school)
    if class_id and classes.get_class(to_school, class_id) is None:
        raise InvalidFields("class_id", {"class_id": "unknown_class"})
    record = pupils.get_record(massar_code)
    if record is None:
        raise NotFound("pupil")
    found = verdict(record, to_school)
    if found is EnrolmentVerdict.OWN:
        raise InvalidFields("massar_code", {"massar_code": "already_in_school"})
    if found is not EnrolmentVerdict.ELSEWHERE:
        # Free (left the last school): the school enrols the pupil directly.
        raise InvalidFields("massar_code", {"massar_code": "not_enrolled_elsewhere"})
    transfer = {
        "id": secrets.token_hex(8),
        "massar_code": massar_code,
        "from_school": record.school_code or "",
        "to_school": to_school,
        "class_id": class_id or "",
        "status": TransferStatus.REQUESTED.value,
        "note": note or "",
        "requested_by": principal.username,
        "requested_at": _now(),
    }
    transaction = Transaction()
    transfers.put_transfer(transaction, transfer, opening=True)
    transaction.commit(
        {"open_transfer": TransferAlreadyOpen("a transfer of this pupil is already open")}
    )
    return _public(transfer)


def list_transfers(principal: Principal, school_code: str, incoming: bool) -> list[dict[str, Any]]:
    """A school's transfers, newest first. Outgoing ones name the school's own pupils (one
    BatchGetItem of their records); incoming ones name nobody until the pupil is released."""
    from chalicelib.pupils import store as pupils
    from chalicelib.pupils import transfers_store as transfers

    _staff_or_ops_of(principal, school_code)
    found = [_public(t) for t in transfers.transfers_of_school(school_code, incoming, 200)]
    codes = [
        t["massar_code"]
        for t in found
        if not incoming or t["status"] == TransferStatus.RELEASED.value
    ]
    records = pupils.get_records(codes)
    for transfer in found:
        record = records.get(transfer["massar_code"])
        if record is not None and record.enrolled_at(school_code):
            transfer.update(_names(record))
    return found


def _names(record: PupilRecord) -> dict[str, str]:
    return {
        k: record.data[k]
        for k in ("first_name_ar", "last_name_ar", "first_name_lat", "last_name_lat")
        if record.data.get(k)
    }


def _moved(record: PupilRecord, transfer: dict[str, str], level: str | None) -> PupilRecord:
    data = dict(record.data)
    data.update(
        school_code=transfer["to_school"],
        class_id=transfer.get("class_id", ""),
        enrolment_status=(
            EnrolmentStatus.ENROLLED if transfer.get("class_id") else EnrolmentStatus.AWAITING_CLASS
        ).value,
        previous_school=record.school_code or "",
        enrolled_at=_now(),
    )
    if level:
        data["level"] = level
    if not data["class_id"]:
        data.pop("class_id")
    return PupilRecord(record.massar_code, data, dict(record.guardians))


def _guardian_notice(
    record: PupilRecord, template: str, id_: str, params: dict[str, str]
) -> Notification | None:
    """A notice to the responsible guardian: by SMS when there is a phone, else by email."""
    found = record.responsible()
    people = [found[1]] if found else []
    people += [p for p in record.guardians.values() if p not in people]
    for person in people:
        language = pick_language(person.get("language"), None)
        name = child_name(record, language.value)
        values = {"child_name": name, **params}
        # A school's name in the message's language.
        arabic_name = values.pop("school_name_ar", "")
        if language.value == "ar" and arabic_name:
            values["school_name"] = arabic_name
        if person.get("phone"):
            email = person.get("email")
            return Notification(
                id=id_,
                template=template,
                channel=Channel.SMS,
                recipient=person["phone"],
                language=language,
                params=values,
                fallback=Contact(Channel.EMAIL, email) if email else None,
            )
        if person.get("email"):
            return Notification(id_, template, Channel.EMAIL, person["email"], language, values)
    return None


def decide_transfer(
    principal: Principal, transfer_id: str, release: bool, reason: str | None
) -> dict[str, Any]:
    """The current school (or an operator of its scope) releases or refuses."""
    from chalicelib.core.transactions import Transaction
    from chalicelib.notifications import store as outbox
    from chalicelib.pupils import store as pupils
    from chalicelib.pupils import transfers_store as transfers
    from chalicelib.schools.classes import store as classes

    transfer = transfers.get_transfer(transfer_id)
    if transfer is None:
        raise NotFound("transfer")
    from_school = transfer["from_school"]
    if not staff_or_operator_of_school(principal, from_school):
        if staff_of_school(principal, transfer["to_school"]):
            raise NotAllowed("the pupil's current school decides")
        raise NotFound("transfer")
    if transfer["status"] != TransferStatus.REQUESTED.value:
        raise AlreadyDecided("transfer already decided")
    if not release and not (reason or "").strip():
        raise InvalidFields("reason", {"reason": "reason_required"})
    record = pupils.get_record(transfer["massar_code"])
    if record is None or record.school_code != from_school:
        raise Conflict("the pupil changed school meanwhile")
    status = TransferStatus.RELEASED if release else TransferStatus.REFUSED
    decided = {
        **transfer,
        "status": status.value,
        "reason": (reason or "").strip(),
        "decided_by": principal.username,
        "decided_at": _now(),
    }
    transaction = Transaction()
    transfers.put_transfer(transaction, decided, opening=False)
    if release:
        level = None
        if transfer.get("class_id"):
            level = (classes.get_class(transfer["to_school"], transfer["class_id"]) or {}).get(
                "level"
            )
        moved = _moved(record, transfer, level)
        pupils.put_record(transaction, moved, from_school)
        names = {k: v for k, v in record.data.items() if k.startswith(("first_name", "last_name"))}
        if record.class_id:
            classes.remove_member(transaction, from_school, record.class_id, record.massar_code)
        if record.status is EnrolmentStatus.AWAITING_CLASS:
            classes.remove_awaiting(transaction, from_school, record.massar_code)
        if transfer.get("class_id"):
            classes.add_member(
                transaction, transfer["to_school"], transfer["class_id"], record.massar_code, names
            )
        else:
            classes.add_awaiting(transaction, transfer["to_school"], record.massar_code, names)
    school = _school(transfer["to_school"])
    notice = _guardian_notice(
        record,
        "transfer_decided",
        f"transfer-{transfer_id}",
        {
            "decision": status.value,
            "school_name": school.name_fr,
            "school_name_ar": school.name_ar,
            "note": decided["reason"],
        },
    )
    if notice is not None:
        transaction.external_put("notice", partial(outbox.add_to_transaction, notification=notice))
    transaction.commit(any_refusal=Conflict("changed meanwhile: send again"))
    return _public(decided)


def cancel_transfer(principal: Principal, transfer_id: str) -> dict[str, Any]:
    """The receiving school withdraws its request."""
    from chalicelib.core.transactions import Transaction
    from chalicelib.pupils import transfers_store as transfers

    transfer = transfers.get_transfer(transfer_id)
    if transfer is None:
        raise NotFound("transfer")
    to_school = transfer["to_school"]
    if not staff_or_operator_of_school(principal, to_school):
        raise NotFound("transfer")
    if transfer["status"] != TransferStatus.REQUESTED.value:
        raise AlreadyDecided("transfer already decided")
    cancelled = {**transfer, "status": TransferStatus.CANCELLED.value, "decided_at": _now()}
    transaction = Transaction()
    transfers.put_transfer(transaction, cancelled, opening=False)
    transaction.commit()
    return _public(cancelled)


# --- the turn of the school year ----------------------------------------------------------


def record_decisions(
    principal: Principal,
    school_code: str,
    class_id: str,
    school_year: str,
    decisions: list[dict[str, str]],
) -> list[dict[str, Any]]:
    """Year-end decisions for a class's pupils: promoted (next level), repeats, leaves (the
    pupil is then free for the next school). The guardian is told of each decision."""
    from chalicelib.core.transactions import Transaction
    from chalicelib.notifications import store as outbox
    from chalicelib.pupils import store as pupils
    from chalicelib.pupils import transfers_store as transfers
    from chalicelib.schools.classes import store as classes
    from chalicelib.schools.classes.service import enrolled_members

    if not staff_of_school(principal, school_code):
        raise NotFound("school")
    klass = classes.get_class(school_code, class_id)
    if klass is None:
        raise NotFound("class")
    members = enrolled_members(school_code, class_id)
    problems: dict[str, str] = {}
    seen: set[str] = set()
    for n, entry in enumerate(decisions):
        if entry["massar_code"] not in members:
            problems[f"decisions.{n}.massar_code"] = "not_in_class"
        elif entry["massar_code"] in seen:
            problems[f"decisions.{n}.massar_code"] = "duplicate_in_request"
        seen.add(entry["massar_code"])
    if problems:
        raise InvalidFields("decisions", problems)
    out = []
    for start in range(0, len(decisions), 25):
        transaction = Transaction()
        for entry in decisions[start : start + 25]:
            record = members[entry["massar_code"]]
            decision = YearEndDecision(entry["decision"])
            level = record.data.get("level") or klass.get("level", "")
            to_level = entry.get("next_level") or next_level(level, decision) or ""
            data = {
                "massar_code": record.massar_code,
                "school_code": school_code,
                "class_id": class_id,
                "school_year": school_year,
                "level": level,
                "decision": decision.value,
                "next_level": to_level,
                "next_track": entry.get("next_track", ""),
                "note": entry.get("note", ""),
                "decided_by": principal.username,
                "decided_at": _now(),
            }
            transfers.put_decision(transaction, record.massar_code, school_year, data)
            after = dict(record.data)
            after.update(decision=decision.value, next_level=to_level)
            if entry.get("next_track"):
                after["next_track"] = entry["next_track"]
            if decision is YearEndDecision.LEAVES or (
                decision is YearEndDecision.PROMOTED and not to_level
            ):
                after["enrolment_status"] = EnrolmentStatus.LEFT.value
            # put_record writes the whole item: the guardian block goes with it as it is.
            moved = PupilRecord(record.massar_code, after, dict(record.guardians))
            pupils.put_record(transaction, moved, school_code)
            notice = _guardian_notice(
                record,
                "year_end_decision",
                f"decision-{record.massar_code}-{school_year}",
                {"decision": decision.value, "school_year": school_year, "next_level": to_level},
            )
            if notice is not None:
                transaction.external_put(
                    "notice", partial(outbox.add_to_transaction, notification=notice)
                )
            out.append({k: v for k, v in data.items() if v})
        transaction.commit()
    return out


def decisions_of_class(
    principal: Principal, school_code: str, class_id: str, school_year: str
) -> list[dict[str, str]]:
    """The year-end decisions already made for a class's pupils (one BatchGetItem)."""
    from chalicelib.pupils import transfers_store as transfers
    from chalicelib.schools.classes.service import enrolled_members

    _staff_or_ops_of(principal, school_code)
    members = enrolled_members(school_code, class_id)
    decided = transfers.decisions_of_pupils(list(members), school_year)
    return [{**_names(members[d["massar_code"]]), **d} for d in decided]


def decisions_of(principal: Principal, massar_code: str) -> list[dict[str, str]]:
    from chalicelib.pupils import transfers_store as transfers

    require_record(principal, massar_code)
    return transfers.decisions_of(massar_code)


# --- re-registration ----------------------------------------------------------------------


def _school_year_today() -> str:
    from chalicelib.core.clock import today
    from chalicelib.school_life.absences.service import school_year_of

    return school_year_of(today())


def _following(year: str) -> str:
    start = int(year[:4])
    return f"{start + 1}-{start + 2}"


def reregister(
    principal: Principal, massar_code: str, school_year: str, note: str | None
) -> dict[str, Any]:
    """A linked parent re-registers a continuing pupil for the next school year online,
    confirming the guardian data as it stands (corrections go through the guardian route
    first); the school lists who has confirmed."""
    from chalicelib.core.transactions import Transaction
    from chalicelib.pupils import transfers_store as transfers

    record = require_record(principal, massar_code)
    if principal.role is not Role.PARENT:
        raise NotAllowed("a linked parent re-registers the pupil")
    if record.school_code is None or record.status is EnrolmentStatus.LEFT:
        raise NotAllowed("the pupil has left the school: the next school enrols the pupil")
    current = record.data.get("school_year") or _school_year_today()
    if school_year != _following(current):
        raise InvalidFields("school_year", {"school_year": "invalid_school_year"})
    data = {
        "massar_code": massar_code,
        "school_code": record.school_code,
        "school_year": school_year,
        "from_class": record.class_id or "",
        "level": record.data.get("level", ""),
        "decision": record.data.get("decision", ""),
        "next_level": record.data.get("next_level", ""),
        "confirmed_by": principal.username,
        "confirmed_at": _now(),
        "note": (note or "").strip(),
    }
    transaction = Transaction()
    transfers.put_reregistration(transaction, massar_code, record.school_code, data)
    transaction.commit()
    return {k: v for k, v in data.items() if v}


def reregistration_of(principal: Principal, massar_code: str, school_year: str) -> dict[str, Any]:
    from chalicelib.pupils import transfers_store as transfers

    require_record(principal, massar_code)
    found = transfers.reregistration_of(massar_code, school_year)
    return {"school_year": school_year, "confirmed": found is not None, **(found or {})}


def reregistrations_of_school(
    principal: Principal, school_code: str, school_year: str
) -> list[dict[str, Any]]:
    from chalicelib.pupils import store as pupils
    from chalicelib.pupils import transfers_store as transfers

    _staff_or_ops_of(principal, school_code)
    found = transfers.reregistrations_of_school(school_code, school_year)
    records = pupils.get_records(r["massar_code"] for r in found)
    return [
        {**(_names(records[r["massar_code"]]) if r["massar_code"] in records else {}), **r}
        for r in found
    ]
