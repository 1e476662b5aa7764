"""Classes of a school and their pupils, kept by its staff — and enrolment: listing a pupil
in a class creates the pupil record (a pupil new to the system) or updates it (a pupil of
this school, or one who left the last school); a pupil enrolled elsewhere is refused, and
nothing about that pupil is written, read back or printed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from chalicelib.accounts.sign_in.tokens import Principal
from chalicelib.core.access import staff_or_operator_of_school
from chalicelib.core.errors import Conflict, EnrolledElsewhere, InvalidFields, NotFound
from chalicelib.core.flags import stored_flag
from chalicelib.core.identifiers import is_cin, is_massar_code, normalise_cin, normalise_phone
from chalicelib.pupils.rules import (
    GUARDIAN_ROLES,
    EnrolmentStatus,
    EnrolmentVerdict,
    PupilRecord,
    verdict,
)
from chalicelib.schools.classes import store as classes

IDENTITY_FIELDS = (
    "first_name_ar",
    "last_name_ar",
    "first_name_lat",
    "last_name_lat",
    "birth_date",
    "gender",
)
GUARDIAN_FIELDS = {
    "guardian_cin": "cin",
    "guardian_first_name_ar": "first_name_ar",
    "guardian_last_name_ar": "last_name_ar",
    "guardian_first_name_lat": "first_name_lat",
    "guardian_last_name_lat": "last_name_lat",
    "guardian_phone": "phone",
}
MEMBER_FIELDS = ("first_name_ar", "last_name_ar", "first_name_lat", "last_name_lat")
# Up to four items a pupil (record, membership, old membership, awaiting marker): 25 pupils
# keep a transaction within DynamoDB's 100 items.
PUPILS_PER_TRANSACTION = 25
ROSTER_COLUMNS = ("massar_code", "class_id")
ROSTER_OPTIONAL = (*IDENTITY_FIELDS, *GUARDIAN_FIELDS, "guardian_role")


def _staff_of(principal: Principal, school_code: str) -> None:
    """The school's staff, or an operator over it (core/access); anyone else gets 404."""
    if not staff_or_operator_of_school(principal, school_code):
        raise NotFound("school")


def save_class(
    principal: Principal, school_code: str, class_id: str, data: dict[str, str]
) -> dict[str, str]:
    _staff_of(principal, school_code)
    classes.save_class(school_code, class_id, {k: v for k, v in data.items() if v})
    return classes.get_class(school_code, class_id) or {}


def list_classes(principal: Principal, school_code: str) -> list[dict[str, str]]:
    _staff_of(principal, school_code)
    return classes.classes_of_school(school_code)


def enrolled_members(school_code: str, class_id: str) -> dict[str, PupilRecord]:
    """The class's pupils whose record says they are in this class of this school now (a
    membership left behind by a transfer or a change of class does not count)."""
    from chalicelib.pupils import store as pupils

    codes = [m["massar_code"] for m in classes.members_of_class(school_code, class_id)]
    return {
        code: record
        for code, record in pupils.get_records(codes).items()
        if record.enrolled_at(school_code) and record.class_id == class_id
    }


def member_view(record: PupilRecord) -> dict[str, str]:
    data = record.data
    out = {"massar_code": record.massar_code}
    out.update({k: data[k] for k in (*IDENTITY_FIELDS, "class_id", "school_year") if data.get(k)})
    found = record.responsible()
    if found:
        role, person = found
        out["guardian_role"] = role
        for row_name, name in GUARDIAN_FIELDS.items():
            if person.get(name) and name != "phone":
                out[row_name] = person[name]
    return out


def pupils_of_class(principal: Principal, school_code: str, class_id: str) -> list[dict[str, str]]:
    _staff_of(principal, school_code)
    if classes.get_class(school_code, class_id) is None:
        raise NotFound("class")
    members = enrolled_members(school_code, class_id)
    return [member_view(members[code]) for code in sorted(members)]


