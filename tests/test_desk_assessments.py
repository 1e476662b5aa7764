"""Issue 16, the desk's assessments: a class's assessments listed from the API with the
marks entered, a marks sheet reopened with names beside codes, an assessment edited or
deleted (its marks follow, every touched mark audited on the pupil), and the chain: staff of
another school list, read, edit or delete nothing — not even after creating their own."""

from __future__ import annotations

import json
from typing import Any

import pytest

from chalicelib.accounts.audit import store as audit
from chalicelib.accounts.rules import Role
from chalicelib.core.models import PupilModel
from chalicelib.core.store import bound
from tests.account_fixtures import token_for
from tests.conftest import Api
from tests.enrolment_fixtures import enrol
from tests.test_space_marks import (
    CLASSMATE,
    OTHER_SCHOOL,
    OUTSIDER,
    PUPIL,
    SCHOOL,
    SUBJECTS,
    YEAR,
    assessment,
    put_marks,
    staff,
)

LIST = f"/v1/schools/{SCHOOL}/classes/1AC-1/assessments"


@pytest.fixture
def school(api: Api) -> Api:
    """As test_space_marks' fixture: PUPIL and CLASSMATE in 1AC-1, OUTSIDER in 1AC-2, the
    subjects of 1AC."""
    for code, class_id in ((PUPIL, "1AC-1"), (CLASSMATE, "1AC-1"), (OUTSIDER, "1AC-2")):
        enrol(api, staff(), SCHOOL, class_id, [{"massar_code": code, "first_name_lat": code}])
    answer = api.call("PUT", f"/v1/schools/{SCHOOL}/subjects", {"subjects": SUBJECTS},
                      token=staff())  # fmt: skip
    assert answer.status_code == 200, answer.body
    return api


def listed(api: Api, path: str = LIST, token: str = "") -> Any:
    answer = api.get(path, token=token or staff())
    assert answer.status_code == 200, answer.body
    return json.loads(answer.body)


def test_a_class_lists_its_assessments_with_the_marks_entered(school: Api) -> None:
    math = assessment(school, "MATH", "2025-10-10")
    french = assessment(school, "FR", "2025-11-03", kind="local_exam")
    spring = assessment(school, "SVT", "2026-03-02", semester=2)
    assert put_marks(school, math, {PUPIL: "12", CLASSMATE: "absent"}).status_code == 200
    assert put_marks(school, math, {PUPIL: "13"}).status_code == 200  # an edit: still 2
    assert put_marks(school, french, {CLASSMATE: "9,5"}).status_code == 200

    items = listed(school)["items"]
    assert [(i["id"], i["subject"], i["marks_entered"]) for i in items] == [
        (math, "MATH", 2),
        (french, "FR", 1),
        (spring, "SVT", 0),
    ]
    assert items[1]["kind"] == "local_exam" and items[1]["coefficient"] == "3"
    assert items[2]["semester"] == 2 and items[2]["school_year"] == YEAR

    first = listed(school, f"{LIST}?limit=2")
    assert len(first["items"]) == 2 and first["next_cursor"]
    rest = listed(school, f"{LIST}?limit=2&cursor={first['next_cursor']}")
    assert [i["id"] for i in rest["items"]] == [spring]
    assert listed(school, f"{LIST}?school_year=2024-2025")["items"] == []

    bad = school.get(f"{LIST}?school_year=2025", token=staff())
    assert bad.status_code == 422 and "school_year" in bad.json_body["error"]["fields"]
    assert school.get(f"{LIST}?cursor=nope", token=staff()).status_code == 422
    assert school.get(f"{LIST}?limit=0", token=staff()).status_code == 422
    missing = f"/v1/schools/{SCHOOL}/classes/NOPE/assessments"
    assert school.get(missing, token=staff()).status_code == 404


