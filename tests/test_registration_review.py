"""The director's desk: lists, filters, search in both scripts, decisions, the pupil
record and parent link, the audit, and the notifications in the guardian's language."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.core.models import AuditModel, OutboxModel
from chalicelib.core.store import bound
from chalicelib.notifications.rules import Channel, Language, Notification
from tests.conftest import Api
from tests.registration_fixtures import (
    SCHOOL,
    SCHOOL_YEAR,
    WINDOW_TO,
    application,
    person,
    ready,
    staff_token,
    submit,
)


def apply(api: Api, n: int, **changes: Any) -> dict[str, Any]:
    body = application(child__birth_certificate_number=f"{n}/2020", **changes)
    answer = submit(api, body)
    assert answer.status_code == 201, answer.body
    return dict(answer.json_body)


def listing(api: Api, query: str = "", token: str | None = None) -> Any:
    return api.get(f"/v1/schools/{SCHOOL}/registrations{query}", token=token or staff_token())


def ids(answer: Any) -> list[str]:
    assert answer.status_code == 200, answer.body
    return [row["id"] for row in answer.json_body["items"]]


def outbox(template: str | None = None) -> list[OutboxModel]:
    items = [i for i in bound(OutboxModel).scan() if template in (None, i.template)]
    return sorted(items, key=lambda i: i.channel)


def test_pages_oldest_first_with_an_opaque_cursor(api: Api, ops_token: str) -> None:
    ready(api, ops_token)
    made = [apply(api, n)["id"] for n in range(5)]
    first = listing(api, "?limit=2")
    assert ids(first) == made[:2]
    cursor = first.json_body["next_cursor"]
    second = listing(api, f"?limit=2&cursor={cursor}")
    assert ids(second) == made[2:4]
    third = listing(api, f"?limit=2&cursor={second.json_body['next_cursor']}")
    assert ids(third) == made[4:]
    assert ids(listing(api, "?limit=200")) == made
    row = listing(api).json_body["items"][0]
    assert row["child"] == {"name_ar": "ياسين العلوي", "name_lat": "Yassine El Alaoui"}
    assert row["checks"] == {"age_eligible": True, "in_catchment": True}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?limit=0", "limit"),
        ("?limit=201", "limit"),
        ("?limit=x", "limit"),
        ("?cursor=not-a-cursor", "cursor"),
        ("?status=pending", "status"),
        ("?age_eligible=maybe", "age_eligible"),
        ("?q=a", "q"),
    ],
)
def test_bad_list_parameters_are_422(api: Api, ops_token: str, query: str, field: str) -> None:
    ready(api, ops_token)
    answer = listing(api, query)
    assert answer.status_code == 422, answer.body
    assert field in answer.json_body["error"]["fields"]


def test_a_cursor_of_another_school_is_refused(api: Api, ops_token: str) -> None:
    import base64
    import json

    ready(api, ops_token)
    forged = {"list_key": {"S": "EP0002#submitted"}, "id": {"S": "x"}, "queue_key": {"S": "x"}}
    cursor = base64.urlsafe_b64encode(json.dumps(forged).encode()).decode()
    answer = listing(api, f"?cursor={cursor}")
    assert answer.status_code == 422


def test_filters_for_the_two_checks(api: Api, ops_token: str) -> None:
    from chalicelib.registration.hijri import gregorian_to_hijri

    ready(api, ops_token)
    young = WINDOW_TO.replace(month=12, day=31)
    too_young = young.replace(year=young.year + 1, month=1, day=2)
    ok = apply(api, 1)["id"]
    away = apply(api, 2, residence={"commune": "04.421.01.01", "address": "x"})["id"]
    under = apply(
        api,
        3,
        child__birth_date=too_young.isoformat(),
        child__birth_date_hijri=gregorian_to_hijri(too_young),
        child__birth_certificate_date=too_young.isoformat(),
    )["id"]
    assert ids(listing(api, "?in_catchment=false")) == [away]
    assert ids(listing(api, "?in_catchment=true")) == [ok, under]
    assert ids(listing(api, "?age_eligible=false")) == [under]
    assert ids(listing(api, "?age_eligible=true&in_catchment=true")) == [ok]


@pytest.mark.parametrize(
    ("query", "who"),
    [
        ("ياسين", "Y"),
        ("ياس", "Y"),  # prefix
        ("يَاسِين", "Y"),  # harakat
        ("يـاسين", "Y"),  # tatweel
        ("العلوى", "YA"),  # alef maqsura for ya
        ("yassine", "Y"),
        ("YASS", "Y"),
        ("alaoui yassine", "Y"),
        ("elalaoui", "YA"),  # the name without its space
        ("أمينة", "A"),  # alef with hamza, ta marbuta
        ("امينه", "A"),
        ("Amína", "A"),  # accents ignored
        ("سلمى", ""),
        ("bennani", ""),
    ],
)
def test_search_by_name_in_both_scripts(api: Api, ops_token: str, query: str, who: str) -> None:
    from urllib.parse import quote

    ready(api, ops_token)
    made = {"Y": apply(api, 1)["id"]}
    made["A"] = apply(
        api, 2, child__first_name_ar="أمينة", child__first_name_lat="Amina", child__gender="F"
    )["id"]
    result = ids(listing(api, f"?q={quote(query)}"))
    assert sorted(result) == sorted(made[k] for k in who), query


def test_search_keeps_to_the_school_and_the_status(api: Api, ops_token: str) -> None:
    ready(api, ops_token)
    first = apply(api, 1)["id"]
    second = apply(api, 2)["id"]
    director = staff_token()
    assert api.post(f"/v1/registrations/{first}/approve", token=director).status_code == 200
    assert ids(listing(api, "?q=yassine")) == [first, second] or set(
        ids(listing(api, "?q=yassine"))
    ) == {first, second}
    assert ids(listing(api, "?q=yassine&status=approved")) == [first]
    other = api.get(
        "/v1/schools/EP0002/registrations?q=yassine", token=staff_token("EP0002", "dir.b")
    )
    assert ids(other) == []


def test_approval_creates_the_pupil_guardians_and_parent_link(api: Api, ops_token: str) -> None:
    from chalicelib.core.identifiers import parent_key_for_pupil
    from chalicelib.pupils import store as pupils

    ready(api, ops_token)
    guardian = person("عمر", "Omar", cin="k 9988", email="omar@example.ma")
    with_cin = apply(api, 1)["id"]
    no_cin = apply(api, 2, guardian_role="guardian", guardian={**guardian, "cin": None})["id"]
    director = staff_token()
    massar = api.post(f"/v1/registrations/{with_cin}/approve", token=director).json_body[
        "massar_code"
    ]
    profile = pupils.get_profile(massar)
    assert profile is not None
    assert profile["first_name_lat"] == "Yassine" and profile["school_code"] == SCHOOL
    assert profile["school_year"] == SCHOOL_YEAR and profile["level"] == "1AP"
    assert set(pupils.guardians_of(massar)) == {"father", "mother"}
    [link] = pupils.links_of_parent("BE123456")
    assert link["massar_code"] == massar and link["username"] == "BE123456"
    assert link["email"] == "mohamed.alaoui@example.ma" and link["phone"] == "+212612345678"

    other = api.post(f"/v1/registrations/{no_cin}/approve", token=director).json_body
    guardians = pupils.guardians_of(other["massar_code"])
    assert set(guardians) == {"father", "mother", "guardian"}
    assert guardians["guardian"]["responsible"] == "true"
    [link] = pupils.links_of_parent(parent_key_for_pupil(other["massar_code"]))
    assert link["username"] == other["massar_code"] and link["first_name_lat"] == "Omar"
    assert other["massar_code"] != massar


def test_a_decision_is_final_and_audited(api: Api, ops_token: str) -> None:
    ready(api, ops_token)
    first = apply(api, 1)["id"]
    director = staff_token()
    assert api.post(f"/v1/registrations/{first}/approve", token=director).status_code == 200
    again = api.post(f"/v1/registrations/{first}/approve", token=director)
    assert again.status_code == 409 and again.json_body["error"]["code"] == "already_decided"
    reject = api.post(f"/v1/registrations/{first}/reject", {"reason": "under_age"}, token=director)
    assert reject.status_code == 409
    [entry] = list(bound(AuditModel).query(f"registration#{first}"))
    assert entry.event == "registration_approved" and entry.actor == "dir.amal"
    assert ids(listing(api)) == []
    assert ids(listing(api, "?status=approved")) == [first]


def test_a_retried_approval_with_its_key_gets_the_same_answer(api: Api, ops_token: str) -> None:
    ready(api, ops_token)
    first = apply(api, 1)["id"]
    headers = {"Idempotency-Key": "approve-1"}
    one = api.post(f"/v1/registrations/{first}/approve", token=staff_token(), headers=headers)
    two = api.post(f"/v1/registrations/{first}/approve", token=staff_token(), headers=headers)
    assert one.status_code == two.status_code == 200
    assert one.json_body == two.json_body


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"reason": "under_age"}, 200, None),
        ({"reason": "out_of_catchment", "note": "Quartier hors secteur"}, 200, None),
        ({"reason": "other", "note": "Dossier incomplet"}, 200, None),
        ({"reason": "other"}, 422, "note"),
        ({"reason": "too_late"}, 422, "reason"),
        ({}, 422, "reason"),
    ],
)
def test_rejections_need_a_coded_reason(
    api: Api, ops_token: str, body: dict[str, str], status: int, field: str | None
) -> None:
    ready(api, ops_token)
    made = apply(api, 1)
    answer = api.post(f"/v1/registrations/{made['id']}/reject", body, token=staff_token())
    assert answer.status_code == status, answer.body
    if field:
        assert field in answer.json_body["error"]["fields"]
        return
    seen = api.get(
        f"/v1/registrations/{made['id']}?tracking_code={made['tracking_code']}"
    ).json_body
    assert seen["status"] == "rejected" and seen["rejection_reason"] == body["reason"]
    [email, _sms] = outbox("registration_rejected")
    assert email.params.as_dict()["reason"] == body["reason"]
    assert email.params.as_dict()["note"] == body.get("note", "")


def test_notifications_go_to_each_contact_of_the_guardian(api: Api, ops_token: str) -> None:
    ready(api, ops_token)
    made = apply(api, 1)
    [email, sms] = outbox("registration_receipt")
    assert (email.channel, email.recipient) == ("email", "mohamed.alaoui@example.ma")
    assert (sms.channel, sms.recipient) == ("sms", "+212612345678")
    assert email.language == "fr"
    assert email.params.as_dict() == {
        "child_name": "Yassine El Alaoui",
        "school_name": "École Al Amal",
        "application_id": made["id"],
    }
    assert email.secret_params is not None
    assert email.secret_params.as_dict() == {"tracking_code": made["tracking_code"]}
    api.post(f"/v1/registrations/{made['id']}/approve", token=staff_token())
    [approved_email, _] = outbox("registration_approved")
    assert set(approved_email.params.as_dict()) == {"child_name", "school_name", "massar_code"}


def test_mother_with_email_only_gets_one_email_in_arabic(api: Api, ops_token: str) -> None:
    ready(api, ops_token)
    mother = person("فاطمة", "Fatima", email="fatima@example.ma")
    made = submit(
        api,
        application(guardian_role="mother", mother=mother),
        **{"Accept-Language": "ar-MA,ar;q=0.9"},
    )
    assert made.status_code == 201
    [email] = outbox("registration_receipt")
    assert (email.recipient, email.language) == ("fatima@example.ma", "ar")
    assert email.params.as_dict()["child_name"] == "ياسين العلوي"
    assert email.params.as_dict()["school_name"] == "مدرسة الأمل"
    # The director's language does not change the guardian's.
    api.post(f"/v1/registrations/{made.json_body['id']}/approve", token=staff_token())
    [approved] = outbox("registration_approved")
    assert approved.language == "ar"


def test_the_language_field_wins_over_the_header(api: Api, ops_token: str) -> None:
    ready(api, ops_token)
    submit(api, application(language="ar"), **{"Accept-Language": "fr"})
    assert {i.language for i in outbox("registration_receipt")} == {"ar"}


def _notification(template: str, language: Language, channel: Channel, **params: str) -> Any:
    return Notification(
        id="n-1",
        template=template,
        channel=channel,
        recipient="x@example.ma" if channel is Channel.EMAIL else "+212612345678",
        language=language,
        params={
            "child_name": "Yassine El Alaoui" if language is Language.FR else "ياسين العلوي",
            "school_name": "École Al Amal" if language is Language.FR else "مدرسة الأمل",
            **params,
        },
    )


def _templates_ready() -> bool:
    from chalicelib.notifications import templates

    names = getattr(templates, "TEMPLATES", {})
    return all(
        n in names
        for n in ("registration_receipt", "registration_approved", "registration_rejected")
    )


texts = pytest.mark.xfail(not _templates_ready(), strict=False, reason="templates from issue 5")


@texts
@pytest.mark.parametrize(
    ("language", "words"),
    [
        (Language.FR, ["Yassine El Alaoui", "École Al Amal", "ABCD-EFGH-JKMN", "a1b2"]),
        (Language.AR, ["ياسين العلوي", "مدرسة الأمل", "ABCD-EFGH-JKMN", "a1b2"]),
    ],
)
def test_receipt_texts(language: Language, words: list[str]) -> None:
    from chalicelib.notifications.templates import render

    notification = _notification(
        "registration_receipt", language, Channel.EMAIL, application_id="a1b2"
    )
    from dataclasses import replace

    rendered = render(replace(notification, secret_params={"tracking_code": "ABCD-EFGH-JKMN"}))
    for word in words:
        assert word in rendered.text, (word, rendered.text)
    sms = render(
        replace(
            notification, channel=Channel.SMS, secret_params={"tracking_code": "ABCD-EFGH-JKMN"}
        )
    )
    assert "ABCD-EFGH-JKMN" in sms.text


@texts
@pytest.mark.parametrize(
    ("language", "words"),
    [
        (Language.FR, ["Yassine El Alaoui", "acceptée", "J123456789"]),
        (Language.AR, ["ياسين العلوي", "قبول", "J123456789"]),
    ],
)
def test_approval_texts(language: Language, words: list[str]) -> None:
    from chalicelib.notifications.templates import render

    rendered = render(
        _notification("registration_approved", language, Channel.EMAIL, massar_code="J123456789")
    )
    for word in words:
        assert word in (rendered.subject or "") + rendered.text, (word, rendered.text)


@texts
@pytest.mark.parametrize(
    ("language", "reason", "words"),
    [
        (Language.FR, "under_age", ["âge"]),
        (Language.FR, "out_of_catchment", ["résidence"]),
        (Language.FR, "other", ["Dossier incomplet"]),
        (Language.AR, "under_age", ["سن"]),
        (Language.AR, "out_of_catchment", ["سكن"]),
        (Language.AR, "other", ["Dossier incomplet"]),
    ],
)
def test_rejection_texts_give_the_reason_in_words(
    language: Language, reason: str, words: list[str]
) -> None:
    from chalicelib.notifications.templates import render

    note = "Dossier incomplet" if reason == "other" else ""
    rendered = render(
        _notification("registration_rejected", language, Channel.EMAIL, reason=reason, note=note)
    )
    assert reason not in rendered.text  # the code is put in words
    for word in words:
        assert word in rendered.text, (word, rendered.text)
