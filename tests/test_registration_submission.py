"""Submitting: campaign dates, the photo, the checks on boundary dates, duplicates,
Idempotency-Key, and two submissions racing."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest

from chalicelib.core.models import IdempotencyModel, OutboxModel, RegistrationModel
from chalicelib.core.store import bound
from tests.conftest import Api
from tests.registration_fixtures import (
    CITY,
    COMMUNE,
    DISTRICT,
    SCHOOL,
    WINDOW_FROM,
    WINDOW_TO,
    application,
    create_school,
    open_campaign,
    ready,
    staff_token,
    submit,
)


def applications() -> list[RegistrationModel]:
    # Test inspection only (the app never scans): applications, not duplicate guards nor
    # tracking-code index items.
    return [
        i for i in bound(RegistrationModel).scan() if not i.id.startswith(("child#", "tracking#"))
    ]


def outbox_count() -> int:
    return len(list(bound(OutboxModel).scan()))


# --- Campaign dates -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("opens", "closes", "open_"),
    [(0, 0, True), (0, 5, True), (-5, 0, True), (1, 5, False), (-5, -1, False)],
)
def test_submissions_outside_the_campaign_are_closed(
    api: Api, ops_token: str, opens: int, closes: int, open_: bool
) -> None:
    from chalicelib.registration.campaigns.service import today

    create_school(api, ops_token)
    # The app's today, read now: a suite running across Casablanca's midnight must not
    # compare with the date the fixtures module was imported on.
    now = today()
    open_campaign(
        api,
        ops_token,
        opens_on=(now + timedelta(days=opens)).isoformat(),
        closes_on=(now + timedelta(days=closes)).isoformat(),
    )
    answer = submit(api)
    if open_:
        assert answer.status_code == 201, answer.body
    else:
        assert answer.status_code == 403
        assert answer.json_body["error"]["code"] == "campaign_closed"
        assert api.get("/v1/campaigns/current").json_body["error"]["code"] == "no_open_campaign"
        assert applications() == []


def test_no_campaign_at_all_is_closed(api: Api, ops_token: str) -> None:
    create_school(api, ops_token)
    answer = submit(api)
    assert answer.status_code == 403 and answer.json_body["error"]["code"] == "campaign_closed"


# --- Checks on boundary dates and areas ---------------------------------------------------


@pytest.mark.parametrize(
    ("born", "eligible"),
    [
        (WINDOW_FROM, True),
        (WINDOW_TO, True),
        (WINDOW_FROM - timedelta(days=1), False),
        (WINDOW_TO + timedelta(days=1), False),
    ],
)
def test_age_check_on_the_window_edges(api: Api, ops_token: str, born: Any, eligible: bool) -> None:
    from chalicelib.registration.hijri import gregorian_to_hijri

    ready(api, ops_token)
    body = application(
        child__birth_date=born.isoformat(),
        child__birth_date_hijri=gregorian_to_hijri(born),
        child__birth_certificate_date=born.isoformat(),
    )
    answer = submit(api, body)
    assert answer.status_code == 201, answer.body
    assert answer.json_body["checks"]["age_eligible"] is eligible


@pytest.mark.parametrize(
    ("residence", "inside"),
    [
        ({"commune": COMMUNE}, True),
        ({"commune": CITY, "district": DISTRICT}, True),
        ({"commune": "06.141.01.03"}, False),  # Maârif
        ({"commune": CITY, "district": "06.141.01.03"}, False),
    ],
)
def test_catchment_check(api: Api, ops_token: str, residence: dict[str, str], inside: bool) -> None:
    ready(api, ops_token)
    answer = submit(api, application(residence={**residence, "address": "1 rue"}))
    assert answer.status_code == 201, answer.body
    assert answer.json_body["checks"]["in_catchment"] is inside


@pytest.mark.parametrize(
    ("residence", "field", "problem"),
    [
        ({"commune": "TABRIQUET"}, "residence.commune", "inconnu"),  # the old internal code
        ({"commune": "06.141.01.99"}, "residence.commune", "inconnu"),
        ({"commune": CITY, "district": "06.141.99.01"}, "residence.district", "inconnu"),
        # Tabriquet is Salé's, not Casablanca's.
        ({"commune": CITY, "district": "04.441.01.09"}, "residence.district", "n'appartient"),
    ],
)
def test_the_residence_is_an_official_commune_or_arrondissement(
    api: Api, ops_token: str, residence: dict[str, str], field: str, problem: str
) -> None:
    ready(api, ops_token)
    answer = submit(api, application(residence={**residence, "address": "1 rue"}))
    assert answer.status_code == 422, answer.body
    assert problem in answer.json_body["error"]["fields"][field]


# --- Photo --------------------------------------------------------------------------------


def upload(api: Api, content: bytes, filename: str) -> str:
    import requests

    form = api.post("/v1/registrations/photos")
    assert form.status_code == 201, form.body
    answer = requests.post(
        form.json_body["url"],
        data=form.json_body["fields"],
        files={"file": (filename, content, "image/jpeg")},
        timeout=5,
    )
    assert answer.status_code in (200, 201, 204)
    assert form.json_body["max_bytes"] == 1_048_576
    return str(form.json_body["photo_key"])


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


@pytest.mark.parametrize(
    ("content", "filename", "problem"),
    [
        (JPEG, "photo.jpg", None),
        (PNG, "photo.png", None),
        (b"GIF89a" + b"\x00" * 100, "photo.jpg", "JPEG ou PNG"),  # the name lies
        (b"%PDF-1.4" + b"\x00" * 100, "photo.png", "JPEG ou PNG"),
        (JPEG + b"\x00" * 1_048_576, "big.jpg", "1 Mo"),
    ],
)
def test_the_photo_is_checked_by_content_and_size(
    api: Api, ops_token: str, content: bytes, filename: str, problem: str | None
) -> None:
    ready(api, ops_token)
    key = upload(api, content, filename)
    answer = submit(api, application(photo_key=key))
    if problem is None:
        assert answer.status_code == 201, answer.body
    else:
        assert answer.status_code == 422
        assert problem in answer.json_body["error"]["fields"]["photo_key"]


def test_the_schools_staff_see_the_photo_and_the_tracking_holder_does_not(
    api: Api, ops_token: str
) -> None:
    import requests

    ready(api, ops_token)
    key = upload(api, JPEG, "photo.jpg")
    submitted = submit(api, application(photo_key=key)).json_body
    staff = api.get(f"/v1/registrations/{submitted['id']}", token=staff_token()).json_body
    photo = requests.get(staff["photo_url"], timeout=5)
    assert photo.status_code == 200 and photo.content == JPEG
    holder = api.get(
        f"/v1/registrations/{submitted['id']}?tracking_code={submitted['tracking_code']}"
    ).json_body
    assert holder.get("photo_url") is None


# --- Duplicates and idempotency -----------------------------------------------------------


def test_one_application_per_child_per_campaign(api: Api, ops_token: str) -> None:
    ready(api, ops_token)
    assert submit(api).status_code == 201
    other_school = create_school(api, ops_token, code="EP0003")
    again = submit(api, application(school_code=other_school["code"]))
    assert again.status_code == 409
    assert again.json_body["error"]["code"] == "duplicate_application"
    assert len(applications()) == 1
    assert outbox_count() == 2  # the first receipt only (email + SMS)
    sibling = submit(api, application(child__birth_certificate_number="999/2020"))
    assert sibling.status_code == 201


def test_the_same_key_and_body_replays_the_first_answer(api: Api, ops_token: str) -> None:
    ready(api, ops_token)
    first = submit(api, **{"Idempotency-Key": "k-1"})
    again = submit(api, **{"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 201
    assert again.json_body == first.json_body
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert len(applications()) == 1 and outbox_count() == 2


def test_the_same_key_with_another_body_is_refused(api: Api, ops_token: str) -> None:
    """A signed-in caller's keys are theirs: another body with one is a mistake."""
    body = {
        "username": "dir.k2",
        "school_code": SCHOOL,
        "first_name": "Nadia",
        "last_name": "Idem",
        "email": "nadia@example.ma",
    }
    headers = {"Idempotency-Key": "k-2"}
    assert api.post("/v1/staff", body, token=ops_token, headers=headers).status_code == 201
    other = {**body, "username": "dir.k2b"}
    answer = api.post("/v1/staff", other, token=ops_token, headers=headers)
    assert answer.status_code == 422
    assert answer.json_body["error"]["code"] == "idempotency_key_reused"


