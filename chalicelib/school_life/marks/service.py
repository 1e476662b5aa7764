"""Subjects, assessments, marks, grades and the exam calendar.

Writes are for staff of the school (subjects: operators too). Reads follow the pupil access
rule (services/pupil_access.py): the pupil, a linked parent, staff of the pupil's school —
a pupil who is not yours is 404. DynamoDB calls: grades, results and exams are one Query
each (plus one GetItem of the profile for staff when the pupil has no items yet).
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from chalicelib.accounts.audit.rules import AuditEntry, Origin, SecurityEvent
from chalicelib.accounts.sign_in.tokens import Principal
from chalicelib.core.access import operator_covers_school_code, require_pupil, staff_of_school
from chalicelib.core.clock import today
from chalicelib.core.errors import InvalidFields, NotFound
from chalicelib.registration.campaigns.rules import school_year_problem
from chalicelib.school_life.marks import store
from chalicelib.school_life.marks.rules import (
    SemesterResult,
    parse_mark,
    semester_average,
    subject_average,
    year_average,
)
from chalicelib.schools.classes import store as classes
from chalicelib.schools.classes.service import enrolled_members

MAX_ROWS = 500
ABSENT = "absent"


def _staff_of(principal: Principal, school_code: str, ops_too: bool = False) -> None:
    """Staff of another school (or anyone else) gets 404: the school's data is not theirs.
    `ops_too`: an operator over the school (core/access) too."""
    if staff_of_school(principal, school_code):
        return
    if ops_too and operator_covers_school_code(principal, school_code):
        return
    raise NotFound("school")


# --- Subjects ----------------------------------------------------------------------------


def replace_subjects(
    principal: Principal, school_code: str, subjects: Sequence[dict[str, Any]]
) -> list[dict[str, str]]:
    _staff_of(principal, school_code, ops_too=True)
    seen: dict[tuple[str, str, str], int] = {}
    problems: dict[str, str] = {}
    rows: list[dict[str, str]] = []
    for index, subject in enumerate(subjects):
        key = (subject["level"], subject.get("track") or "", subject["subject"])
        if key in seen:
            problems[f"subjects.{index}.subject"] = "duplicate_in_file"
        seen[key] = index
        rows.append(
            {
                "level": subject["level"],
                "track": subject.get("track") or "",
                "subject": subject["subject"],
                "name_ar": subject["name_ar"],
                "name_fr": subject["name_fr"],
                "coefficient": _decimal_text(Decimal(str(subject["coefficient"]))),
            }
        )
    if problems:
        raise InvalidFields("subjects", problems)
    store.replace_subjects(school_code, rows)
    return store.subjects_of_school(school_code)


def list_subjects(principal: Principal, school_code: str) -> list[dict[str, str]]:
    _staff_of(principal, school_code, ops_too=True)
    return store.subjects_of_school(school_code)


def _decimal_text(value: Decimal) -> str:
    return format(value.normalize(), "f")


# --- Assessments -------------------------------------------------------------------------


def create_assessment(
    principal: Principal, school_code: str, class_id: str, request: dict[str, Any]
) -> dict[str, str]:
    _staff_of(principal, school_code)
    problem = school_year_problem(request["school_year"])
    if problem:
        raise InvalidFields("school_year", {"school_year": problem})
    first_year = request["school_year"][:4]
    if not f"{first_year}-09-01" <= request["date"] <= f"{int(first_year) + 1}-08-31":
        raise InvalidFields("date", {"date": "outside_school_year"})
    klass = classes.get_class(school_code, class_id)
    if klass is None:
        raise NotFound("class")
    subject = store.get_subject(
        school_code, klass.get("level", ""), klass.get("track") or None, request["subject"]
    )
    if subject is None:
        raise InvalidFields("subject", {"subject": "unknown_subject"})
    assessment_id = secrets.token_hex(8)
    data = {
        "id": assessment_id,
        "school_code": school_code,
        "class_id": class_id,
        "subject": request["subject"],
        "kind": request["kind"],
        "date": request["date"],
        "semester": str(request["semester"]),
        "school_year": request["school_year"],
        "coefficient": subject["coefficient"],
    }
    members = list(enrolled_members(school_code, class_id))
    store.add_assessment(assessment_id, data, members, school_code)
    return data


def _assessment_for_staff(principal: Principal, assessment_id: str) -> dict[str, str]:
    assessment = store.get_assessment(assessment_id)
    if assessment is None:
        raise NotFound("assessment")
    _staff_of(principal, assessment["school_code"])
    return assessment


# --- Marks -------------------------------------------------------------------------------


@dataclass
class RowOutcome:
    row: int
    massar_code: str | None
    mark: str | None
    status: str = "error"
    errors: dict[str, str] = field(default_factory=dict)


def _mark_text(raw: str) -> str:
    value = parse_mark(raw)
    return ABSENT if value is None else f"{value:.2f}"


def _check_rows(rows: Sequence[tuple[int, str, str]], members: set[str]) -> list[RowOutcome]:
    outcomes: list[RowOutcome] = []
    seen: set[str] = set()
    for row, massar_code, raw in rows:
        outcome = RowOutcome(row, massar_code or None, None)
        if not massar_code:
            outcome.errors["massar_code"] = "missing"
        elif massar_code not in members:
            outcome.errors["massar_code"] = "not_member_of_class"
        elif massar_code in seen:
            outcome.errors["massar_code"] = "duplicate_in_file"
        seen.add(massar_code)
        try:
            outcome.mark = _mark_text(raw)
        except (ValueError, ArithmeticError):
            outcome.errors["mark"] = "invalid_mark"
        outcomes.append(outcome)
    return outcomes


def _write(
    principal: Principal, origin: Origin, assessment: dict[str, str], outcomes: list[RowOutcome]
) -> None:
    """Every row valid: compare with what is stored, write the changes and audit the edits."""
    semester = int(assessment["semester"])
    sk = store.mark_sk(assessment["school_year"], semester, assessment["subject"], assessment["id"])
    before = store.existing_marks([o.massar_code for o in outcomes if o.massar_code], sk)
    writes: list[store.MarkWrite] = []
    entries: list[AuditEntry] = []
    for outcome in outcomes:
        code = outcome.massar_code or ""
        old = before.get(code)
        if old == outcome.mark:
            outcome.status = "unchanged"
            continue
        outcome.status = "created" if old is None else "updated"
        data = {
            "assessment_id": assessment["id"],
            "subject": assessment["subject"],
            "coefficient": assessment["coefficient"],
            "kind": assessment["kind"],
            "date": assessment["date"],
            "mark": outcome.mark or ABSENT,
            "school_code": assessment["school_code"],
            "class_id": assessment["class_id"],
            "school_year": assessment["school_year"],
            "semester": assessment["semester"],
        }
        writes.append(store.MarkWrite(code, sk, data))
        if old is not None:  # an already published mark is edited: who, when, before, after
            entries.append(
                AuditEntry(
                    subject=f"PUPIL#{code}",
                    event=SecurityEvent.MARK_CHANGED,
                    actor=principal.username,
                    origin=origin,
                    detail={
                        "assessment_id": assessment["id"],
                        "subject": assessment["subject"],
                        "before": old,
                        "after": outcome.mark or ABSENT,
                    },
                )
            )
    if writes:
        store.write_marks(writes, entries)
        from chalicelib.school_life.marks.assessments import store as listed

        listed.count_marks(assessment, sum(1 for o in outcomes if o.status == "created"))
        from chalicelib.school_life.marks.alerts import alert_drops

        alert_drops(assessment, [w.massar_code for w in writes])  # once per pupil and subject


def put_marks(
    principal: Principal, origin: Origin, assessment_id: str, marks: Sequence[dict[str, str]]
) -> list[RowOutcome]:
    assessment = _assessment_for_staff(principal, assessment_id)
    members = set(enrolled_members(assessment["school_code"], assessment["class_id"]))
    rows = [(i, m["massar_code"], m["mark"]) for i, m in enumerate(marks)]
    outcomes = _check_rows(rows, members)
    problems = {
        f"marks.{o.row}.{name}": problem for o in outcomes for name, problem in o.errors.items()
    }
    if problems:
        raise InvalidFields("marks", problems)
    _write(principal, origin, assessment, outcomes)
    return outcomes


def import_marks(
    principal: Principal, origin: Origin, assessment_id: str, content_base64: str
) -> tuple[list[RowOutcome], bool]:
    """Every row is checked first; nothing is written unless all are right."""
    assessment = _assessment_for_staff(principal, assessment_id)
    rows = _xlsx_rows(content_base64)
    members = set(enrolled_members(assessment["school_code"], assessment["class_id"]))
    outcomes = _check_rows(rows, members)
    if any(o.errors for o in outcomes):
        return outcomes, False
    _write(principal, origin, assessment, outcomes)
    return outcomes, True


def _xlsx_rows(content_base64: str) -> list[tuple[int, str, str]]:
    table = read_table("xlsx", content_base64, ("massar_code", "mark"))
    return [(n, row["massar_code"], row["mark"]) for n, row in table]


def read_table(
    fmt: str, content_base64: str, columns: Sequence[str], optional: Sequence[str] = ()
) -> list[tuple[int, dict[str, str]]]:
    """The rows of a CSV or XLSX file by header name, numbered as a spreadsheet shows them."""
    try:
        data = base64.b64decode(content_base64, validate=True)
    except (binascii.Error, ValueError) as error:
        raise InvalidFields("content", {"content_base64": "invalid_base64"}) from error
    table = _csv_table(data) if fmt == "csv" else _xlsx_table(data)
    numbered = [(n, row) for n, row in enumerate(table, start=1) if any(row)]
    if not numbered:
        raise InvalidFields("content", {"content_base64": "empty_file"})
    header = [cell.lower() for cell in numbered[0][1]]
    missing = [c for c in columns if c not in header]
    if missing:
        raise InvalidFields("content", {f"columns.{name}": "missing" for name in missing})
    if len(numbered) - 1 > MAX_ROWS:
        raise InvalidFields("content", {"content_base64": "too_many_rows"})
    at = {name: header.index(name) for name in (*columns, *optional) if name in header}
    return [
        (n, {name: row[i] if i < len(row) else "" for name, i in at.items()})
        for n, row in numbered[1:]
    ]


def _csv_table(data: bytes) -> list[list[str]]:
    from chalicelib.core.spreadsheets import csv_table

    return csv_table(data)


def _xlsx_table(data: bytes) -> list[list[str]]:
    from chalicelib.core.spreadsheets import xlsx_table  # bounded before openpyxl parses

    return xlsx_table(data, MAX_ROWS)


SUBJECT_CODE = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


def _subject_problems(row: dict[str, str]) -> dict[str, str]:
    problems: dict[str, str] = {}
    for name in ("level", "subject", "name_ar", "name_fr", "coefficient"):
        if not row.get(name):
            problems[name] = "missing"
    if row.get("subject") and not SUBJECT_CODE.match(row["subject"]):
        problems["subject"] = "string_pattern_mismatch"
    if row.get("coefficient"):
        try:
            coefficient = Decimal(row["coefficient"].replace(",", "."))
            if not 0 < coefficient <= 20:
                problems["coefficient"] = "invalid_coefficient"
        except ArithmeticError:
            problems["coefficient"] = "invalid_coefficient"
    return problems


SUBJECT_COLUMNS = ("level", "track", "subject", "name_ar", "name_fr", "coefficient")


def import_subjects(
    principal: Principal, school_code: str, fmt: str, content_base64: str
) -> tuple[list[RowOutcome], list[dict[str, str]] | None]:
    """Every row is checked first; the school's subjects are replaced only if all are right.
    `track` may be left empty (a level without tracks)."""
    _staff_of(principal, school_code, ops_too=True)
    required = [c for c in SUBJECT_COLUMNS if c != "track"]
    table = read_table(fmt, content_base64, required, optional=("track",))
    outcomes: list[RowOutcome] = []
    subjects: list[dict[str, Any]] = []
    seen: set[tuple[str, str, str]] = set()
    for n, row in table:
        outcome = RowOutcome(n, row.get("subject") or None, None, status="created")
        outcome.errors = _subject_problems(row)
        key = (row.get("level", ""), row.get("track", ""), row.get("subject", ""))
        if key in seen:
            outcome.errors["subject"] = "duplicate_in_file"
        seen.add(key)
        if outcome.errors:
            outcome.status = "error"
        else:
            subjects.append({**row, "coefficient": Decimal(row["coefficient"].replace(",", "."))})
        outcomes.append(outcome)
    if any(o.errors for o in outcomes):
        return outcomes, None
    return outcomes, replace_subjects(principal, school_code, subjects)


# --- Grades, results, exams --------------------------------------------------------------


def _query_params(school_year: str | None, semester: str | None, need_semester: bool) -> int:
    problems: dict[str, str] = {}
    if not school_year:
        problems["school_year"] = "missing"
    elif school_year_problem(school_year):
        problems["school_year"] = "invalid_school_year"
    if need_semester and semester not in ("1", "2"):
        problems["semester"] = "invalid_semester"
    if problems:
        raise InvalidFields("query", problems)
    return int(semester) if need_semester and semester else 0


def _pre_check(principal: Principal, massar_code: str) -> None:
    """Before any read of marks: pupils and parents on the token alone, staff on the pupil
    record's current enrolment (one GetItem), never on the school the items carry."""
    require_pupil(principal, massar_code)


