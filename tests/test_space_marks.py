"""Issue 6, marks: subjects with coefficients, assessments, marks (JSON and XLSX import,
all or nothing), the audit of an edited mark, grades and results with the averages worked
out by hand, the exam calendar, and who may see what."""

from __future__ import annotations

import base64
import io
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from chalicelib.accounts.audit import store as audit
from chalicelib.accounts.rules import Account, AccountStatus, Role, Scope
from chalicelib.accounts.sign_in.tokens import issue_access_token
from chalicelib.core.clock import now
from chalicelib.core.models import PupilModel
from chalicelib.core.store import bound
from tests.account_fixtures import token_for
from tests.conftest import Api
from tests.enrolment_fixtures import enrol

SCHOOL = "SC0001"
OTHER_SCHOOL = "SC0002"
PUPIL = "J130012345"
CLASSMATE = "J130012346"
OUTSIDER = "J139999999"  # a pupil of another class
# A fixed past school year: marks are checked against its own bounds, never against today
# (the exam calendar's test takes its days from today).
YEAR = "2025-2026"
SUBJECTS = [
    {"level": "1AC", "subject": "MATH", "name_ar": "الرياضيات", "name_fr": "Mathématiques",
     "coefficient": 4},
    {"level": "1AC", "subject": "FR", "name_ar": "الفرنسية", "name_fr": "Français",
     "coefficient": 3},
    {"level": "1AC", "subject": "SVT", "name_ar": "علوم الحياة والأرض", "name_fr": "SVT",
     "coefficient": 2},
]  # fmt: skip


def year_of(when: str) -> str:
    """The school year (September to August) a date belongs to."""
    year, month = int(when[:4]), int(when[5:7])
    first = year if month >= 9 else year - 1
    return f"{first}-{first + 1}"


def today_utc() -> date:
    return datetime.now(UTC).date()


def staff(school: str = SCHOOL) -> str:
    return token_for(Role.STAFF, f"staff.{school.lower()}", school)


def parent_of(*children: str) -> str:
    return issue_access_token(
        Account("AB123456", Role.PARENT, AccountStatus.ACTIVE, Scope(), children=children)
    )


def profile(massar_code: str, school: str, class_id: str) -> None:
    bound(PupilModel)(
        f"PUPIL#{massar_code}",
        "PROFILE",
        kind="profile",
        massar_code=massar_code,
        data={"school_code": school, "class_id": class_id},
        created_at=now(),
    ).save()


@pytest.fixture
def school(api: Api) -> Api:
    for code, class_id in ((PUPIL, "1AC-1"), (CLASSMATE, "1AC-1"), (OUTSIDER, "1AC-2")):
        enrol(api, staff(), SCHOOL, class_id, [{"massar_code": code, "first_name_lat": code}])
    answer = api.call(
        "PUT", f"/v1/schools/{SCHOOL}/subjects", {"subjects": SUBJECTS}, token=staff()
    )
    assert answer.status_code == 200, answer.body
    return api


def assessment(api: Api, subject: str, when: str, semester: int = 1, **extra: Any) -> str:
    body = {
        "subject": subject,
        "kind": "continuous",
        "date": when,
        "semester": semester,
        "school_year": year_of(when),
        **extra,
    }
    answer = api.post(f"/v1/schools/{SCHOOL}/classes/1AC-1/assessments", body, token=staff())
    assert answer.status_code == 201, answer.body
    return str(json.loads(answer.body)["id"])


def put_marks(api: Api, assessment_id: str, marks: dict[str, str], token: str = "") -> Any:
    rows = [{"massar_code": code, "mark": mark} for code, mark in marks.items()]
    return api.call(
        "PUT", f"/v1/assessments/{assessment_id}/marks", {"marks": rows}, token=token or staff()
    )


def grades(api: Api, token: str, semester: int = 1, massar: str = PUPIL) -> Any:
    return api.get(
        f"/v1/students/{massar}/grades?school_year={YEAR}&semester={semester}", token=token
    )


def xlsx(rows: list[list[Any]]) -> str:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return base64.b64encode(out.getvalue()).decode()


