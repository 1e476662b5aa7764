"""The ID photo the school sees is the one checked at submission (issue 13, finding 8): the
upload form stays usable until it expires, so the application keeps a copy of its own."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api
from tests.registration_fixtures import application, ready, staff_token, submit
from tests.test_registration_submission import JPEG


def post_file(form: dict[str, Any], content: bytes) -> None:
    import requests

    answer = requests.post(
        form["url"],
        data=form["fields"],
        files={"file": ("photo.jpg", content, "image/jpeg")},
        timeout=5,
    )
    assert answer.status_code in (200, 201, 204)


def test_replacing_the_upload_after_submission_changes_nothing(api: Api, ops_token: str) -> None:
    import requests

    ready(api, ops_token)
    form = api.post("/v1/registrations/photos").json_body
    post_file(form, JPEG)
    submitted = submit(api, application(photo_key=form["photo_key"]))
    assert submitted.status_code == 201, submitted.body
    post_file(form, b"%PDF-1.4 not a photo" + b"\x00" * 100)  # the same form, again
    staff = api.get(f"/v1/registrations/{submitted.json_body['id']}", token=staff_token())
    assert staff.json_body["application"]["photo_key"].startswith("photos-kept/")
    photo = requests.get(staff.json_body["photo_url"], timeout=5)
    assert photo.status_code == 200 and photo.content == JPEG


def test_a_kept_copy_cannot_be_named_in_an_application(api: Api, ops_token: str) -> None:
    ready(api, ops_token)
    answer = submit(api, application(photo_key="photos-kept/" + "0" * 32))
    assert answer.status_code == 422
    assert "photo_key" in answer.json_body["error"]["fields"]
