"""The pupil record over HTTP: every path that creates a pupil (class roster, roster import,
approved pre-registration) gives a pupil whose whole space works; a school cannot reach
another school's pupil or parents through a chain of its own writes; transfers, year-end
decisions and re-registration."""

from __future__ import annotations

import base64
from datetime import date, timedelta
from typing import Any

import pytest

from chalicelib.accounts.rules import Role
from tests.account_fixtures import token_for
from tests.clock import casablanca_at
from tests.conftest import Api
from tests.enrolment_fixtures import enrol, put_class

SCHOOL_A = {
    "code": "CL4501",
    "name_ar": "إعدادية ابن بطوطة",
    "name_fr": "Collège Ibn Battouta",
    "cycle": "middle",
    "sector": "public",
    "academy": "04",  # official HCP codes: Rabat-Salé-Kénitra,
    "province": "04.421",  # préfecture de Rabat,
    "commune": "04.421.01.01",  # arrondissement Agdal Riyad
    "catchment": ["04.421.01.01"],
}
SCHOOL_B = {
    **SCHOOL_A,
    "code": "CL4502",
    "name_fr": "Collège Al Farabi",
    "name_ar": "إعدادية الفارابي",
}
A, B = SCHOOL_A["code"], SCHOOL_B["code"]
PUPIL = "J130000101"
GUARDIAN_CIN = "AB111111"
ROW = {
    "massar_code": PUPIL,
    "first_name_lat": "Amina",
    "last_name_lat": "Tazi",
    "first_name_ar": "أمينة",
    "last_name_ar": "التازي",
    "birth_date": "2013-04-02",
    "gender": "F",
    "guardian_role": "father",
    "guardian_cin": GUARDIAN_CIN,
    "guardian_first_name_lat": "Karim",
    "guardian_last_name_lat": "Tazi",
    "guardian_first_name_ar": "كريم",
    "guardian_last_name_ar": "التازي",
}
STRONG = "Cedre&Atlas-2031"
TODAY = casablanca_at(0, 12).date()
START = TODAY.year if TODAY.month >= 9 else TODAY.year - 1
YEAR = f"{START}-{START + 1}"  # the school year of the test's today
NEXT_YEAR = f"{START + 1}-{START + 2}"
# A test already taken and an exam to come, both inside this school year.
TAKEN = max(date(START, 9, 1), TODAY - timedelta(days=1)).isoformat()
COMING = min(date(START + 1, 8, 31), TODAY + timedelta(days=10)).isoformat()


def staff(school: str) -> str:
    return token_for(Role.STAFF, f"dir.{school.lower()}", school)


def parent(children: tuple[str, ...] = (PUPIL,), username: str = GUARDIAN_CIN) -> str:
    from chalicelib.accounts.rules import Account, AccountStatus, Scope
    from chalicelib.accounts.sign_in.tokens import issue_access_token

    return issue_access_token(
        Account(username, Role.PARENT, AccountStatus.ACTIVE, Scope(), children=children)
    )


def pupil_token(massar: str = PUPIL) -> str:
    return token_for(Role.STUDENT, massar)


@pytest.fixture
def schools(api: Api, ops_token: str) -> Api:
    for school in (SCHOOL_A, SCHOOL_B):
        assert api.post("/v1/schools", school, token=ops_token).status_code == 201
    return api


