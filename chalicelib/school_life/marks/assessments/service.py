"""A class's assessments on the staff's desk: listed (with how many marks are entered), a
marks sheet reopened (the marks already entered, names beside codes), an assessment edited
(kind, date, coefficient) or deleted with its marks — every mark touched is audited on the
pupil (`PUPIL#<massar>`: who, when, before, after).

Staff of the school only (core/access): anyone else's school, class or assessment is 404,
whatever exists. Everything is checked before anything is written.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from chalicelib.accounts.audit.rules import AuditEntry, Origin, SecurityEvent
from chalicelib.accounts.sign_in.tokens import Principal
from chalicelib.core.access import staff_of_school
from chalicelib.core.errors import InvalidFields, NotFound
from chalicelib.registration.campaigns.rules import school_year_problem
from chalicelib.school_life.marks import store as marks
from chalicelib.school_life.marks.assessments import store
from chalicelib.schools.classes import store as classes

EDITABLE = ("kind", "date", "coefficient")


def _require_staff(principal: Principal, school_code: str) -> None:
    if not staff_of_school(principal, school_code):
        raise NotFound("school")


def _assessment(principal: Principal, assessment_id: str) -> dict[str, str]:
    """The assessment, for staff of its school only (404 for anyone else)."""
    assessment = marks.get_assessment(assessment_id)
    if assessment is None or not staff_of_school(principal, assessment.get("school_code")):
        raise NotFound("assessment")
    return assessment


def list_of_class(
    principal: Principal,
    school_code: str,
    class_id: str,
    school_year: str | None,
    limit: int,
    cursor: str | None,
) -> tuple[list[dict[str, Any]], str | None]:
    """A page of the class's assessments, oldest first: one Query (and the class's GetItem)."""
    _require_staff(principal, school_code)
    if school_year is not None and school_year_problem(school_year):
        raise InvalidFields("school_year", {"school_year": "invalid_school_year"})
    if classes.get_class(school_code, class_id) is None:
        raise NotFound("class")
    return store.of_class(school_code, class_id, school_year, limit, cursor)


def _mark_sk(assessment: dict[str, str]) -> str:
    return marks.mark_sk(
        assessment["school_year"],
        int(assessment["semester"]),
        assessment["subject"],
        assessment["id"],
    )


def _class_codes(assessment: dict[str, str]) -> list[str]:
    """Everyone listed in the class (a pupil who left it may still hold a mark here)."""
    rows = classes.members_of_class(assessment["school_code"], assessment["class_id"])
    return list(dict.fromkeys(row["massar_code"] for row in rows if row.get("massar_code")))


def sheet(principal: Principal, assessment_id: str) -> dict[str, Any]:
    """The marks sheet: every pupil in the class now, with names and the mark entered (None
    when not yet), and a pupil since gone who holds a mark (`in_class` false)."""
    from chalicelib.pupils.names import names_in
    from chalicelib.pupils.store import get_records
    from chalicelib.schools.classes.service import enrolled_members

    assessment = _assessment(principal, assessment_id)
    members = enrolled_members(assessment["school_code"], assessment["class_id"])
    entered = marks.existing_marks(_class_codes(assessment), _mark_sk(assessment))
    gone = [code for code in entered if code not in members]
    records = {**members, **(get_records(gone) if gone else {})}
    rows = [
        {
            "massar_code": code,
            "names": names_in(records.get(code)),
            "mark": entered.get(code),
            "in_class": code in members,
        }
        for code in sorted({*members, *entered})
    ]
    return {**assessment, "marks_entered": len(entered), "pupils": rows}


def _checked_changes(assessment: dict[str, str], changes: dict[str, Any]) -> dict[str, str]:
    wanted = {k: v for k, v in changes.items() if k in EDITABLE and v is not None}
    if not wanted:
        raise InvalidFields("body", {"body": "nothing_to_change"})
    out: dict[str, str] = {}
    if "kind" in wanted:
        out["kind"] = str(wanted["kind"])
    if "date" in wanted:
        day = str(wanted["date"])
        first_year = assessment["school_year"][:4]
        if not f"{first_year}-09-01" <= day <= f"{int(first_year) + 1}-08-31":
            raise InvalidFields("date", {"date": "outside_school_year"})
        out["date"] = day
    if "coefficient" in wanted:
        try:
            value = Decimal(str(wanted["coefficient"]))
        except InvalidOperation as error:
            raise InvalidFields("coefficient", {"coefficient": "invalid_coefficient"}) from error
        if not 0 < value <= 20:
            raise InvalidFields("coefficient", {"coefficient": "invalid_coefficient"})
        out["coefficient"] = format(value.normalize(), "f")
    return out


def _entry(
    principal: Principal, origin: Origin, code: str, event: SecurityEvent, detail: dict[str, str]
) -> AuditEntry:
    return AuditEntry(f"PUPIL#{code}", event, principal.username, origin, detail)


def update(
    principal: Principal, origin: Origin, assessment_id: str, changes: dict[str, Any]
) -> dict[str, Any]:
    """Change kind, date or coefficient: the assessment, its list entry, the exam copies and
    every mark entered (which carry them) follow; each marked pupil's audit says before and
    after."""
    before = _assessment(principal, assessment_id)
    wanted = _checked_changes(before, changes)
    after = {**before, **wanted}
    if after == before:
        return {**before, "marks_entered": store.tally_of(before)}
    codes = _class_codes(before)
    sk = _mark_sk(before)
    stored = store.mark_items(codes, sk)
    old = {k: before.get(k, "") for k in wanted}
    detail_base = {"assessment_id": assessment_id, "subject": before["subject"]}
    change_list = [
        store.MarkChange(
            code,
            sk,
            {**data, **wanted},
            _entry(
                principal,
                origin,
                code,
                SecurityEvent.ASSESSMENT_CHANGED,
                {**detail_base, "before": _pairs(old), "after": _pairs(wanted)},
            ),
        )
        for code, data in stored.items()
    ]
    store.change_marks(change_list)
    from chalicelib.schools.classes.service import enrolled_members

    enrolled = list(enrolled_members(before["school_code"], before["class_id"]))
    tally = store.tally_of(before)
    store.replace_assessment(before, after, codes, tally, enrolled)
    return {**after, "marks_entered": tally}


def _pairs(values: dict[str, str]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(values.items()))


def delete(principal: Principal, origin: Origin, assessment_id: str) -> None:
    """The assessment goes, its marks with it (each audited on the pupil: the mark it had),
    its exam copies and its list entry."""
    assessment = _assessment(principal, assessment_id)
    codes = _class_codes(assessment)
    sk = _mark_sk(assessment)
    stored = store.mark_items(codes, sk)
    detail_base = {"assessment_id": assessment_id, "subject": assessment["subject"]}
    store.change_marks(
        [
            store.MarkChange(
                code,
                sk,
                None,
                _entry(
                    principal,
                    origin,
                    code,
                    SecurityEvent.MARK_DELETED,
                    {**detail_base, "before": data.get("mark", ""), "after": "-"},
                ),
            )
            for code, data in stored.items()
        ]
    )
    store.replace_assessment(assessment, None, codes, 0)