# --- Subjects --------------------------------------------------------------------------


def test_subjects_are_replaced_and_listed(school: Api) -> None:
    answer = school.get(f"/v1/schools/{SCHOOL}/subjects", token=staff())
    assert answer.status_code == 200
    items = json.loads(answer.body)["items"]
    assert {(s["subject"], s["coefficient"]) for s in items} == {
        ("MATH", "4"),
        ("FR", "3"),
        ("SVT", "2"),
    }
    smaller = {"subjects": [{**SUBJECTS[0], "coefficient": 5}]}
    ops = token_for(Role.OPS, "ops.national", None)
    answer = school.call("PUT", f"/v1/schools/{SCHOOL}/subjects", smaller, token=ops)
    assert answer.status_code == 200, answer.body
    assert [(s["subject"], s["coefficient"]) for s in json.loads(answer.body)["items"]] == [
        ("MATH", "5")
    ]


def test_subjects_refused_to_others_and_validated(school: Api) -> None:
    path = f"/v1/schools/{SCHOOL}/subjects"
    body = {"subjects": SUBJECTS}
    assert school.call("PUT", path, body, token=staff(OTHER_SCHOOL)).status_code == 404
    assert school.call("PUT", path, body, token=token_for(Role.STUDENT, PUPIL)).status_code == 403
    assert school.call("PUT", path, body).status_code == 401
    bad = {"subjects": [{**SUBJECTS[0], "coefficient": 0}, SUBJECTS[1], SUBJECTS[1]]}
    answer = school.call("PUT", path, bad, token=staff(), headers={"Accept-Language": "ar"})
    assert answer.status_code == 422
    assert "subjects.0.coefficient" in json.loads(answer.body)["error"]["fields"]
    dup = school.call("PUT", path, {"subjects": [SUBJECTS[1], SUBJECTS[1]]}, token=staff())
    assert dup.status_code == 422
    assert json.loads(dup.body)["error"]["fields"] == {
        "subjects.1.subject": "code répété dans le fichier"
    }


def test_subjects_import_all_or_nothing(school: Api) -> None:
    path = f"/v1/schools/{SCHOOL}/subjects/import"
    bad = xlsx(
        [
            ["level", "track", "subject", "name_ar", "name_fr", "coefficient"],
            ["2BAC", "SM", "MATH", "الرياضيات", "Mathématiques", "7"],
            ["2BAC", "SM", "PHYS", "الفيزياء", "", "0"],
            ["2BAC", "SM", "MATH", "الرياضيات", "Mathématiques", "7"],
        ]
    )
    answer = school.post(path, {"format": "xlsx", "content_base64": bad}, token=staff())
    assert answer.status_code == 422
    report = json.loads(answer.body)
    assert report["written"] == 0 and report["failed"] == 2
    by_row = {r["row"]: r for r in report["rows"]}
    assert "errors" not in by_row[2]
    assert by_row[3]["errors"] == {
        "name_fr": "champ obligatoire",
        "coefficient": "coefficient entre 0 (exclu) et 20",
    }
    assert by_row[4]["errors"] == {"subject": "code répété dans le fichier"}
    listed = json.loads(school.get(f"/v1/schools/{SCHOOL}/subjects", token=staff()).body)
    assert len(listed["items"]) == 3  # unchanged

    csv_text = "level;subject;name_ar;name_fr;coefficient\n1AC;MATH;الرياضيات;Maths;4,5\n"
    content = base64.b64encode(csv_text.encode()).decode()
    answer = school.post(path, {"format": "csv", "content_base64": content}, token=staff())
    assert answer.status_code == 200, answer.body
    report = json.loads(answer.body)
    assert report["written"] == 1
    assert [(s["subject"], s["coefficient"]) for s in report["items"]] == [("MATH", "4.5")]
    assert (
        school.post(
            path, {"format": "csv", "content_base64": content}, token=staff(OTHER_SCHOOL)
        ).status_code
        == 404
    )


# --- Assessments -----------------------------------------------------------------------