def school_life(api: Api, school: str, class_id: str, massar: str) -> None:
    """What a school records about a class: subjects, a grid, a test with a mark, an absence."""
    token = staff(school)
    subjects = [
        {
            "level": "1AC",
            "subject": "MATH",
            "name_ar": "رياضيات",
            "name_fr": "Maths",
            "coefficient": "4",
        }
    ]
    assert (
        api.call(
            "PUT", f"/v1/schools/{school}/subjects", {"subjects": subjects}, token=token
        ).status_code
        == 200
    )
    grid = {"slots": [{"day": 1, "start": "08:00", "end": "09:00", "subject": "MATH"}]}
    answer = api.call(
        "PUT", f"/v1/schools/{school}/classes/{class_id}/timetable", grid, token=token
    )
    assert answer.status_code == 200, answer.body
    made = api.post(
        f"/v1/schools/{school}/classes/{class_id}/assessments",
        {
            "subject": "MATH",
            "kind": "continuous",
            "date": TAKEN,
            "semester": 1,
            "school_year": YEAR,
        },
        token=token,
    )
    assert made.status_code == 201, made.body
    marks = {"marks": [{"massar_code": massar, "mark": "15,5"}]}
    answer = api.call("PUT", f"/v1/assessments/{made.json_body['id']}/marks", marks, token=token)
    assert answer.status_code == 200, answer.body
    upcoming = COMING
    api.post(
        f"/v1/schools/{school}/classes/{class_id}/assessments",
        {
            "subject": "MATH",
            "kind": "local_exam",
            "date": upcoming,
            "semester": 1,
            "school_year": YEAR,
        },
        token=token,
    )
    sheet = {
        "date": casablanca_at(-1, 8).date().isoformat(),
        "session": "08:00-09:00",
        "absent": [{"massar_code": massar, "justified": False}],
    }
    answer = api.post(f"/v1/schools/{school}/classes/{class_id}/absences", sheet, token=token)
    assert answer.status_code == 200, answer.body


def every_view_works(api: Api, massar: str, reader: str, staff_token: str | None = None) -> None:
    """Marks, results, absences, timetable, exams, messages, appointments, guardians."""
    grades = api.get(f"/v1/students/{massar}/grades?school_year={YEAR}&semester=1", token=reader)
    assert grades.status_code == 200, grades.body
    assert [a["mark"] for s in grades.json_body["subjects"] for a in s["assessments"]] == ["15.50"]
    assert (
        api.get(f"/v1/students/{massar}/results?school_year={YEAR}", token=reader).json_body[
            "semester_1"
        ]
        == "15.50"
    )
    absences = api.get(f"/v1/students/{massar}/absences", token=reader)
    assert absences.status_code == 200 and len(absences.json_body["items"]) == 1
    timetable = api.get(f"/v1/students/{massar}/timetable", token=reader)
    assert timetable.status_code == 200 and timetable.json_body["slots"], timetable.body
    exams = api.get(f"/v1/students/{massar}/exams", token=reader)
    assert exams.status_code == 200 and exams.json_body["items"], exams.body
    sent = api.post(f"/v1/students/{massar}/messages", {"body": "Bonjour"}, token=reader)
    assert sent.status_code == 201, sent.body
    thread = api.get(f"/v1/students/{massar}/messages", token=reader)
    assert thread.status_code == 200 and thread.json_body["items"], thread.body
    asked = api.post(
        f"/v1/students/{massar}/appointments", {"purpose": "school_certificate"}, token=reader
    )
    assert asked.status_code == 201, asked.body
    guardians = api.get(f"/v1/students/{massar}/guardians", token=reader)
    assert guardians.status_code == 200 and guardians.json_body, guardians.body


def test_a_pupil_from_a_class_roster_has_the_whole_space(schools: Api) -> None:
    enrol(schools, staff(A), A, "1AC-1", [ROW])
    school_life(schools, A, "1AC-1", PUPIL)
    every_view_works(schools, PUPIL, pupil_token())
    every_view_works(schools, PUPIL, parent())
    inbox = schools.get(f"/v1/schools/{A}/messages", token=staff(A))
    assert inbox.status_code == 200 and inbox.json_body["items"]


def sheet(rows: list[dict[str, str]], columns: list[str]) -> str:
    lines = [",".join(columns)] + [",".join(r.get(c, "") for c in columns) for r in rows]
    return base64.b64encode("\n".join(lines).encode()).decode()