@dataclass
class RosterRow:
    """One pupil to enrol: where it came from (a JSON path or a sheet's row number)."""

    path: str
    class_id: str
    values: dict[str, str]
    row: int = 0
    errors: dict[str, str] = field(default_factory=dict)
    status: str = "error"


def _row_problems(values: dict[str, str]) -> dict[str, str]:
    from chalicelib.core.clock import today

    problems: dict[str, str] = {}
    if not is_massar_code(values.get("massar_code", "")):
        problems["massar_code"] = "not_a_massar_code"
    if values.get("gender") and values["gender"] not in ("F", "M"):
        problems["gender"] = "invalid_gender"
    if values.get("birth_date"):
        try:
            if date.fromisoformat(values["birth_date"]) > today():
                problems["birth_date"] = "in_future"
        except ValueError:
            problems["birth_date"] = "date_parsing"
    if values.get("guardian_cin") and not is_cin(normalise_cin(values["guardian_cin"])):
        problems["guardian_cin"] = "invalid_cin"
    if values.get("guardian_phone") and not normalise_phone(values["guardian_phone"]):
        problems["guardian_phone"] = "invalid_phone"
    if values.get("guardian_role") and values["guardian_role"] not in GUARDIAN_ROLES:
        problems["guardian_role"] = "invalid_guardian_role"
    return problems


def _enrolled(
    record: PupilRecord | None,
    values: dict[str, str],
    school_code: str,
    class_id: str,
    klass: dict[str, str],
    stamp: str,
) -> PupilRecord:
    """The record after enrolling the row's pupil in the class: identity fields the row
    gives replace the record's, the row's guardian becomes the responsible one."""
    massar = values["massar_code"]
    data = dict(record.data) if record else {}
    data.update({k: values[k] for k in IDENTITY_FIELDS if values.get(k)})
    data.update(
        school_code=school_code,
        class_id=class_id,
        level=klass.get("level", data.get("level", "")),
        enrolment_status=EnrolmentStatus.ENROLLED.value,
    )
    if klass.get("school_year"):
        data["school_year"] = klass["school_year"]
    if klass.get("track"):
        data["track"] = klass["track"]
    if record is None or record.school_code != school_code:
        data["enrolled_at"] = stamp
    for stale in ("decision", "next_level", "next_track"):
        data.pop(stale, None)
    guardians = {role: dict(p) for role, p in (record.guardians if record else {}).items()}
    given = {name: values[row] for row, name in GUARDIAN_FIELDS.items() if values.get(row)}
    if given:
        if "cin" in given:
            given["cin"] = normalise_cin(given["cin"])
        if "phone" in given:
            given["phone"] = normalise_phone(given["phone"]) or given["phone"]
        current = record.responsible() if record else None
        role = values.get("guardian_role") or (current[0] if current else "guardian")
        for person in guardians.values():
            person.pop("responsible", None)
        guardians[role] = {**guardians.get(role, {}), **given, "responsible": stored_flag(True)}
    return PupilRecord(massar, data, guardians)


def enrol(principal: Principal, school_code: str, rows: list[RosterRow]) -> list[RosterRow]:
    """Enrol the rows' pupils in their classes: every row checked first (format, class,
    duplicates, enrolment elsewhere), then written in transactions of 25 pupils."""
    from chalicelib.core.clock import now
    from chalicelib.pupils import store as pupils

    _staff_of(principal, school_code)
    known = {c["class_id"]: c for c in classes.classes_of_school(school_code)}
    seen: set[str] = set()
    for row in rows:
        row.errors = _row_problems(row.values)
        if row.class_id not in known:
            row.errors["class_id"] = "unknown_class"
        massar = row.values.get("massar_code", "")
        if massar in seen:
            row.errors["massar_code"] = "duplicate_in_request"
        seen.add(massar)
    records = pupils.get_records(r.values["massar_code"] for r in rows if not r.errors)
    elsewhere = False
    for row in rows:
        if row.errors:
            continue
        found = records.get(row.values["massar_code"])
        if verdict(found, school_code) is EnrolmentVerdict.ELSEWHERE:
            row.errors["massar_code"] = "enrolled_elsewhere"
            elsewhere = True
    problems = {f"{r.path}.{name}": code for r in rows for name, code in r.errors.items()}
    if problems:
        if elsewhere:
            raise EnrolledElsewhere("ask for a transfer", problems)
        raise InvalidFields("pupils", problems)
    stamp = now().isoformat(timespec="seconds")
    for start in range(0, len(rows), PUPILS_PER_TRANSACTION):
        _write(school_code, rows[start : start + PUPILS_PER_TRANSACTION], records, known, stamp)
    return rows