def test_assessment_creation_rules(school: Api) -> None:
    path = f"/v1/schools/{SCHOOL}/classes/1AC-1/assessments"
    body = {
        "subject": "MATH",
        "kind": "local_exam",
        "date": "2025-12-10",
        "semester": 1,
        "school_year": YEAR,
    }
    answer = school.post(path, body, token=staff())
    assert answer.status_code == 201
    created = json.loads(answer.body)
    assert created["coefficient"] == "4" and created["class_id"] == "1AC-1"
    assert created["semester"] == 1
    unknown = school.post(path, {**body, "subject": "CHINESE"}, token=staff())
    assert unknown.status_code == 422
    assert "subject" in json.loads(unknown.body)["error"]["fields"]
    assert school.post(path, {**body, "kind": "quiz"}, token=staff()).status_code == 422
    assert school.post(path, {**body, "semester": 3}, token=staff()).status_code == 422
    outside = school.post(path, {**body, "date": "2026-09-01"}, token=staff())
    assert outside.status_code == 422
    assert json.loads(outside.body)["error"]["fields"] == {
        "date": "date hors de l'année scolaire (1er septembre – 31 août)"
    }
    assert school.post(path, body, token=staff(OTHER_SCHOOL)).status_code == 404
    assert school.post(path, body, token=token_for(Role.STUDENT, PUPIL)).status_code == 403
    missing = f"/v1/schools/{SCHOOL}/classes/NOPE/assessments"
    assert school.post(missing, body, token=staff()).status_code == 404


# --- Marks -----------------------------------------------------------------------------


def test_marks_are_checked_then_written(school: Api) -> None:
    math = assessment(school, "MATH", "2025-10-10")
    bad = put_marks(school, math, {PUPIL: "21", CLASSMATE: "12.345", OUTSIDER: "10"})
    assert bad.status_code == 422
    fields = json.loads(bad.body)["error"]["fields"]
    assert set(fields) == {"marks.0.mark", "marks.1.mark", "marks.2.massar_code"}
    assert fields["marks.2.massar_code"] == "cet élève n'est pas dans la classe"
    # Nothing was written.
    assert json.loads(grades(school, staff()).body)["subjects"] == []

    good = put_marks(school, math, {PUPIL: "15,25", CLASSMATE: "absent"})
    assert good.status_code == 200, good.body
    report = json.loads(good.body)
    assert report["written"] == 2
    assert [(r["massar_code"], r["mark"], r["status"]) for r in report["rows"]] == [
        (PUPIL, "15.25", "created"),
        (CLASSMATE, "absent", "created"),
    ]
    item = bound(PupilModel).get(f"PUPIL#{PUPIL}", f"MARK#{YEAR}#S1#MATH#{math}")
    assert item.data.as_dict()["mark"] == "15.25"
    assert item.data.as_dict()["school_code"] == SCHOOL
    assert item.data.as_dict()["coefficient"] == "4"


def test_editing_a_published_mark_is_audited(school: Api) -> None:
    math = assessment(school, "MATH", "2025-10-10")
    assert put_marks(school, math, {PUPIL: "11"}).status_code == 200
    assert audit.list_entries(f"PUPIL#{PUPIL}", 10, None)[0] == []  # a first entry: no audit
    again = put_marks(school, math, {PUPIL: "11.00", CLASSMATE: "9"})
    assert [r["status"] for r in json.loads(again.body)["rows"]] == ["unchanged", "created"]
    edited = put_marks(school, math, {PUPIL: "13,5"})
    assert json.loads(edited.body)["rows"][0]["status"] == "updated"
    entries, _ = audit.list_entries(f"PUPIL#{PUPIL}", 10, None)
    assert len(entries) == 1
    entry = entries[0]
    assert entry["event"] == "mark_changed"
    assert entry["actor"] == "staff.sc0001"
    assert entry["at"].startswith(today_utc().isoformat()[:4])
    assert entry["detail"] == {
        "assessment_id": math,
        "subject": "MATH",
        "before": "11.00",
        "after": "13.50",
    }
    assert audit.list_entries(f"PUPIL#{CLASSMATE}", 10, None)[0] == []