def test_a_pupil_from_a_roster_import_has_the_whole_space(schools: Api) -> None:
    put_class(schools, staff(A), A, "1AC-2")
    columns = ["massar_code", "class_id", *[k for k in ROW if k != "massar_code"]]
    content = sheet([{**ROW, "class_id": "1AC-2"}], columns)
    body = {"format": "csv", "content_base64": content}
    answer = schools.post(f"/v1/schools/{A}/roster-imports", body, token=staff(A))
    assert answer.status_code == 200, answer.body
    assert answer.json_body["written"] == 1
    assert answer.json_body["rows"][0]["status"] == "created"
    again = schools.post(f"/v1/schools/{A}/roster-imports", body, token=staff(A))
    assert again.json_body["written"] == 0 and again.json_body["rows"][0]["status"] == "unchanged"
    members = schools.get(f"/v1/schools/{A}/classes/1AC-2/pupils", token=staff(A))
    assert [m["massar_code"] for m in members.json_body["items"]] == [PUPIL]
    school_life(schools, A, "1AC-2", PUPIL)
    every_view_works(schools, PUPIL, pupil_token())
    every_view_works(schools, PUPIL, parent())


def test_a_bad_import_writes_nothing_and_reports_each_row(schools: Api) -> None:
    put_class(schools, staff(A), A, "1AC-1")
    rows = [
        {"massar_code": PUPIL, "class_id": "1AC-1"},
        {"massar_code": "nope", "class_id": "1AC-1"},
        {"massar_code": "J130000102", "class_id": "9Z-9"},
    ]
    body = {"format": "csv", "content_base64": sheet(rows, ["massar_code", "class_id"])}
    answer = schools.post(f"/v1/schools/{A}/roster-imports", body, token=staff(A))
    assert answer.status_code == 422, answer.body
    assert set(answer.json_body["error"]["fields"]) == {"rows.3.massar_code", "rows.4.class_id"}
    members = schools.get(f"/v1/schools/{A}/classes/1AC-1/pupils", token=staff(A))
    assert members.json_body["items"] == []


def test_an_approved_pre_registration_waits_for_a_class_then_has_the_whole_space(
    api: Api, ops_token: str
) -> None:
    from tests.registration_fixtures import SCHOOL, ready, staff_token, submit

    ready(api, ops_token)
    submitted = submit(api)
    assert submitted.status_code == 201, submitted.body
    approved = api.post(
        f"/v1/registrations/{submitted.json_body['id']}/approve", token=staff_token()
    )
    massar = approved.json_body["massar_code"]
    director = staff_token()
    awaiting = api.get(f"/v1/schools/{SCHOOL}/pupils/awaiting-class", token=director)
    assert [p["massar_code"] for p in awaiting.json_body["items"]] == [massar]
    api.call(
        "PUT",
        f"/v1/schools/{SCHOOL}/classes/1AP-1",
        {"label": "1AP-1", "level": "1AP"},
        token=director,
    )
    placed = api.call(
        "PUT",
        f"/v1/schools/{SCHOOL}/classes/1AP-1/pupils",
        {"pupils": [{"massar_code": massar}]},
        token=director,
    )
    assert placed.status_code == 200, placed.body
    [member] = placed.json_body["items"]
    assert member["first_name_lat"] == "Yassine" and member["guardian_role"] == "father"
    assert (
        api.get(f"/v1/schools/{SCHOOL}/pupils/awaiting-class", token=director).json_body["items"]
        == []
    )
    subjects = [
        {
            "level": "1AP",
            "subject": "MATH",
            "name_ar": "رياضيات",
            "name_fr": "Maths",
            "coefficient": "4",
        }
    ]
    api.call("PUT", f"/v1/schools/{SCHOOL}/subjects", {"subjects": subjects}, token=director)
    grid = {"slots": [{"day": 1, "start": "08:00", "end": "09:00", "subject": "MATH"}]}
    api.call("PUT", f"/v1/schools/{SCHOOL}/classes/1AP-1/timetable", grid, token=director)
    made = api.post(
        f"/v1/schools/{SCHOOL}/classes/1AP-1/assessments",
        {
            "subject": "MATH",
            "kind": "continuous",
            "date": TAKEN,
            "semester": 1,
            "school_year": YEAR,
        },
        token=director,
    )
    api.call(
        "PUT",
        f"/v1/assessments/{made.json_body['id']}/marks",
        {"marks": [{"massar_code": massar, "mark": "15,5"}]},
        token=director,
    )
    api.post(
        f"/v1/schools/{SCHOOL}/classes/1AP-1/assessments",
        {
            "subject": "MATH",
            "kind": "local_exam",
            "date": COMING,
            "semester": 1,
            "school_year": YEAR,
        },
        token=director,
    )
    absent = {
        "date": casablanca_at(-1, 8).date().isoformat(),
        "session": "08:00-09:00",
        "absent": [{"massar_code": massar, "justified": False}],
    }
    assert (
        api.post(f"/v1/schools/{SCHOOL}/classes/1AP-1/absences", absent, token=director).status_code
        == 200
    )
    father = parent((massar,), "BE123456")
    every_view_works(api, massar, father)