def test_an_anonymous_key_sent_with_another_application_is_another_request(
    api: Api, ops_token: str
) -> None:
    """Issue 13: every anonymous submission shared one key scope, so a key another person
    had sent (copied, guessed, or from the same device) replayed that person's answer or
    refused this application. The scope of an anonymous key is the body's own hash."""
    ready(api, ops_token)
    first = submit(api, **{"Idempotency-Key": "k-2"})
    assert first.status_code == 201
    sibling = application(child__first_name_lat="Yasin", child__birth_certificate_number="9/2020")
    other = submit(api, sibling, **{"Idempotency-Key": "k-2"})
    assert other.status_code == 201, other.body
    assert "Idempotent-Replayed" not in other.headers
    assert other.json_body["tracking_code"] != first.json_body["tracking_code"]
    again = submit(api, **{"Idempotency-Key": "k-2"})  # the first family's own retry
    assert again.json_body == first.json_body
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert len(applications()) == 2


def test_a_refusal_is_replayed_too(api: Api, ops_token: str) -> None:
    ready(api, ops_token)
    assert submit(api).status_code == 201
    first = submit(api, **{"Idempotency-Key": "k-3"})
    again = submit(api, **{"Idempotency-Key": "k-3"})
    assert first.status_code == again.status_code == 409
    assert again.json_body == first.json_body


