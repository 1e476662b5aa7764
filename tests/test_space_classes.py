"""School structure: staff keep their classes and the pupils in them."""

from __future__ import annotations

from chalicelib.accounts.rules import Role
from tests.account_fixtures import token_for
from tests.conftest import Api

SCHOOL = "SC0001"


def test_staff_create_a_class_and_put_its_pupils(api: Api) -> None:
    staff = token_for(Role.STAFF, "dir.sc0001", SCHOOL)
    created = api.call(
        "PUT",
        f"/v1/schools/{SCHOOL}/classes/1AC-2",
        {"label": "1AC-2", "level": "1AC", "school_year": "2026-2027"},
        token=staff,
    )
    assert created.status_code == 200, created.body
    assert created.json_body["level"] == "1AC"
    listed = api.get(f"/v1/schools/{SCHOOL}/classes", token=staff).json_body["items"]
    assert [c["class_id"] for c in listed] == ["1AC-2"]
    pupils = [
        {"massar_code": "J130000011", "first_name_lat": "Hamza", "guardian_cin": "AB222222"},
        {"massar_code": "J130000012", "first_name_ar": "ليلى"},
    ]
    put = api.call(
        "PUT", f"/v1/schools/{SCHOOL}/classes/1AC-2/pupils", {"pupils": pupils}, token=staff
    )
    assert put.status_code == 200, put.body
    members = api.get(f"/v1/schools/{SCHOOL}/classes/1AC-2/pupils", token=staff).json_body["items"]
    assert [m["massar_code"] for m in members] == ["J130000011", "J130000012"]


def test_bad_rows_write_nothing(api: Api) -> None:
    staff = token_for(Role.STAFF, "dir.sc0001", SCHOOL)
    api.call(
        "PUT",
        f"/v1/schools/{SCHOOL}/classes/1AC-3",
        {"label": "1AC-3", "level": "1AC"},
        token=staff,
    )
    bad = api.call(
        "PUT",
        f"/v1/schools/{SCHOOL}/classes/1AC-3/pupils",
        {"pupils": [{"massar_code": "J130000021"}, {"massar_code": "nope-nope1"}]},
        token=staff,
    )
    assert bad.status_code == 422
    assert set(bad.json_body["error"]["fields"]) == {"pupils.1.massar_code"}
    members = api.get(f"/v1/schools/{SCHOOL}/classes/1AC-3/pupils", token=staff).json_body["items"]
    assert members == []


def test_only_the_schools_staff_and_national_operators(api: Api) -> None:
    url = f"/v1/schools/{SCHOOL}/classes/1AC-9"
    body = {"label": "1AC-9", "level": "1AC"}
    assert (
        api.call("PUT", url, body, token=token_for(Role.STAFF, "dir.x", "SC0999")).status_code
        == 404
    )
    assert api.call("PUT", url, body, token=token_for(Role.PARENT, "AB123456")).status_code == 403
    assert api.call("PUT", url, body).status_code == 401
    assert api.call("PUT", url, body, token=token_for(Role.OPS, "ops.nat")).status_code == 200


def test_a_class_timetable_is_not_listed_among_its_pupils(api: Api) -> None:
    staff = token_for(Role.STAFF, "dir.sc0001", SCHOOL)
    api.call(
        "PUT",
        f"/v1/schools/{SCHOOL}/classes/1AC-4",
        {"label": "1AC-4", "level": "1AC"},
        token=staff,
    )
    api.call(
        "PUT",
        f"/v1/schools/{SCHOOL}/classes/1AC-4/pupils",
        {"pupils": [{"massar_code": "J130000031"}]},
        token=staff,
    )
    slot = {"day": 1, "start": "08:00", "end": "09:00", "subject": "maths", "room": "S1"}
    timetable = api.call(
        "PUT", f"/v1/schools/{SCHOOL}/classes/1AC-4/timetable", {"slots": [slot]}, token=staff
    )
    assert timetable.status_code == 200, timetable.body
    members = api.get(f"/v1/schools/{SCHOOL}/classes/1AC-4/pupils", token=staff).json_body["items"]
    assert [m["massar_code"] for m in members] == ["J130000031"]