# --- alerts follow the contacts a parent gives ------------------------------------------


def confirmation_code(recipient: str) -> str:
    """The last code sent to confirm a new contact (read from the outbox, as the SMS has it)."""
    from chalicelib.core.models import OutboxModel
    from chalicelib.core.store import bound

    items = [
        i
        for i in bound(OutboxModel).by_recipient.query(recipient)
        if i.template == "contact_confirmation"
    ]
    items.sort(key=lambda i: i.created_at)
    return str(items[-1].secret_params.as_dict()["code"])  # type: ignore[union-attr]


def issue_and_activate_parent(
    api: Api, pump: Any, school: str, phone: str, confirm: bool = True
) -> str:
    """The school's batch issues the parent's letter; the parent activates with a phone and
    (unless `confirm` is False) types the code the phone received."""
    from tests.test_issuance import letters

    asked = api.post(f"/v1/schools/{school}/account-batches", {}, token=staff(school))
    assert asked.status_code == 202, asked.body
    pump.drain()
    batch = api.get(f"/v1/account-batches/{asked.json_body['id']}", token=staff(school)).json_body
    codes = letters(batch)
    answer = api.post(
        "/v1/auth/activate",
        {
            "username": GUARDIAN_CIN,
            "initial_code": codes[GUARDIAN_CIN],
            "new_password": STRONG,
            "phone": phone,
        },
    )
    assert answer.status_code == 200, answer.body
    token = str(answer.json_body["access_token"])
    if confirm:
        code = confirmation_code(answer_phone(phone))
        confirmed = api.post(
            "/v1/me/contacts/confirm", {"channel": "sms", "code": code}, token=token
        )
        assert confirmed.status_code == 200, confirmed.body
    return token


def answer_phone(phone: str) -> str:
    from chalicelib.core.identifiers import normalise_phone

    return normalise_phone(phone) or phone


def test_a_parent_who_gave_a_phone_at_activation_gets_the_absence_sms(
    schools: Api, pump: Any
) -> None:
    from chalicelib.pupils import store as pupils
    from devserver.outbox import sent_messages

    enrol(schools, staff(A), A, "1AC-1", [ROW])  # the roster gives no phone
    token = issue_and_activate_parent(schools, pump, A, "0661234567", confirm=False)
    # Not proved yet: a mistyped number must not receive the child's alerts.
    guardians = pupils.get_record(PUPIL).guardians  # type: ignore[union-attr]
    assert all(g.get("phone") != "+212661234567" for g in guardians.values())
    code = confirmation_code("+212661234567")
    confirmed = schools.post(
        "/v1/me/contacts/confirm", {"channel": "sms", "code": code}, token=token
    )
    assert confirmed.status_code == 200, confirmed.body
    absent = {
        "date": casablanca_at(-1, 8).date().isoformat(),
        "session": "10:00-11:00",
        "absent": [{"massar_code": PUPIL, "justified": False}],
    }
    answer = schools.post(f"/v1/schools/{A}/classes/1AC-1/absences", absent, token=staff(A))
    assert answer.status_code == 200 and answer.json_body["absences"][0]["alerted"], answer.body
    pump.drain()
    sms = [m for m in sent_messages() if m["channel"] == "sms" and m["to"] == "+212661234567"]
    alerts = [m for m in sms if "Amina" in m["body"]]
    assert len(alerts) == 1 and len(sms) == 2  # the confirmation code, then the alert


# --- the chain: what school B reaches by writing at school B -----------------------------