def test_a_retry_while_the_first_runs_is_in_progress(api: Api, ops_token: str) -> None:
    from chalicelib.core import idempotency

    ready(api, ops_token)
    real_view_answer = idempotency._answer
    seen: dict[str, Any] = {}

    def slow(view: Any, call: Any, status: int) -> Any:
        seen["retry"] = submit(api, **{"Idempotency-Key": "k-4"})
        return real_view_answer(view, call, status)

    with mock.patch.object(idempotency, "_answer", slow):
        first = submit(api, **{"Idempotency-Key": "k-4"})
    assert first.status_code == 201
    assert seen["retry"].status_code == 409
    assert seen["retry"].json_body["error"]["code"] == "idempotency_in_progress"
    assert len(applications()) == 1


def test_a_5xx_is_not_stored_so_the_retry_runs(api: Api, ops_token: str) -> None:
    from chalicelib.registration import service as registrations

    ready(api, ops_token)
    with mock.patch.object(registrations.store, "submit", side_effect=RuntimeError("boom")):
        failed = submit(api, **{"Idempotency-Key": "k-5"})
    assert failed.status_code == 500
    retried = submit(api, **{"Idempotency-Key": "k-5"})
    assert retried.status_code == 201
    assert "Idempotent-Replayed" not in retried.headers


def test_invalid_bodies_are_not_stored(api: Api, ops_token: str) -> None:
    ready(api, ops_token)
    bad = submit(api, application(child__gender="X"), **{"Idempotency-Key": "k-6"})
    assert bad.status_code == 422
    fixed = submit(api, **{"Idempotency-Key": "k-6"})
    assert fixed.status_code == 201


@pytest.mark.parametrize("key", ["", "x" * 65, "clé", "a b"])
def test_malformed_keys_are_422(api: Api, ops_token: str, key: str) -> None:
    ready(api, ops_token)
    answer = submit(api, **{"Idempotency-Key": key})
    assert answer.status_code == 422
    assert "headers.Idempotency-Key" in answer.json_body["error"]["fields"]


def test_keys_expire_after_24_hours(api: Api, ops_token: str) -> None:
    from datetime import UTC, datetime

    from chalicelib.core import idempotency_store as store

    ready(api, ops_token)
    assert submit(api, **{"Idempotency-Key": "k-7"}).status_code == 201
    [record] = list(bound(IdempotencyModel).scan())
    assert abs((record.expires_at - record.created_at) - store.RETENTION).total_seconds() < 1
    later = datetime.now(UTC) + store.RETENTION + timedelta(minutes=1)
    with mock.patch("chalicelib.core.idempotency_store.now", return_value=later):
        again = submit(api, **{"Idempotency-Key": "k-7"})
    assert again.status_code == 409  # the key was free again: a new attempt, a duplicate
    assert again.json_body["error"]["code"] == "duplicate_application"


def test_staff_creation_is_idempotent_too(api: Api, ops_token: str) -> None:
    body = {
        "username": "dir.idem",
        "school_code": SCHOOL,
        "first_name": "Nadia",
        "last_name": "Idem",
        "email": "nadia@example.ma",
    }
    headers = {"Idempotency-Key": "staff-1"}
    first = api.post("/v1/staff", body, token=ops_token, headers=headers)
    again = api.post("/v1/staff", body, token=ops_token, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json_body == first.json_body
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert api.post("/v1/staff", body, token=ops_token).status_code == 409


# --- Two submissions racing ----------------------------------------------------------------


@contextmanager
def dynamodb_serialised() -> Iterator[None]:
    """moto applies a transaction by copying the tables, checking and writing without a
    lock (and restores its copy on failure, which can undo a concurrent commit).
    DynamoDB serialises conflicting transactions; so does this lock, around moto's
    backend calls only, leaving the app's threads to interleave freely."""
    from moto.dynamodb.models import DynamoDBBackend

    lock = threading.RLock()
    patches = []
    for name in ("transact_write_items", "put_item", "update_item", "get_item", "delete_item"):
        real = getattr(DynamoDBBackend, name)

        def locked(self: Any, *args: Any, _real: Any = real, **kwargs: Any) -> Any:
            with lock:
                return _real(self, *args, **kwargs)

        patches.append(mock.patch.object(DynamoDBBackend, name, locked))
    for patch in patches:
        patch.start()
    try:
        yield
    finally:
        for patch in patches:
            patch.stop()


@pytest.mark.parametrize("key", [None, "race-1"])
def test_two_threads_one_application(api: Api, ops_token: str, key: str | None) -> None:
    ready(api, ops_token)
    barrier = threading.Barrier(2)
    answers: list[Any] = []
    headers = {"Idempotency-Key": key} if key else {}

    def run() -> None:
        barrier.wait()
        answers.append(submit(api, **headers))

    with dynamodb_serialised():
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    statuses = sorted(a.status_code for a in answers)
    assert statuses[0] == 201, [a.body for a in answers]
    if key is None:
        assert statuses == [201, 409]
    else:
        assert statuses[1] in (201, 409)  # replayed, or refused while the first ran
    assert len(applications()) == 1
    assert outbox_count() == 2
