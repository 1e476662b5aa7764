"""A drop in marks tells the parents once (issue 17, seed 002): a sheet of a class's marks
alerts each pupil whose subject average falls below MARKS_ALERT_BELOW, or MARKS_ALERT_DROP
points under the previous semester's, at most once per pupil and subject; entering the sheet
again sends nothing new, and only a recovery re-arms the alert. Quiet hours, the message
budget and the parents' preferences apply."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from chalicelib.accounts.rules import Account, AccountStatus, Role, Scope
from chalicelib.accounts.sign_in.tokens import issue_access_token
from tests.account_fixtures import token_for
from tests.clock import casablanca_on, casablanca_today
from tests.conftest import Api
from tests.enrolment_fixtures import enrol
from tests.notifications_support import make_visible, queue_messages, sent, use_settings

SCHOOL = "SC0001"
CLASS = "1AC-1"
YEAR = "2024-2025"  # a past school year: its dates are always in the past
PUPILS = [f"J1300{n:05d}" for n in range(100, 130)]  # 30 pupils
PHONES = {code: f"+2126123{n:05d}" for n, code in enumerate(PUPILS)}
SUBJECTS = [
    {"level": "1AC", "subject": "MATH", "name_ar": "الرياضيات", "name_fr": "Mathématiques",
     "coefficient": 4},
]  # fmt: skip


def staff() -> str:
    return token_for(Role.STAFF, "staff.sc0001", SCHOOL)


@pytest.fixture
def school(api: Api, monkeypatch: pytest.MonkeyPatch) -> Api:
    use_settings(monkeypatch, QUIET_HOURS="off")
    rows = [
        {
            "massar_code": code,
            "first_name_lat": f"Eleve{n}",
            "last_name_lat": "Test",
            "guardian_role": "father",
            "guardian_cin": f"AB{100000 + n}",
            "guardian_phone": PHONES[code],
        }
        for n, code in enumerate(PUPILS)
    ]
    enrol(api, staff(), SCHOOL, CLASS, rows)
    answer = api.call(
        "PUT", f"/v1/schools/{SCHOOL}/subjects", {"subjects": SUBJECTS}, token=staff()
    )
    assert answer.status_code == 200, answer.body
    return api


def assessment(api: Api, semester: int, day: str) -> str:
    body = {
        "subject": "MATH",
        "kind": "continuous",
        "date": day,
        "semester": semester,
        "school_year": YEAR,
    }
    answer = api.post(f"/v1/schools/{SCHOOL}/classes/{CLASS}/assessments", body, token=staff())
    assert answer.status_code == 201, answer.body
    return str(answer.json_body["id"])


def put_marks(api: Api, assessment_id: str, marks: dict[str, str]) -> None:
    rows = [{"massar_code": code, "mark": mark} for code, mark in marks.items()]
    answer = api.call(
        "PUT", f"/v1/assessments/{assessment_id}/marks", {"marks": rows}, token=staff()
    )
    assert answer.status_code == 200, answer.body


def alerts() -> list[dict[str, Any]]:
    return [m for m in sent("sms") if "moyenne de" in m["body"]]


def test_a_sheet_of_many_marks_alerts_once_per_pupil_and_again_only_after_recovery(
    school: Api, pump: Any
) -> None:
    first = assessment(school, 1, "2024-11-10")
    low = PUPILS[:3]
    # 30 pupils at once: three fall below 10, the others do fine.
    put_marks(school, first, {c: ("7.50" if c in low else "14") for c in PUPILS})
    pump.drain()
    assert sorted(m["to"] for m in alerts()) == sorted(PHONES[c] for c in low)
    [one] = [m for m in alerts() if m["to"] == PHONES[low[0]]]
    assert "7.50/20" in one["body"]

    # The same sheet again, and a second low mark: no new alert for the same subject.
    put_marks(school, first, {c: ("7.50" if c in low else "14") for c in PUPILS})
    second = assessment(school, 1, "2024-11-20")
    put_marks(school, second, {c: "6" for c in low})
    pump.drain()
    assert len(alerts()) == 3

    # Recovery (average 12.50) re-arms it; falling again alerts again, once.
    put_marks(school, second, {low[0]: "17.50"})
    third = assessment(school, 1, "2024-12-01")
    put_marks(school, third, {low[0]: "0"})  # (7.5 + 17.5 + 0) / 3 = 8.33
    pump.drain()
    assert [m["to"] for m in alerts()].count(PHONES[low[0]]) == 2


def test_a_drop_from_the_previous_semester_alerts(school: Api, pump: Any) -> None:
    code = PUPILS[5]
    put_marks(school, assessment(school, 1, "2024-11-10"), {code: "16"})
    put_marks(school, assessment(school, 2, "2025-03-10"), {code: "12.50"})  # 3.5 down
    pump.drain()
    [sms] = alerts()
    assert sms["to"] == PHONES[code] and "16.00" in sms["body"] and "12.50" in sms["body"]


def test_thresholds_are_settings(school: Api, pump: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    use_settings(monkeypatch, QUIET_HOURS="off", MARKS_ALERT_BELOW="8", MARKS_ALERT_DROP="5")
    code = PUPILS[6]
    put_marks(school, assessment(school, 1, "2024-11-10"), {code: "16"})
    put_marks(school, assessment(school, 2, "2025-03-10"), {code: "9"})  # 7 down, not < 8
    pump.drain()
    assert [m["to"] for m in alerts()] == [PHONES[code]]
    code = PUPILS[7]
    put_marks(school, assessment(school, 1, "2024-11-11"), {code: "12"})
    put_marks(school, assessment(school, 2, "2025-03-11"), {code: "9"})  # 3 down, ≥ 8
    pump.drain()
    assert [m["to"] for m in alerts()] == [PHONES[PUPILS[6]]]


def test_the_alert_waits_for_the_end_of_quiet_hours(
    school: Api, pump: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalicelib.core.config import settings

    use_settings(monkeypatch, QUIET_HOURS="21:00-07:00")
    night = casablanca_on(casablanca_today(), 23)
    monkeypatch.setattr("chalicelib.notifications.delivery.now", lambda: night)
    put_marks(school, assessment(school, 1, "2024-11-10"), {PUPILS[0]: "5"})
    pump.drain()
    assert alerts() == []
    [held] = queue_messages(settings().notify_queue_url)
    assert held["body"]["template"] == "marks_drop"
    morning = casablanca_on(casablanca_today(1), 7) + timedelta(seconds=1)
    monkeypatch.setattr("chalicelib.notifications.delivery.now", lambda: morning)
    make_visible(settings().notify_queue_url)
    pump.drain()
    assert [m["to"] for m in alerts()] == [PHONES[PUPILS[0]]]


def test_a_parent_who_switched_marks_drop_off_gets_nothing(school: Api, pump: Any) -> None:
    code = PUPILS[0]
    parent = issue_access_token(
        Account("AB100000", Role.PARENT, AccountStatus.ACTIVE, Scope(), children=(code,))
    )
    body = {"preferences": {"marks_drop": {"email": False, "sms": False}}}
    answer = school.call("PUT", "/v1/me/notification-preferences", body, token=parent)
    assert answer.status_code == 200, answer.body
    put_marks(school, assessment(school, 1, "2024-11-10"), {code: "5", PUPILS[1]: "5"})
    pump.drain()
    assert [m["to"] for m in alerts()] == [PHONES[PUPILS[1]]]


def test_a_marker_set_meanwhile_leaves_that_alert_out_and_writes_the_rest(school: Api) -> None:
    """Two sheets entered at once: the second to commit finds the first's marker and
    sends nothing for that pupil (the conditional marker), the other pupils' alerts go."""
    from chalicelib.notifications.rules import Channel, Language, Notification
    from chalicelib.notifications.store import get_record
    from chalicelib.school_life.marks import alerts_store as store

    sk = store.marker_sk(YEAR, 1, "MATH")

    def change(code: str) -> store.MarkerChange:
        alert = Notification(f"t-{code}", "marks_drop", Channel.SMS, PHONES[code], Language.FR)
        return store.MarkerChange(code, sk, True, alert, {"reason": "below"})

    assert store.commit([change(PUPILS[0])])  # the first sheet
    written = store.commit([change(PUPILS[0]), change(PUPILS[1])])
    assert [c.massar_code for c in written] == [PUPILS[1]]
    assert get_record(f"t-{PUPILS[1]}") is not None
    assert store.markers(PUPILS[:3], sk) == {PUPILS[0], PUPILS[1]}
