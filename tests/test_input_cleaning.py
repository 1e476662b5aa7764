"""Issue 13: free text kept NUL, bidirectional overrides and zero-width characters. Every
string of a JSON body is cleaned of them before validation (`domain.text.clean_input`),
secrets excepted; ZWNJ stays between letters (Persian needs it) but never in a name."""

from __future__ import annotations

from tests.conftest import Api
from tests.registration_fixtures import (
    SCHOOL,
    SCHOOL_BODY,
    SCHOOL_YEAR,
    application,
    open_campaign,
    staff_token,
    submit,
)


def test_controls_direction_overrides_and_zero_width_characters_are_stripped(
    api: Api, ops_token: str
) -> None:
    body = {
        **SCHOOL_BODY,
        "name_fr": "\ufeffÉcole\x00 Al\u202e Am\u200bal\u2066\u2069\u00ad",
        "name_ar": "\u200fمدرسة\u061c الأمل\u200d\x7f",
    }
    created = api.post("/v1/schools", body, token=ops_token)
    assert created.status_code == 201, created.body
    school = api.get(f"/v1/schools/{SCHOOL}", token=ops_token).json_body
    assert school["name_fr"] == "École Al Amal"
    assert school["name_ar"] == "مدرسة الأمل"


def test_zwnj_stays_between_letters_only_and_never_in_a_name(api: Api, ops_token: str) -> None:
    assert api.post("/v1/schools", SCHOOL_BODY, token=ops_token).status_code == 201
    note = "\u200cمی\u200c\u200cخواهم \u200cok\u200c"
    assert open_campaign(api, ops_token, note=note)
    campaign = api.get(f"/v1/campaigns/{SCHOOL_YEAR}", token=ops_token).json_body
    assert campaign["note"] == "می\u200cخواهم ok"
    submitted = submit(
        api,
        application(child__first_name_ar="يا\u200cسين", child__last_name_lat="El\u202e Alaoui"),
    )
    assert submitted.status_code == 201, submitted.body
    stored = api.get(
        f"/v1/registrations/{submitted.json_body['id']}", token=staff_token()
    ).json_body
    assert stored["child"]["first_name_ar"] == "ياسين"
    assert stored["child"]["last_name_lat"] == "El Alaoui"


def test_secrets_are_kept_as_typed(api: Api, ops_token: str) -> None:
    """A password is compared with the hash of what was typed: nothing is taken out of it
    (so a password set with one of these characters still signs in)."""
    from chalicelib.core.http import cleaned

    body = {"username": "a\u200bb", "password": "x\u200by", "new_password": "\x00z"}
    assert cleaned(body) == {"username": "ab", "password": "x\u200by", "new_password": "\x00z"}


def test_the_user_agent_shown_in_the_audit_trail_is_cleaned(api: Api, ops_token: str) -> None:
    from chalicelib.accounts.rules import Role
    from tests.account_fixtures import seed

    seed("dir.ua", Role.STAFF, password="Cedre&Atlas-2031-ua")
    refused = api.post(
        "/v1/auth/login",
        {"username": "dir.ua", "password": "not-the-password-2026"},
        headers={"User-Agent": "Mozilla/5.0\x00 \u202etset\u200b"},
    )
    assert refused.status_code == 401
    [event] = api.get("/v1/accounts/dir.ua/audit", token=ops_token).json_body["items"]
    assert event["user_agent"] == "Mozilla/5.0 tset"
