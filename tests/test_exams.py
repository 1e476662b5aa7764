"""National and regional exams (issue 17), through the API: who publishes and who reads,
the results' publication time, one DynamoDB read per result, imports' per-row reports and
retries that create nothing twice."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest

from chalicelib.core.clock import now
from tests.conftest import Api
from tests.exams_fixtures import (
    NATIONAL,
    candidate_row,
    candidates_file,
    operator,
    publish,
    results_file,
    session_body,
    session_with_result,
)
from tests.space_fixtures import CALLERS, OTHER_PUPIL, PUPIL, seed_world, token


@pytest.fixture
def world(api: Api) -> None:
    seed_world()


def _later(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    """The app's clock at `moment` for the exams (the access tokens keep the real one)."""
    monkeypatch.setattr("chalicelib.exams.service.now", lambda: moment)
    monkeypatch.setattr("chalicelib.exams.imports.now", lambda: moment)


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[], list[str]]]:
    from pynamodb.connection.base import Connection

    seen: list[str] = []
    original = Connection._make_api_call

    def counting(self: Any, operation_name: str, *args: Any, **kwargs: Any) -> Any:
        seen.append(operation_name)
        return original(self, operation_name, *args, **kwargs)

    monkeypatch.setattr(Connection, "_make_api_call", counting)

    def take() -> list[str]:
        found = list(seen)
        seen.clear()
        return found

    yield take


# --- Publishing: who may ------------------------------------------------------------------


def test_an_academys_operator_publishes_its_regional_exam_and_no_other(
    api: Api, world: None
) -> None:
    later = now() + timedelta(days=3)
    assert (
        api.post("/v1/exam-sessions", session_body(later), token=operator("04")).status_code == 404
    )
    province = operator("03", "03.231")
    assert api.post("/v1/exam-sessions", session_body(later), token=province).status_code == 404
    staff = token("staff of the school")
    assert api.post("/v1/exam-sessions", session_body(later), token=staff).status_code == 403
    national = session_body(later, kind="national", level="2BAC", academy=None)
    assert api.post("/v1/exam-sessions", national, token=operator("03")).status_code == 404
    answer = api.post("/v1/exam-sessions", session_body(later), token=operator("03"))
    assert answer.status_code == 201, answer.body
    assert answer.json_body["id"] == "regional-2025-2026-3AC-03"
    assert answer.json_body["tracks"] == ["GEN"]
    answer = api.post("/v1/exam-sessions", national, token=operator())
    assert answer.status_code == 201, answer.body
    assert answer.json_body["id"] == NATIONAL


def test_publishing_the_same_session_again_writes_nothing_twice(api: Api, world: None) -> None:
    body = session_body(now() + timedelta(days=3))
    first = api.post("/v1/exam-sessions", body, token=operator("03"))
    again = api.post("/v1/exam-sessions", body, token=operator())
    assert (first.json_body["result"], again.json_body["result"]) == ("created", "unchanged")
    changed = {**body, "name_fr": "Autre"}
    assert api.post("/v1/exam-sessions", changed, token=operator()).status_code == 409
    keyed = {"Idempotency-Key": "exam-1"}
    replay = [
        api.post("/v1/exam-sessions", body, token=operator("03"), headers=keyed) for _ in (1, 2)
    ]
    assert replay[0].json_body == replay[1].json_body


def test_a_calendar_file_is_checked_row_by_row_and_nothing_is_kept_if_one_is_wrong(
    api: Api, world: None
) -> None:
    from tests.exams_fixtures import csv64

    calendar = csv64(
        [
            "track,subject,name_ar,name_fr,date,starts_at,ends_at",
            "GEN,PC,الفيزياء,Physique,2026-06-11,08:30,10:30",
            "GEN,SVT,علوم الحياة,SVT,2026-06-11,10:00,11:00",  # overlaps PC
            "GEN,FR,الفرنسية,Français,2026-13-01,08:30,10:30",  # no such month
        ]
    )
    body = session_body(
        now() + timedelta(days=3), calendar={"format": "csv", "content_base64": calendar}
    )
    answer = api.post("/v1/exam-sessions", body, token=operator("03"))
    assert answer.status_code == 422, answer.body
    rows = {row["row"]: row for row in answer.json_body["rows"]}
    assert rows[6]["status"] == "error" and "date" in rows[6]["errors"]
    assert "rows.6.date" in answer.json_body["error"]["fields"]
    assert (
        api.get("/v1/exam-sessions/regional-2025-2026-3AC-03", token=operator()).status_code == 404
    )


# --- Candidates and results imports --------------------------------------------------------