def test_a_marks_sheet_reopens_with_the_marks_and_the_names(school: Api) -> None:
    math = assessment(school, "MATH", "2025-10-10")
    assert put_marks(school, math, {PUPIL: "15,5"}).status_code == 200
    answer = school.get(f"/v1/assessments/{math}/marks", token=staff())
    assert answer.status_code == 200, answer.body
    sheet = answer.json_body
    assert sheet["id"] == math and sheet["marks_entered"] == 1
    rows = {r["massar_code"]: r for r in sheet["pupils"]}
    assert set(rows) == {PUPIL, CLASSMATE}  # OUTSIDER is in 1AC-2
    assert rows[PUPIL]["mark"] == "15.50" and rows[PUPIL]["in_class"] is True
    assert rows[PUPIL]["names"] == {"first_name_lat": PUPIL}
    assert rows[CLASSMATE].get("mark") is None  # not entered yet

    # A pupil moved to another class is on that class's sheets now (the mark stays theirs).
    enrol(school, staff(), SCHOOL, "1AC-2", [{"massar_code": PUPIL, "first_name_lat": PUPIL}])
    sheet = school.get(f"/v1/assessments/{math}/marks", token=staff()).json_body
    assert [r["massar_code"] for r in sheet["pupils"]] == [CLASSMATE]
    assert school.get("/v1/assessments/nope/marks", token=staff()).status_code == 404


def test_editing_an_assessment_carries_its_marks_and_is_audited(school: Api) -> None:
    math = assessment(school, "MATH", "2025-10-10")
    assert put_marks(school, math, {PUPIL: "12"}).status_code == 200
    path = f"/v1/assessments/{math}"
    body = {"kind": "local_exam", "date": "2025-10-17", "coefficient": 5}
    answer = school.call("PATCH", path, body, token=staff())
    assert answer.status_code == 200, answer.body
    changed = answer.json_body
    assert (changed["kind"], changed["date"], changed["coefficient"]) == (
        "local_exam",
        "2025-10-17",
        "5",
    )
    assert changed["marks_entered"] == 1
    assert [(i["id"], i["date"], i["marks_entered"]) for i in listed(school)["items"]] == [
        (math, "2025-10-17", 1)
    ]
    mark = bound(PupilModel).get(f"PUPIL#{PUPIL}", f"MARK#{YEAR}#S1#MATH#{math}")
    assert mark.data.as_dict()["coefficient"] == "5"
    assert mark.data.as_dict()["date"] == "2025-10-17"
    assert mark.data.as_dict()["mark"] == "12.00"
    exams = bound(PupilModel).query(f"PUPIL#{CLASSMATE}", PupilModel.sk.startswith("EXAM#"))
    assert [e.sk for e in exams] == [f"EXAM#2025-10-17#{math}"]
    grades = school.get(
        f"/v1/students/{PUPIL}/grades?school_year={YEAR}&semester=1", token=staff()
    ).json_body
    assert grades["subjects"][0]["coefficient"] == "5"

    entries, _ = audit.list_entries(f"PUPIL#{PUPIL}", 10, None)
    assert entries[0]["event"] == "assessment_changed"
    assert entries[0]["actor"] == "staff.sc0001"
    assert entries[0]["detail"]["before"] == "coefficient=4, date=2025-10-10, kind=continuous"
    assert entries[0]["detail"]["after"] == "coefficient=5, date=2025-10-17, kind=local_exam"
    assert audit.list_entries(f"PUPIL#{CLASSMATE}", 10, None)[0] == []  # no mark: no entry


def test_a_bad_edit_writes_nothing(school: Api) -> None:
    math = assessment(school, "MATH", "2025-10-10")
    path = f"/v1/assessments/{math}"
    cases = [
        ({}, "body"),
        ({"date": "2026-09-01"}, "date"),
        ({"coefficient": 0}, "coefficient"),
        ({"kind": "quiz"}, "kind"),
        ({"subject": "FR"}, "subject"),  # fixed: delete and create instead
    ]
    for body, field in cases:
        answer = school.call("PATCH", path, body, token=staff())
        assert answer.status_code == 422, (body, answer.body)
        assert field in answer.json_body["error"]["fields"], answer.body
    bad_json = school.call("PATCH", path, raw=b"{", token=staff())
    assert bad_json.status_code == 400
    assert listed(school)["items"][0]["date"] == "2025-10-10"