def test_marks_refused_to_others(school: Api) -> None:
    math = assessment(school, "MATH", "2025-10-10")
    assert put_marks(school, math, {PUPIL: "10"}, token=staff(OTHER_SCHOOL)).status_code == 404
    student = token_for(Role.STUDENT, PUPIL)
    assert put_marks(school, math, {PUPIL: "20"}, token=student).status_code == 403
    assert put_marks(school, "nope", {PUPIL: "10"}).status_code == 404


def test_import_with_bad_rows_writes_nothing(school: Api) -> None:
    math = assessment(school, "MATH", "2025-10-10")
    path = f"/v1/assessments/{math}/marks/import"
    content = xlsx(
        [
            ["massar_code", "mark"],
            [PUPIL, "14,75"],
            [OUTSIDER, "12"],
            [CLASSMATE, "vingt"],
            [PUPIL, "10"],
        ]
    )
    answer = school.post(path, {"content_base64": content}, token=staff())
    assert answer.status_code == 422
    report = json.loads(answer.body)
    assert report["written"] == 0 and report["failed"] == 3
    assert [r["row"] for r in report["rows"]] == [2, 3, 4, 5]
    by_row = {r["row"]: r for r in report["rows"]}
    assert "errors" not in by_row[2]
    assert by_row[3]["errors"] == {"massar_code": "cet élève n'est pas dans la classe"}
    assert set(by_row[4]["errors"]) == {"mark"}
    assert by_row[5]["errors"] == {"massar_code": "code répété dans le fichier"}
    assert json.loads(grades(school, staff()).body)["subjects"] == []  # nothing written

    good = xlsx([["massar_code", "mark"], [PUPIL, "14,75"], [CLASSMATE, 8]])
    answer = school.post(path, {"content_base64": good}, token=staff())
    assert answer.status_code == 200, answer.body
    assert json.loads(answer.body)["written"] == 2
    subjects = json.loads(grades(school, staff()).body)["subjects"]
    assert subjects[0]["assessments"][0]["mark"] == "14.75"

    broken = school.post(path, {"content_base64": "bm90IGEgZmlsZQ=="}, token=staff())
    assert broken.status_code == 422
    no_column = xlsx([["massar", "note"], [PUPIL, "10"]])
    answer = school.post(path, {"content_base64": no_column}, token=staff())
    assert answer.status_code == 422
    assert "columns.massar_code" in json.loads(answer.body)["error"]["fields"]


# --- Grades and results: the averages worked out by hand ----------------------------------


def test_grades_and_results_worked_example(school: Api) -> None:
    """Semester 1, coefficients MATH 4, FR 3, SVT 2:
    MATH: 15.25 and 12        → (15.25 + 12) / 2 = 13.625 → 13.63 (half up)
    FR:   absent (0) and 14.5 → (0 + 14.5) / 2   = 7.25
    SVT:  16                  → 16.00
    semester 1 = (13.63×4 + 7.25×3 + 16×2) / (4+3+2) = (54.52 + 21.75 + 32) / 9
               = 108.27 / 9 = 12.03
    Semester 2: MATH 10 alone → 10.00.
    Year = (12.03 + 10.00) / 2 = 11.015 → 11.02 (half up)."""
    math_1 = assessment(school, "MATH", "2025-10-06")
    math_2 = assessment(school, "MATH", "2025-12-15", kind="local_exam")
    fr_1 = assessment(school, "FR", "2025-10-20")
    fr_2 = assessment(school, "FR", "2025-11-20")
    svt = assessment(school, "SVT", "2025-11-03")
    math_s2 = assessment(school, "MATH", "2026-03-02", semester=2)
    for assessment_id, mark in (
        (math_1, "15.25"),
        (math_2, "12"),
        (fr_1, "absent"),
        (fr_2, "14,5"),
        (svt, "16"),
        (math_s2, "10"),
    ):
        assert put_marks(school, assessment_id, {PUPIL: mark}).status_code == 200

    answer = grades(school, token_for(Role.STUDENT, PUPIL))
    assert answer.status_code == 200, answer.body
    body = json.loads(answer.body)
    by_subject = {s["subject"]: s for s in body["subjects"]}
    assert by_subject["MATH"]["coefficient"] == "4"
    assert by_subject["MATH"]["average"] == "13.63"
    math_marks = by_subject["MATH"]["assessments"]
    assert [(a["id"], a["kind"], a["date"], a["mark"]) for a in math_marks] == [
        (math_1, "continuous", "2025-10-06", "15.25"),
        (math_2, "local_exam", "2025-12-15", "12.00"),
    ]  # fmt: skip
    assert by_subject["FR"]["average"] == "7.25"
    assert [a["mark"] for a in by_subject["FR"]["assessments"]] == ["absent", "14.50"]
    assert by_subject["SVT"]["average"] == "16.00"
    assert body["average"] == "12.03"
    assert sorted(body["counted"]) == ["FR", "MATH", "SVT"]

    second = json.loads(grades(school, parent_of(PUPIL), semester=2).body)
    assert second["average"] == "10.00"

    answer = school.get(f"/v1/students/{PUPIL}/results?school_year={YEAR}", token=staff())
    assert answer.status_code == 200, answer.body
    assert json.loads(answer.body) == {
        "massar_code": PUPIL,
        "school_year": YEAR,
        "semester_1": "12.03",
        "semester_2": "10.00",
        "average": "11.02",
    }