def test_the_candidates_import_reports_each_row_and_a_retry_creates_nothing(
    api: Api, world: None
) -> None:
    ops = operator("03")
    session = publish(api, ops)["id"]
    path = f"/v1/exam-sessions/{session}/candidates"
    file = candidates_file(
        candidate_row(),
        candidate_row("X000000000", "301002"),  # no such pupil
        candidate_row(OTHER_PUPIL, "301003"),  # at a school of no known academy
        candidate_row("bad", "301004"),
        candidate_row(PUPIL, "301005"),  # repeated
        candidate_row("J130000001", "301006", track="SM"),  # no such track
    )
    answer = api.post(path, file, token=ops, headers={"Accept-Language": "fr"})
    assert answer.status_code == 200, answer.body
    report = answer.json_body
    assert (report["created"], report["failed"]) == (1, 5), report["rows"]
    errors = {row["row"]: row.get("errors") for row in report["rows"]}
    assert errors[2] is None
    assert "aucun élève" in errors[3]["massar_code"]
    assert "périmètre" in errors[4]["massar_code"]
    assert set(errors[5]) == {"massar_code"}
    assert set(errors[6]) == {"massar_code"}
    assert set(errors[7]) == {"track"}
    again = api.post(path, file, token=ops).json_body
    assert (again["created"], again["unchanged"], again["updated"]) == (0, 1, 0)
    moved = api.post(path, candidates_file(candidate_row(number="301099")), token=ops).json_body
    assert moved["updated"] == 1
    exam = api.get(f"/v1/students/{PUPIL}/exams/national/{session}", token=token("the pupil"))
    assert exam.json_body["candidate_number"] == "301099"
    assert [s["subject"] for s in exam.json_body["calendar"]] == ["MATH", "AR"]
    assert exam.json_body["centre"]["code"] == "CE0301"
    # Another academy's operator does not see the session at all.
    assert api.post(path, file, token=operator("04")).status_code == 404


def test_the_results_import_reports_each_row_and_a_retry_creates_nothing(
    api: Api, world: None
) -> None:
    ops = operator("03")
    session = session_with_result(api)
    path = f"/v1/exam-sessions/{session}/results"
    file = results_file(
        f"{PUPIL},15.25,admitted,bien",
        f"{OTHER_PUPIL},12,admitted,",  # not a candidate
        f"{PUPIL},21,admitted,",  # repeated (and out of 20)
        "J130000001,,maybe,",
    )
    report = api.post(path, file, token=ops).json_body
    assert (report["unchanged"], report["failed"], report["created"]) == (1, 3, 0), report
    codes = {row["row"]: row.get("errors") for row in report["rows"]}
    assert set(codes[3]) == {"massar_code"} and set(codes[5]) >= {"decision"}
    assert set(codes[4]) == {"average"}