def test_deleting_an_assessment_takes_its_marks_with_an_audit(school: Api) -> None:
    math = assessment(school, "MATH", "2025-10-10")
    kept = assessment(school, "FR", "2025-10-12")
    assert put_marks(school, math, {PUPIL: "8", CLASSMATE: "absent"}).status_code == 200
    assert put_marks(school, kept, {PUPIL: "14"}).status_code == 200
    answer = school.call("DELETE", f"/v1/assessments/{math}", token=staff())
    assert answer.status_code == 204, answer.body
    assert [i["id"] for i in listed(school)["items"]] == [kept]
    grades = school.get(
        f"/v1/students/{PUPIL}/grades?school_year={YEAR}&semester=1", token=staff()
    ).json_body
    assert [s["subject"] for s in grades["subjects"]] == ["FR"]
    exams = bound(PupilModel).query(f"PUPIL#{PUPIL}", PupilModel.sk.startswith("EXAM#"))
    assert [e.sk for e in exams] == [f"EXAM#2025-10-12#{kept}"]
    entries, _ = audit.list_entries(f"PUPIL#{CLASSMATE}", 10, None)
    assert [(e["event"], e["detail"]["before"]) for e in entries] == [("mark_deleted", "absent")]
    assert school.call("DELETE", f"/v1/assessments/{math}", token=staff()).status_code == 404
    assert school.get(f"/v1/assessments/{math}/marks", token=staff()).status_code == 404
    assert put_marks(school, math, {PUPIL: "10"}).status_code == 404


def test_another_school_reaches_none_of_it(school: Api) -> None:
    """The chain: a director of school B, even after setting up a class and an assessment
    of B's own, lists, reads, edits and deletes nothing of school A's."""
    math = assessment(school, "MATH", "2025-10-10")
    assert put_marks(school, math, {PUPIL: "12"}).status_code == 200
    other = staff(OTHER_SCHOOL)
    enrol(school, other, OTHER_SCHOOL, "1AC-1", [{"massar_code": "J130077777"}])
    subjects = {"subjects": SUBJECTS}
    assert school.call("PUT", f"/v1/schools/{OTHER_SCHOOL}/subjects", subjects,
                       token=other).status_code == 200  # fmt: skip
    own = {"subject": "MATH", "kind": "continuous", "date": "2025-10-10", "semester": 1,
           "school_year": YEAR}  # fmt: skip
    mine = school.post(f"/v1/schools/{OTHER_SCHOOL}/classes/1AC-1/assessments", own, token=other)
    assert mine.status_code == 201
    assert [i["id"] for i in listed(school, f"/v1/schools/{OTHER_SCHOOL}/classes/1AC-1"
                                    "/assessments", token=other)["items"]] == [
        mine.json_body["id"]
    ]  # fmt: skip

    assert school.get(LIST, token=other).status_code == 404
    assert school.get(f"/v1/assessments/{math}/marks", token=other).status_code == 404
    patch = school.call("PATCH", f"/v1/assessments/{math}", {"coefficient": 1}, token=other)
    assert patch.status_code == 404
    assert school.call("DELETE", f"/v1/assessments/{math}", token=other).status_code == 404
    # Not found either way: the answer is the same as for an assessment that never was.
    assert (
        school.call("DELETE", "/v1/assessments/0000000000000000", token=other).json_body
        == school.call("DELETE", f"/v1/assessments/{math}", token=other).json_body
    )
    for caller in (token_for(Role.STUDENT, PUPIL), token_for(Role.OPS, "ops.national", None)):
        assert school.get(LIST, token=caller).status_code == 403
        assert school.call("DELETE", f"/v1/assessments/{math}", token=caller).status_code == 403
    assert school.get(LIST).status_code == 401
    # Untouched.
    assert listed(school)["items"][0]["coefficient"] == "4"
    assert (
        school.get(f"/v1/assessments/{math}/marks", token=staff()).json_body["marks_entered"] == 1
    )
    _ = OUTSIDER