def test_grades_query_is_validated(school: Api) -> None:
    token = token_for(Role.STUDENT, PUPIL)
    answer = school.get(f"/v1/students/{PUPIL}/grades?school_year=2025&semester=3", token=token)
    assert answer.status_code == 422
    fields = json.loads(answer.body)["error"]["fields"]
    assert set(fields) == {"school_year", "semester"}
    assert school.get(f"/v1/students/{PUPIL}/results", token=token).status_code == 422


# --- Exam calendar -------------------------------------------------------------------------


def test_exam_calendar_upcoming_oldest_first(school: Api) -> None:
    today = today_utc()
    later = (today + timedelta(days=20)).isoformat()
    sooner = (today + timedelta(days=3)).isoformat()
    assessment(school, "MATH", (today - timedelta(days=2)).isoformat())  # past: not listed
    late = assessment(school, "FR", later, kind="regional_exam")
    soon = assessment(school, "SVT", sooner)
    same_day = assessment(school, "MATH", today.isoformat())
    answer = school.get(f"/v1/students/{PUPIL}/exams", token=parent_of(PUPIL))
    assert answer.status_code == 200, answer.body
    items = json.loads(answer.body)["items"]
    assert [(i["id"], i["date"]) for i in items] == [
        (same_day, today.isoformat()),
        (soon, sooner),
        (late, later),
    ]
    assert items[2]["kind"] == "regional_exam" and items[2]["subject"] == "FR"
    # A pupil of another class has none of these.
    other = school.get(f"/v1/students/{OUTSIDER}/exams", token=staff())
    assert json.loads(other.body)["items"] == []


# --- Who may see a pupil's marks -----------------------------------------------------------

READ_PATHS = [
    f"/v1/students/{PUPIL}/grades?school_year={YEAR}&semester=1",
    f"/v1/students/{PUPIL}/results?school_year={YEAR}",
    f"/v1/students/{PUPIL}/exams",
]


def callers() -> dict[str, str | None]:
    return {
        "pupil": token_for(Role.STUDENT, PUPIL),
        "linked parent": parent_of(PUPIL),
        "parent of another child": parent_of(CLASSMATE),
        "staff of the school": staff(),
        "staff of another school": staff(OTHER_SCHOOL),
        "operator": token_for(Role.OPS, "ops.national", None),
        "classmate": token_for(Role.STUDENT, CLASSMATE),
        "anonymous": None,
    }


EXPECTED = {
    "pupil": 200,
    "linked parent": 200,
    "parent of another child": 404,
    "staff of the school": 200,
    "staff of another school": 404,
    "operator": 404,
    "classmate": 404,
    "anonymous": 401,
}


