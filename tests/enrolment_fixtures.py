"""Pupils enrolled the way schools enrol them: a class roster over HTTP (`PUT
/v1/schools/{code}/classes/{class_id}/pupils`), which creates or updates the pupil record."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api


def put_class(api: Api, token: str, school: str, class_id: str, level: str = "1AC") -> None:
    answer = api.call(
        "PUT",
        f"/v1/schools/{school}/classes/{class_id}",
        {"label": class_id, "level": level},
        token=token,
    )
    assert answer.status_code == 200, answer.body


def enrol(
    api: Api, token: str, school: str, class_id: str, pupils: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Put `pupils` (roster rows) in the class, creating it when missing."""
    classes = api.get(f"/v1/schools/{school}/classes", token=token)
    assert classes.status_code == 200, classes.body
    if class_id not in {c["class_id"] for c in classes.json_body["items"]}:
        put_class(api, token, school, class_id)
    answer = api.call(
        "PUT", f"/v1/schools/{school}/classes/{class_id}/pupils", {"pupils": pupils}, token=token
    )
    assert answer.status_code == 200, answer.body
    return list(answer.json_body["items"])


def record_at(massar_code: str, school: str, class_id: str | None = None, **data: str) -> None:
    """A pupil record written as the store writes one, for tests of accounts alone."""
    from chalicelib.core.transactions import Transaction
    from chalicelib.pupils import store as pupils
    from chalicelib.pupils.rules import PupilRecord

    if pupils.get_record(massar_code) is not None:
        return
    transaction = Transaction()
    fields = {"school_code": school, "enrolment_status": "enrolled", **data}
    if class_id:
        fields["class_id"] = class_id
    pupils.put_record(transaction, PupilRecord(massar_code, fields, {}), None)
    transaction.commit()