def test_a_shown_result_never_changes(
    api: Api, world: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = session_with_result(api)
    _later(monkeypatch, now() + timedelta(days=3))
    path = f"/v1/exam-sessions/{session}/results"
    report = api.post(path, results_file(f"{PUPIL},9.5,resit,"), token=operator("03")).json_body
    assert report["failed"] == 1 and "decision" in report["rows"][0]["errors"]
    answer = api.get(
        f"/v1/students/{PUPIL}/exams/national/{session}/result", token=token("the pupil")
    )
    assert answer.json_body["result"]["average"] == "15.25"


# --- Reading: who, and when ----------------------------------------------------------------

READERS = {"the pupil", "a linked parent", "staff of the school"}


@pytest.mark.parametrize("caller", sorted(CALLERS))
def test_who_reads_the_pupils_exam(
    api: Api, world: None, monkeypatch: pytest.MonkeyPatch, caller: str
) -> None:
    session = session_with_result(api)
    _later(monkeypatch, now() + timedelta(days=3))
    bearer = CALLERS[caller]()
    base = f"/v1/students/{PUPIL}/exams/national"
    paths = [base, f"{base}/{session}", f"{base}/{session}/result", f"{base}/{session}/convocation"]
    for path in paths:
        status = api.get(path, token=bearer).status_code
        if caller in READERS:
            assert status == 200, (caller, path)
        else:
            assert status == (401 if bearer is None else 404), (caller, path, status)


def test_before_results_at_nothing_of_the_result_shows(
    api: Api, world: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = session_with_result(api, results_in=timedelta(hours=2))
    pupil = token("the pupil")
    base = f"/v1/students/{PUPIL}/exams/national/{session}"
    early = api.get(f"{base}/result", token=pupil)
    assert early.status_code == 404
    assert early.json_body["error"]["code"] == "result_not_published"
    assert early.headers["Cache-Control"] == "no-store"
    exam = api.get(base, token=pupil).json_body
    assert exam["result_status"] == "not_yet" and "result" not in exam
    listed = api.get(f"/v1/students/{PUPIL}/exams/national", token=pupil).json_body["items"]
    assert [e["result_status"] for e in listed] == ["not_yet"]
    assert "15.25" not in str(listed) and "admitted" not in str(listed)
    _later(monkeypatch, now() + timedelta(hours=2, seconds=1))
    answer = api.get(f"{base}/result", token=pupil)
    assert answer.status_code == 200
    assert answer.json_body["result"] == {
        "decision": "admitted",
        "average": "15.25",
        "mention": "bien",
    }
    assert answer.headers["Cache-Control"] == "private, max-age=3600"
    assert api.get(base, token=pupil).json_body["result_status"] == "published"


def test_a_result_is_one_dynamodb_read_for_the_pupil_and_the_parent(
    api: Api, world: None, monkeypatch: pytest.MonkeyPatch, counted: Callable[[], list[str]]
) -> None:
    session = session_with_result(api)
    _later(monkeypatch, now() + timedelta(days=3))
    for caller in ("the pupil", "a linked parent"):
        bearer = token(caller)
        counted()
        answer = api.get(f"/v1/students/{PUPIL}/exams/national/{session}/result", token=bearer)
        assert answer.status_code == 200
        assert counted() == ["GetItem"], caller


def test_the_convocation_is_a_pdf_behind_a_short_lived_link(api: Api, world: None) -> None:
    from chalicelib.core import files

    session = session_with_result(api)
    answer = api.get(
        f"/v1/students/{PUPIL}/exams/national/{session}/convocation", token=token("a linked parent")
    )
    assert answer.status_code == 200, answer.body
    assert answer.json_body["expires_in"] == files.LETTER_URL_SECONDS
    key = answer.json_body["url"].split("?")[0].split("/", 3)[-1]
    assert key.startswith(f"convocations/{session}/{PUPIL}-") and key.endswith(".pdf"), key
    import pypdfium2

    text = pypdfium2.PdfDocument(files.read(key))[0].get_textpage().get_text_range()
    for shown in ("استدعاء لاجتياز الامتحان", "Convocation à l'examen", "أمينة", "301001"):
        assert shown in text, shown
    assert "الرياضيات" in text and "08:30-10:30" in text
    again = api.get(
        f"/v1/students/{PUPIL}/exams/national/{session}/convocation", token=token("the pupil")
    )
    assert again.json_body["url"].split("?")[0] == answer.json_body["url"].split("?")[0]
    assert (
        api.get(
            f"/v1/students/{PUPIL}/exams/national/{NATIONAL}/convocation", token=token("the pupil")
        ).status_code
        == 404
    )


def test_candidates_come_from_an_xlsx_sheet_too_and_a_dry_run_writes_nothing(
    api: Api, world: None
) -> None:
    import base64
    import io

    from openpyxl import Workbook

    from tests.exams_fixtures import CENTRE

    ops = operator("03")
    session = publish(api, ops)["id"]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    from chalicelib.exams.rules import CANDIDATE_COLUMNS

    sheet.append(list(CANDIDATE_COLUMNS))
    sheet.append([PUPIL, "gen", CENTRE[0], CENTRE[1], CENTRE[2], 301001])
    out = io.BytesIO()
    book.save(out)
    body = {"format": "xlsx", "content_base64": base64.b64encode(out.getvalue()).decode()}
    path = f"/v1/exam-sessions/{session}/candidates"
    dry = api.post(path, {**body, "dry_run": True}, token=ops).json_body
    assert (dry["dry_run"], dry["created"]) == (True, 1), dry
    pupil = token("the pupil")
    assert api.get(f"/v1/students/{PUPIL}/exams/national/{session}", token=pupil).status_code == 404
    assert api.post(path, body, token=operator("03", "03.231")).status_code == 404
    assert api.post(path, body, token=ops).json_body["created"] == 1
    exam = api.get(f"/v1/students/{PUPIL}/exams/national/{session}", token=pupil).json_body
    assert (exam["track"], exam["candidate_number"]) == ("GEN", "301001")


def test_an_import_makes_one_write_call_per_25_candidates(
    api: Api, world: None, counted: Callable[[], list[str]]
) -> None:
    import math

    from tests.enrolment_fixtures import record_at

    ops = operator("03")
    session = publish(api, ops)["id"]
    codes = [f"J2{n:08d}" for n in range(60)]
    for code in codes:
        record_at(code, "SC0001")
    rows = [candidate_row(code, str(500000 + n)) for n, code in enumerate(codes)]
    counted()
    report = api.post(f"/v1/exam-sessions/{session}/candidates", candidates_file(*rows), token=ops)
    assert report.json_body["created"] == 60, report.body
    calls = counted()
    assert calls.count("BatchWriteItem") == math.ceil(60 / 25), calls
    # The session, then one BatchGetItem each for the records, the schools, the exam items.
    assert calls.count("BatchGetItem") == 3 and calls.count("GetItem") == 1, calls
    assert len(calls) == 1 + 3 + 3, calls


def test_operators_list_the_years_sessions_of_their_scope(api: Api, world: None) -> None:
    later = now() + timedelta(days=3)
    api.post("/v1/exam-sessions", session_body(later), token=operator("03"))
    national = session_body(later, kind="national", level="2BAC", academy=None)
    api.post("/v1/exam-sessions", national, token=operator())
    path = "/v1/exam-sessions?school_year=2025-2026"

    def ids(bearer: str) -> list[str]:
        answer = api.get(path, token=bearer)
        assert answer.status_code == 200, answer.body
        return [s["id"] for s in answer.json_body["items"]]

    assert ids(operator()) == [NATIONAL, "regional-2025-2026-3AC-03"]
    assert ids(operator("03")) == ["regional-2025-2026-3AC-03"]
    assert ids(operator("04")) == []
    assert api.get("/v1/exam-sessions?school_year=2025", token=operator()).status_code == 422
    assert api.get(path, token=token("a linked parent")).status_code == 403