def test_school_b_reaches_nothing_of_school_a_through_its_own_writes(
    schools: Api, pump: Any
) -> None:
    from chalicelib.pupils import store as pupils

    enrol(schools, staff(A), A, "1AC-1", [ROW])
    school_life(schools, A, "1AC-1", PUPIL)
    parent_session = issue_and_activate_parent(schools, pump, A, "0661234567")
    before = pupils.get_record(PUPIL)
    b = staff(B)
    put_class(schools, b, B, "1AC-9")

    # Enrol A's pupil, with any guardian CIN: refused, naming the transfer; nothing written.
    hijack = {"massar_code": PUPIL, "guardian_cin": "ZZ999999", "first_name_lat": "X"}
    answer = schools.call(
        "PUT", f"/v1/schools/{B}/classes/1AC-9/pupils", {"pupils": [hijack]}, token=b
    )
    assert answer.status_code == 409, answer.body
    assert answer.json_body["error"]["code"] == "pupil_enrolled_elsewhere"
    assert "transfert" in answer.json_body["error"]["message"]
    assert "pupils.0.massar_code" in answer.json_body["error"]["fields"]
    assert "Amina" not in answer.body.decode()
    content = sheet([{**hijack, "class_id": "1AC-9"}], ["massar_code", "class_id", "guardian_cin"])
    imported = schools.post(
        f"/v1/schools/{B}/roster-imports", {"format": "csv", "content_base64": content}, token=b
    )
    assert imported.status_code == 422 and imported.json_body["written"] == 0
    assert pupils.get_record(PUPIL) == before
    assert schools.get(f"/v1/schools/{B}/classes/1AC-9/pupils", token=b).json_body["items"] == []

    # Read, alert about, mark: nothing.
    for path in (
        f"grades?school_year={YEAR}&semester=1",
        f"results?school_year={YEAR}",
        "absences",
        "timetable",
        "exams",
        "messages",
        "guardians",
        "appointments",
        "decisions",
    ):
        assert schools.get(f"/v1/students/{PUPIL}/{path}", token=b).status_code == 404, path
    absent = {
        "date": casablanca_at(-1, 8).date().isoformat(),
        "session": "08:00-09:00",
        "absent": [{"massar_code": PUPIL, "justified": False}],
    }
    assert schools.post(f"/v1/schools/{B}/classes/1AC-9/absences", absent, token=b).status_code in (
        404,
        422,
    )
    assert schools.post(f"/v1/students/{PUPIL}/messages", {"body": "x"}, token=b).status_code == 404

    subjects = [
        {"level": "1AC", "subject": "MATH", "name_ar": "ر", "name_fr": "M", "coefficient": "2"}
    ]
    schools.call("PUT", f"/v1/schools/{B}/subjects", {"subjects": subjects}, token=b)
    test = schools.post(
        f"/v1/schools/{B}/classes/1AC-9/assessments",
        {
            "subject": "MATH",
            "kind": "continuous",
            "date": TAKEN,
            "semester": 1,
            "school_year": YEAR,
        },
        token=b,
    )
    assert test.status_code == 201, test.body
    marked = schools.call(
        "PUT",
        f"/v1/assessments/{test.json_body['id']}/marks",
        {"marks": [{"massar_code": PUPIL, "mark": "2"}]},
        token=b,
    )
    assert marked.status_code == 422, marked.body
    grades = schools.get(
        f"/v1/students/{PUPIL}/grades?school_year={YEAR}&semester=1", token=parent()
    )
    assert grades.json_body["average"] == "15.50"  # A's mark alone

    # B's own new pupil names A's parent as guardian: the batch never touches that account.
    own = {"massar_code": "J130000999", "first_name_lat": "Omar", "guardian_cin": GUARDIAN_CIN}
    enrol(schools, b, B, "1AC-9", [own])
    asked = schools.post(f"/v1/schools/{B}/account-batches", {}, token=b)
    pump.drain()
    batch = schools.get(f"/v1/account-batches/{asked.json_body['id']}", token=b).json_body
    from tests.test_issuance import letters

    printed = letters(batch)
    assert GUARDIAN_CIN not in printed and PUPIL not in printed
    assert set(printed) == {"J130000999"}  # the pupil's own account only
    me = schools.get("/v1/me", token=parent_session).json_body
    assert [c["massar_code"] for c in me["children"]] == [PUPIL]
    # The parent still signs in with their own password; B restores nobody's code.
    login = schools.post("/v1/auth/login", {"username": GUARDIAN_CIN, "password": STRONG})
    assert login.status_code == 200
    for username in (PUPIL, GUARDIAN_CIN):
        assert schools.post(f"/v1/accounts/{username}/initial-code", token=b).status_code == 404
        assert schools.get(f"/v1/accounts/{username}/audit", token=b).status_code in (403, 404)


