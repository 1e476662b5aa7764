"""Issue 16, the desk's absences and the pupil's audit: a wrongly recorded absence cancelled
(the guardian who got the alert is told, in their language), absences audited as marks are
(recording, decisions, cancellation), the school's pending justifications in one list, the
audit of a pupil's marks, absences and guardian data read by staff of the school and the
operators covering it — and the chain: staff of another school, even after recording their
own absences, cancel, list and read nothing of this school's."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.accounts.rules import Account, AccountStatus, Role, Scope
from chalicelib.accounts.sign_in.tokens import issue_access_token
from chalicelib.notifications import store as outbox
from chalicelib.notifications.rules import Channel, Language
from chalicelib.school_life.absences.service import alert_id
from chalicelib.school_life.absences.service import parse_id as parse_absence
from tests.space_absences_fixtures import (
    CLASS,
    CLASSMATE,
    FATHER_PHONE,
    OTHER_PUPIL,
    OTHER_SCHOOL,
    PUPIL,
    SCHOOL,
    absence_day,
    record,
    seed_class,
    sheet,
    token,
)

PENDING = f"/v1/schools/{SCHOOL}/absences/justifications?status=pending"


@pytest.fixture
def absence(api: Any) -> str:
    seed_class()
    answer = record(api)
    assert answer.status_code == 200, answer.body
    return str(answer.json_body["absences"][0]["id"])


def justify(api: Any, absence_id: str, massar: str = PUPIL, caller: str = "a linked parent") -> Any:
    return api.post(
        f"/v1/students/{massar}/absences/{absence_id}/justification",
        {"text": "Rendez-vous médical"},
        token=token(caller),
    )


def trail(api: Any, kind: str, caller: str = "staff of the school", massar: str = PUPIL) -> Any:
    return api.get(f"/v1/students/{massar}/audit?kind={kind}", token=token(caller))


def test_a_cancelled_absence_goes_and_the_guardian_is_told(api: Any, absence: str) -> None:
    answer = api.call("DELETE", f"/v1/absences/{absence}", token=token("staff of the school"))
    assert answer.status_code == 200, answer.body
    assert answer.json_body == {
        "id": absence,
        "massar_code": PUPIL,
        "date": absence_day().isoformat(),
        "session": "08:00-09:00",
        "subject": "Mathématiques",
        "guardian_notified": True,
    }
    seen = api.get(f"/v1/students/{PUPIL}/absences", token=token("a linked parent"))
    assert seen.json_body["items"] == []

    massar, sk = parse_absence(absence)
    notice = outbox.get_record(
        "abs-cancel-" + alert_id(massar, sk)[4:]  # same digest as the alert's
    )
    assert notice is not None
    assert notice.notification.template == "absence_cancelled"
    assert notice.notification.channel is Channel.SMS
    assert notice.notification.recipient == FATHER_PHONE
    assert notice.notification.language is Language.AR
    assert notice.notification.params == {
        "child_name": "أمينة العلوي",
        "date": absence_day().isoformat(),
        "session": "08:00-09:00",
    }
    again = api.call("DELETE", f"/v1/absences/{absence}", token=token("staff of the school"))
    assert again.status_code == 404

    events = [(e["event"], e["actor"]) for e in trail(api, "absences").json_body["items"]]
    assert events == [("absence_cancelled", "dir.own"), ("absence_recorded", "dir.own")]
    cancelled = trail(api, "absences").json_body["items"][0]["detail"]
    assert cancelled["guardian_notified"] == "true" and cancelled["justified"] == "false"


def test_a_justified_absence_cancelled_tells_nobody(api: Any) -> None:
    seed_class()
    justified = {"massar_code": PUPIL, "justified": True, "reason": "malade"}
    answer = record(api, absent=[justified])
    [recorded] = answer.json_body["absences"]
    assert recorded["alerted"] is False
    gone = api.call("DELETE", f"/v1/absences/{recorded['id']}", token=token("staff of the school"))
    assert gone.status_code == 200 and gone.json_body["guardian_notified"] is False


def test_recording_is_audited_once_per_change(api: Any, absence: str) -> None:
    assert record(api).status_code == 200  # the same sheet again: nothing new to audit
    [entry] = trail(api, "absences").json_body["items"]
    assert entry["kind"] == "absences"
    assert entry["detail"]["justified"] == "false"
    assert entry["detail"]["date"] == absence_day().isoformat()
    changed = record(api, absent=[{"massar_code": PUPIL, "justified": True, "reason": "malade"}])
    assert changed.status_code == 200
    latest = trail(api, "absences").json_body["items"][0]["detail"]
    assert (latest["before"], latest["after"], latest["reason"]) == ("false", "true", "malade")


def test_pending_justifications_in_one_list_and_decisions_audited(api: Any, absence: str) -> None:
    other_day = sheet(date=absence_day().replace(day=24).isoformat())
    second = api.post(
        f"/v1/schools/{SCHOOL}/classes/{CLASS}/absences", other_day,
        token=token("staff of the school"),
    ).json_body["absences"][0]["id"]  # fmt: skip
    assert api.get(PENDING, token=token("staff of the school")).json_body["items"] == []
    assert justify(api, absence).status_code == 201
    assert justify(api, second).status_code == 201

    listed = api.get(PENDING, token=token("staff of the school"))
    assert listed.status_code == 200, listed.body
    items = listed.json_body["items"]
    assert [i["id"] for i in items] == [absence, second]  # oldest sent first
    assert items[0]["massar_code"] == PUPIL and items[0]["class_id"] == CLASS
    assert items[0]["names"]["first_name_lat"] == "Amina"
    assert items[0]["justification"]["status"] == "pending"
    page = api.get(f"{PENDING}&limit=1", token=token("staff of the school")).json_body
    assert [i["id"] for i in page["items"]] == [absence] and page["next_cursor"]
    rest = api.get(f"{PENDING}&limit=1&cursor={page['next_cursor']}",
                   token=token("staff of the school")).json_body  # fmt: skip
    assert [i["id"] for i in rest["items"]] == [second]

    refused = api.post(f"/v1/absences/{absence}/justification/refuse", {"reason": "illisible"},
                       token=token("staff of the school"))  # fmt: skip
    assert refused.status_code == 200, refused.body
    after = api.get(PENDING, token=token("staff of the school")).json_body["items"]
    assert [i["id"] for i in after] == [second]
    decided = trail(api, "absences").json_body["items"][0]
    assert decided["event"] == "justification_decided"
    assert (decided["detail"]["after"], decided["detail"]["reason"]) == ("refused", "illisible")
    # A cancelled absence leaves the queue with it.
    api.call("DELETE", f"/v1/absences/{second}", token=token("staff of the school"))
    assert api.get(PENDING, token=token("staff of the school")).json_body["items"] == []

    for query, field in (("?status=accepted", "status"), ("?cursor=abc", "cursor"),
                         ("?limit=500", "limit")):  # fmt: skip
        path = f"/v1/schools/{SCHOOL}/absences/justifications{query}"
        bad = api.get(path, token=token("staff of the school"))
        assert bad.status_code == 422 and field in bad.json_body["error"]["fields"], bad.body


def test_the_audit_covers_marks_and_guardians_and_its_readers(api: Any, absence: str) -> None:
    corrected = api.call("PATCH", f"/v1/students/{PUPIL}/guardians/father",
                         {"profession": "Ingénieur"}, token=token("a linked parent"))  # fmt: skip
    assert corrected.status_code == 200, corrected.body
    [change] = trail(api, "guardians").json_body["items"]
    assert change["event"] == "guardian_changed" and change["detail"]["role"] == "father"
    assert trail(api, "marks").json_body["items"] == []
    everything = api.get(f"/v1/students/{PUPIL}/audit", token=token("staff of the school"))
    assert {e["kind"] for e in everything.json_body["items"]} == {"absences", "guardians"}

    assert trail(api, "absences", "an operator").status_code == 200  # national: covers it
    elsewhere = issue_access_token(
        Account("ops.rabat", Role.OPS, AccountStatus.ACTIVE, Scope(academy="04"))
    )
    far = api.get(f"/v1/students/{PUPIL}/audit?kind=marks", token=elsewhere)
    assert far.status_code == 404  # the school is not in that academy
    for caller in ("the pupil", "a linked parent"):
        assert trail(api, "marks", caller).status_code == 403
    assert api.get(f"/v1/students/{PUPIL}/audit").status_code == 401
    bad = trail(api, "grades")
    assert bad.status_code == 422 and "kind" in bad.json_body["error"]["fields"]
    assert trail(api, "marks", massar="J100000000").status_code == 404


def test_another_school_reaches_none_of_it(api: Any, absence: str) -> None:
    """The chain: staff of school B record an absence of B's own pupil (and it is
    justified, so B has a queue), then try school A's absence, queue and audit."""
    other = token("staff of another school")
    own = api.post(f"/v1/schools/{OTHER_SCHOOL}/classes/{CLASS}/absences",
                   sheet(absent=[{"massar_code": OTHER_PUPIL}]), token=other)  # fmt: skip
    assert own.status_code == 200, own.body
    assert justify(api, absence).status_code == 201

    assert api.call("DELETE", f"/v1/absences/{absence}", token=other).status_code == 404
    assert api.get(PENDING, token=other).status_code == 404
    for kind in ("marks", "absences", "guardians"):
        assert trail(api, kind, "staff of another school").status_code == 404
    mine = api.get(f"/v1/schools/{OTHER_SCHOOL}/absences/justifications", token=other)
    assert mine.status_code == 200 and mine.json_body["items"] == []
    # B's own absence id with A's pupil swapped in is still A's item: not B's to cancel.
    for caller in ("the pupil", "a linked parent", "an operator"):
        assert api.call("DELETE", f"/v1/absences/{absence}", token=token(caller)).status_code == 403
    assert api.call("DELETE", "/v1/absences/not-an-id", token=other).status_code == 404
    # A's absence is untouched and still waits in A's queue.
    assert [i["id"] for i in api.get(PENDING, token=token("staff of the school"))
            .json_body["items"]] == [absence]  # fmt: skip
    _ = CLASSMATE