def _write(
    school_code: str,
    rows: list[RosterRow],
    records: dict[str, PupilRecord],
    known: dict[str, dict[str, str]],
    stamp: str,
) -> None:
    from chalicelib.core.transactions import Transaction
    from chalicelib.pupils import store as pupils

    transaction = Transaction()
    for row in rows:
        massar = row.values["massar_code"]
        before = records.get(massar)
        after = _enrolled(before, row.values, school_code, row.class_id, known[row.class_id], stamp)
        if before is not None and before.data == after.data and before.guardians == after.guardians:
            row.status = "unchanged"
            continue
        row.status = "created" if before is None else "updated"
        expected = None if before is None else before.school_code or ""
        pupils.put_record(transaction, after, expected)
        names = {k: after.data[k] for k in MEMBER_FIELDS if after.data.get(k)}
        classes.add_member(transaction, school_code, row.class_id, massar, names)
        moved = before is not None and (before.school_code, before.class_id) != (
            school_code,
            row.class_id,
        )
        if before is not None and moved and before.school_code and before.class_id:
            classes.remove_member(transaction, before.school_code, before.class_id, massar)
        if before is not None and before.status is EnrolmentStatus.AWAITING_CLASS:
            classes.remove_awaiting(transaction, before.school_code or school_code, massar)
    if transaction.size() == 0:
        return
    transaction.commit(any_refusal=Conflict("a pupil changed school meanwhile: send again"))


def put_pupils(
    principal: Principal, school_code: str, class_id: str, pupils: Sequence[dict[str, Any]]
) -> list[dict[str, str]]:
    """Add (or update) pupils of the class; every row is checked before anything is written."""
    _staff_of(principal, school_code)
    if classes.get_class(school_code, class_id) is None:
        raise NotFound("class")
    rows = [
        RosterRow(f"pupils.{n}", class_id, {k: str(v) for k, v in pupil.items() if v})
        for n, pupil in enumerate(pupils)
    ]
    enrol(principal, school_code, rows)
    return pupils_of_class(principal, school_code, class_id)


def import_roster(
    principal: Principal, school_code: str, fmt: str, content_base64: str
) -> tuple[list[RosterRow], bool]:
    """The class lists as exported from Massar (CSV or XLSX, one pupil a row, with its
    class): all rows checked before anything is written; re-importing changes nothing twice.
    Returns the per-row report and whether it was written."""
    from chalicelib.school_life.marks.service import read_table

    _staff_of(principal, school_code)
    table = read_table(fmt, content_base64, ROSTER_COLUMNS, ROSTER_OPTIONAL)
    rows = [
        RosterRow(
            f"rows.{n}",
            values.get("class_id", ""),
            {k: v.strip() for k, v in values.items() if v and v.strip() and k != "class_id"},
            row=n,
        )
        for n, values in table
    ]
    try:
        enrol(principal, school_code, rows)
    except (InvalidFields, EnrolledElsewhere):
        return rows, False
    return rows, True


def awaiting_class(principal: Principal, school_code: str) -> list[dict[str, str]]:
    """Pupils of the school with no class yet (approved pre-registrations, released
    transfers), for the director to place."""
    from chalicelib.pupils import store as pupils

    _staff_of(principal, school_code)
    codes = [a["massar_code"] for a in classes.awaiting_of_school(school_code)]
    records = pupils.get_records(codes)
    return [
        member_view(record)
        for record in records.values()
        if record.enrolled_at(school_code) and record.status is EnrolmentStatus.AWAITING_CLASS
    ]