# --- transfers, year-end decisions, re-registration --------------------------------------


def test_a_transfer_moves_the_record_and_keeps_the_history_for_the_family(
    schools: Api, pump: Any
) -> None:
    from devserver.outbox import sent_messages

    enrol(schools, staff(A), A, "1AC-1", [{**ROW, "guardian_phone": "0661234567"}])
    school_life(schools, A, "1AC-1", PUPIL)
    put_class(schools, staff(B), B, "1AC-3")
    asked = schools.post(
        f"/v1/schools/{B}/transfers", {"massar_code": PUPIL, "class_id": "1AC-3"}, token=staff(B)
    )
    assert asked.status_code == 201, asked.body
    transfer = asked.json_body
    assert transfer["status"] == "requested" and transfer["from_school"] == A
    again = schools.post(f"/v1/schools/{B}/transfers", {"massar_code": PUPIL}, token=staff(B))
    assert again.status_code == 409
    assert again.json_body["error"]["code"] == "transfer_already_open"
    outgoing = schools.get(f"/v1/schools/{A}/transfers?direction=outgoing", token=staff(A))
    assert [t["id"] for t in outgoing.json_body["items"]] == [transfer["id"]]
    assert outgoing.json_body["items"][0]["first_name_lat"] == "Amina"  # A's own pupil
    incoming = schools.get(f"/v1/schools/{B}/transfers", token=staff(B)).json_body["items"]
    assert "first_name_lat" not in incoming[0]  # B learns no name before the release
    # The receiving school cannot release it itself.
    assert (
        schools.post(f"/v1/transfers/{transfer['id']}/release", token=staff(B)).status_code == 403
    )
    released = schools.post(f"/v1/transfers/{transfer['id']}/release", token=staff(A))
    assert released.status_code == 200 and released.json_body["status"] == "released"
    assert (
        schools.post(
            f"/v1/transfers/{transfer['id']}/refuse", {"reason": "x"}, token=staff(A)
        ).status_code
        == 409
    )

    assert schools.get(f"/v1/students/{PUPIL}/absences", token=staff(A)).status_code == 404
    assert (
        schools.get(f"/v1/schools/{A}/classes/1AC-1/pupils", token=staff(A)).json_body["items"]
        == []
    )
    members = schools.get(f"/v1/schools/{B}/classes/1AC-3/pupils", token=staff(B)).json_body
    assert [m["massar_code"] for m in members["items"]] == [PUPIL]
    assert schools.get(f"/v1/students/{PUPIL}/absences", token=staff(B)).status_code == 200
    # The family still reads last school's marks.
    grades = schools.get(
        f"/v1/students/{PUPIL}/grades?school_year={YEAR}&semester=1", token=parent()
    )
    assert grades.json_body["average"] == "15.50"
    pump.drain()
    [notice] = [
        m
        for m in sent_messages()
        if m["to"] == "+212661234567" and ("transfert" in m["body"] or "انتقال" in m["body"])
    ]
    assert "Al Farabi" in notice["body"] or "الفارابي" in notice["body"]


