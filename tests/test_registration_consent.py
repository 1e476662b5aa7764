"""The guardian's consent to the data-protection notice of law 09-08 (issue 15): required
on every application (422 when missing or false, worded in French and Arabic), stored with
the application with the notice's version and the server's time, shown to the school."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.registration.rules import CONSENT_NOTICE_VERSION
from tests.conftest import Api
from tests.registration_fixtures import application, ready, staff_token, submit


@pytest.mark.parametrize(
    ("consent", "field"),
    [
        (None, "consent"),
        ({"data_protection": False, "version": CONSENT_NOTICE_VERSION}, "consent.data_protection"),
    ],
)
@pytest.mark.parametrize(("language", "words"), [("fr", "loi 09-08"), ("ar", "القانون 09-08")])
def test_an_application_without_the_consent_is_refused(
    api: Api, ops_token: str, consent: Any, field: str, language: str, words: str
) -> None:
    ready(api, ops_token)
    body = application(consent=consent)
    if consent is None:
        assert "consent" not in body
    answer = api.post("/v1/registrations", body, headers={"Accept-Language": language})
    assert answer.status_code == 422, answer.body
    fields = answer.json_body["error"]["fields"]
    assert words in fields[field], fields


def test_a_consent_without_its_version_is_refused(api: Api, ops_token: str) -> None:
    ready(api, ops_token)
    answer = submit(api, application(consent={"data_protection": True}))
    assert answer.status_code == 422, answer.body
    assert "consent.version" in answer.json_body["error"]["fields"]


def test_the_consent_is_stored_with_the_application_and_the_time(api: Api, ops_token: str) -> None:
    ready(api, ops_token)
    sent_at = "2020-01-01T00:00:00Z"  # a time sent by the client is not kept
    before = datetime.now(UTC)
    body = application(
        consent={"data_protection": True, "version": CONSENT_NOTICE_VERSION, "given_at": sent_at}
    )
    answer = submit(api, body)
    assert answer.status_code == 201, answer.body
    seen = api.get(f"/v1/registrations/{answer.json_body['id']}", token=staff_token())
    assert seen.status_code == 200, seen.body
    consent = seen.json_body["application"]["consent"]
    assert consent["data_protection"] is True
    assert consent["version"] == CONSENT_NOTICE_VERSION
    given = datetime.fromisoformat(consent["given_at"])
    assert before - timedelta(seconds=1) <= given <= datetime.now(UTC) + timedelta(seconds=1)