def _semester(
    items: list[dict[str, str]],
) -> tuple[SemesterResult, dict[str, list[dict[str, str]]]]:
    by_subject: dict[str, list[dict[str, str]]] = {}
    for item in sorted(items, key=lambda i: (i.get("date", ""), i.get("assessment_id", ""))):
        by_subject.setdefault(item["subject"], []).append(item)
    results = [
        subject_average(
            subject,
            Decimal(marks[0].get("coefficient", "1")),
            [None if m["mark"] == ABSENT else Decimal(m["mark"]) for m in marks],
        )
        for subject, marks in sorted(by_subject.items())
    ]
    return semester_average(results), by_subject


def _text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def grades(
    principal: Principal, massar_code: str, school_year: str | None, semester: str | None
) -> dict[str, Any]:
    number = _query_params(school_year, semester, need_semester=True)
    _pre_check(principal, massar_code)
    items = store.marks_of(massar_code, school_year or "", number)
    result, by_subject = _semester(items)
    return {
        "massar_code": massar_code,
        "school_year": school_year,
        "semester": number,
        "subjects": [
            {
                "subject": s.subject,
                "coefficient": _decimal_text(s.coefficient),
                "assessments": [
                    {
                        "id": m["assessment_id"],
                        "kind": m["kind"],
                        "date": m["date"],
                        "mark": m["mark"],
                    }
                    for m in by_subject[s.subject]
                ],
                "average": _text(s.average),
            }
            for s in result.subjects
        ],
        "average": _text(result.average),
        "counted": list(result.counted),
    }


def results(principal: Principal, massar_code: str, school_year: str | None) -> dict[str, Any]:
    _query_params(school_year, None, need_semester=False)
    _pre_check(principal, massar_code)
    items = store.marks_of(massar_code, school_year or "", None)  # both semesters: one Query
    semesters: dict[int, list[dict[str, str]]] = {1: [], 2: []}
    for item in items:
        semesters[int(item.get("semester", "1"))].append(item)
    first_average = _semester(semesters[1])[0].average
    second_average = _semester(semesters[2])[0].average
    return {
        "massar_code": massar_code,
        "school_year": school_year,
        "semester_1": _text(first_average),
        "semester_2": _text(second_average),
        "average": _text(year_average(first_average, second_average)),
    }


def exams(principal: Principal, massar_code: str) -> list[dict[str, str]]:
    _pre_check(principal, massar_code)
    items = store.upcoming_exams(massar_code, today().isoformat())  # on Casablanca's clock
    return items