def test_a_refused_transfer_needs_a_reason_and_changes_nothing(schools: Api) -> None:
    enrol(schools, staff(A), A, "1AC-1", [ROW])
    asked = schools.post(f"/v1/schools/{B}/transfers", {"massar_code": PUPIL}, token=staff(B))
    transfer = asked.json_body["id"]
    assert schools.post(f"/v1/transfers/{transfer}/refuse", {}, token=staff(A)).status_code == 422
    refused = schools.post(
        f"/v1/transfers/{transfer}/refuse", {"reason": "Dossier incomplet"}, token=staff(A)
    )
    assert refused.status_code == 200 and refused.json_body["reason"] == "Dossier incomplet"
    assert schools.get(f"/v1/students/{PUPIL}/absences", token=staff(A)).status_code == 200
    incoming = schools.get(f"/v1/schools/{B}/transfers", token=staff(B)).json_body["items"]
    assert incoming[0]["status"] == "refused"
    # A new request may follow the refusal.
    assert (
        schools.post(
            f"/v1/schools/{B}/transfers", {"massar_code": PUPIL}, token=staff(B)
        ).status_code
        == 201
    )


def test_year_end_decisions_re_registration_and_next_years_class(schools: Api) -> None:
    enrol(schools, staff(A), A, "1AC-1", [ROW, {"massar_code": "J130000102"}])
    school_life(schools, A, "1AC-1", PUPIL)
    decided = schools.call(
        "PUT",
        f"/v1/schools/{A}/classes/1AC-1/decisions",
        {
            "school_year": YEAR,
            "decisions": [
                {"massar_code": PUPIL, "decision": "promoted"},
                {"massar_code": "J130000102", "decision": "leaves"},
            ],
        },
        token=staff(A),
    )
    assert decided.status_code == 200, decided.body
    assert decided.json_body["items"][0]["next_level"] == "2AC"
    sheet_ = schools.get(
        f"/v1/schools/{A}/classes/1AC-1/decisions?school_year={YEAR}", token=staff(A)
    ).json_body["items"]
    assert [(d["massar_code"], d["decision"]) for d in sheet_] == [
        (PUPIL, "promoted"),
        ("J130000102", "leaves"),
    ]
    assert (
        schools.get(
            f"/v1/schools/{A}/classes/1AC-1/decisions?school_year={YEAR}", token=staff(B)
        ).status_code
        == 404
    )
    seen = schools.get(f"/v1/students/{PUPIL}/decisions", token=parent()).json_body["items"]
    assert seen[0]["decision"] == "promoted" and seen[0]["school_year"] == YEAR

    far = f"{START + 4}-{START + 5}"
    wrong_year = schools.post(
        f"/v1/students/{PUPIL}/reregistration", {"school_year": far}, token=parent()
    )
    assert wrong_year.status_code == 422
    assert (
        schools.post(
            f"/v1/students/{PUPIL}/reregistration",
            {"school_year": NEXT_YEAR},
            token=pupil_token(),
        ).status_code
        == 403
    )
    confirmed = schools.post(
        f"/v1/students/{PUPIL}/reregistration", {"school_year": NEXT_YEAR}, token=parent()
    )
    assert confirmed.status_code == 201, confirmed.body
    listed = schools.get(
        f"/v1/schools/{A}/reregistrations?school_year={NEXT_YEAR}", token=staff(A)
    ).json_body["items"]
    assert [r["massar_code"] for r in listed] == [PUPIL]

    # Next year's class: the pupil moves in; the new year starts empty of marks.
    schools.call(
        "PUT",
        f"/v1/schools/{A}/classes/2AC-1",
        {"label": "2AC-1", "level": "2AC", "school_year": NEXT_YEAR},
        token=staff(A),
    )
    enrol(schools, staff(A), A, "2AC-1", [{"massar_code": PUPIL}])
    assert (
        schools.get(f"/v1/schools/{A}/classes/1AC-1/pupils", token=staff(A)).json_body["items"][0][
            "massar_code"
        ]
        == "J130000102"
    )
    new_year = schools.get(
        f"/v1/students/{PUPIL}/grades?school_year={NEXT_YEAR}&semester=1", token=parent()
    )
    assert new_year.json_body["subjects"] == []
    old_year = schools.get(
        f"/v1/students/{PUPIL}/grades?school_year={YEAR}&semester=1", token=parent()
    )
    assert old_year.json_body["average"] == "15.50"
    # The pupil who left is free: another school enrols them directly.
    enrol(schools, staff(B), B, "1AC-3", [{"massar_code": "J130000102"}])