@pytest.mark.parametrize("with_marks", [True, False], ids=["with marks", "no marks yet"])
def test_authorization_matrix(school: Api, with_marks: bool) -> None:
    if with_marks:  # items carry the school: staff access is checked on them
        math = assessment(school, "MATH", "2025-10-10")
        assert put_marks(school, math, {PUPIL: "12"}).status_code == 200
        assessment(school, "FR", (today_utc() + timedelta(days=1)).isoformat())
    seen = {}
    for who, token in callers().items():
        for path in READ_PATHS:
            seen[(who, path)] = school.get(path, token=token).status_code
    assert seen == {(who, path): EXPECTED[who] for who in EXPECTED for path in READ_PATHS}


def test_write_authorization_matrix(school: Api) -> None:
    math = assessment(school, "MATH", "2025-10-10")
    expected_writes = {
        "pupil": 403,
        "linked parent": 403,
        "parent of another child": 403,
        "staff of the school": 200,
        "staff of another school": 404,
        "operator": 403,
        "classmate": 403,
        "anonymous": 401,
    }
    seen = {}
    for who, token in callers().items():
        rows = {"marks": [{"massar_code": PUPIL, "mark": "10"}]}
        answer = school.call("PUT", f"/v1/assessments/{math}/marks", rows, token=token)
        seen[who] = answer.status_code
    assert seen == expected_writes


# --- DynamoDB calls per view ----------------------------------------------------------------


def test_each_view_is_one_query(school: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    math = assessment(school, "MATH", "2025-10-10")
    assert put_marks(school, math, {PUPIL: "12"}).status_code == 200
    assessment(school, "FR", (today_utc() + timedelta(days=1)).isoformat())  # upcoming
    calls: list[str] = []
    original_query, original_get = PupilModel.query, PupilModel.get

    def query(*args: Any, **kwargs: Any) -> Any:
        calls.append("query")
        return original_query(*args, **kwargs)

    def get(*args: Any, **kwargs: Any) -> Any:
        calls.append("get")
        return original_get(*args, **kwargs)

    monkeypatch.setattr(PupilModel, "query", query)
    monkeypatch.setattr(PupilModel, "get", get)
    # Staff are let in by the pupil record's current enrolment (one GetItem); the pupil and
    # parents by the token alone.
    for token, reads in (
        (staff(), ["get", "query"]),
        (parent_of(PUPIL), ["query"]),
        (token_for(Role.STUDENT, PUPIL), ["query"]),
    ):
        for path in READ_PATHS:
            calls.clear()
            assert school.get(path, token=token).status_code == 200
            assert calls == reads, path
    # Someone else's child: refused on the token alone, before any read.
    calls.clear()
    assert school.get(READ_PATHS[0], token=parent_of(CLASSMATE)).status_code == 404
    assert calls == []


def test_refusals_are_worded_in_arabic(school: Api) -> None:
    math = assessment(school, "MATH", "2025-10-10")
    rows = {"marks": [{"massar_code": PUPIL, "mark": "20,5"}]}
    answer = school.call(
        "PUT",
        f"/v1/assessments/{math}/marks",
        rows,
        token=staff(),
        headers={"Accept-Language": "ar"},
    )
    assert answer.status_code == 422
    error = json.loads(answer.body)["error"]
    assert error["code"] == "validation_failed"
    assert error["fields"]["marks.0.mark"].startswith("نقطة على 20")


def test_refused_imports_answer_in_the_error_envelope(api: Any) -> None:
    """A 422 always carries {"error": {...}}; a refused import adds its per-row report."""
    from chalicelib.school_life.marks.api import refused_report

    answer = refused_report(
        {"written": 0, "failed": 1, "rows": [{"row": 2, "errors": {"mark": "0 à 20"}}]}, "fr"
    )
    import json

    body = json.loads(answer.body)
    assert answer.status_code == 422
    assert body["error"]["code"] == "validation_failed"
    assert body["error"]["fields"] == {"rows.2.mark": "0 à 20"}
    assert body["rows"][0]["row"] == 2
