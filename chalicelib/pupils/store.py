"""Pupils table: the pupil record and the parent links.

- `PUPIL#<massar>` / `PROFILE`: **the pupil record** — identity and the current enrolment
  (school, class, school year, status) in `data`, the guardian block in `guardians`. Every
  view, alert, access check and account batch reads this one item.
- `PARENT#<account key>` / `PUPIL#<massar>`: the parent link an approved pre-registration
  writes, keyed by the account the responsible guardian will sign in with — their CIN when
  given, else the pupil's Massar code (`identifiers.parent_key_for_pupil`) — so the accounts
  service finds a parent's children with one Query on `PARENT#<key>`; the same partition
  keeps the parent's notification preferences (`NOTIFY_PREFERENCES`, notifications/preferences).
Marks, absences, messages... live in the same partition under `<kind>#<school year>#...`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pynamodb.exceptions import DoesNotExist

from chalicelib.core.clock import now
from chalicelib.core.models import PupilModel
from chalicelib.core.store import bound
from chalicelib.core.transactions import Transaction
from chalicelib.pupils.rules import PupilRecord

PROFILE = "PROFILE"
BATCH_GET_LIMIT = 100  # DynamoDB's BatchGetItem takes at most 100 keys


def pupil_pk(massar_code: str) -> str:
    return f"PUPIL#{massar_code}"


def parent_pk(account_key: str) -> str:
    return f"PARENT#{account_key}"


def new_item(pk: str, sk: str, kind: str, massar_code: str, data: dict[str, str]) -> PupilModel:
    """An item of the table, stamped now, its empty `data` fields left out."""
    return bound(PupilModel)(
        pk,
        sk,
        kind=kind,
        massar_code=massar_code,
        data={k: v for k, v in data.items() if v},
        created_at=now(),
    )


def newest_of_pupil(
    massar_code: str, prefix: str, school_year: str | None, limit: int, cursor: str | None
) -> tuple[list[PupilModel], str | None]:
    """One page of the pupil's items of one kind (`<prefix><school year>#...`, of one school
    year if given), newest first: one Query, with an opaque cursor for the next page."""
    from chalicelib.core.cursors import decode_cursor, encode_cursor

    pk = pupil_pk(massar_code)
    start: Any = decode_cursor(cursor, {"pk": pk})
    result = bound(PupilModel).query(
        pk,
        PupilModel.sk.startswith(f"{prefix}{school_year}#" if school_year else prefix),
        scan_index_forward=False,
        limit=limit,
        last_evaluated_key=start,
    )
    items = list(result)
    return items, encode_cursor(result.last_evaluated_key)


def data_of(pk: str, sk: str, *, consistent: bool = False) -> dict[str, str] | None:
    """The `data` map of one item of the table, as strings; None when there is none."""
    try:
        item = bound(PupilModel).get(pk, sk, consistent_read=consistent)
    except DoesNotExist:
        return None
    return {str(k): str(v) for k, v in item.data.as_dict().items()}


def _clean(data: dict[str, str | None]) -> dict[str, str]:
    return {k: v for k, v in data.items() if v not in (None, "")}  # type: ignore[misc]


def _record(item: PupilModel) -> PupilRecord:
    guardians = item.guardians.as_dict() if item.guardians is not None else {}
    return PupilRecord(
        item.massar_code,
        {str(k): str(v) for k, v in item.data.as_dict().items()},
        {str(role): {str(k): str(v) for k, v in p.items()} for role, p in guardians.items()},
    )


def record_of(item: PupilModel) -> PupilRecord:
    """The record an item read elsewhere (e.g. in a BatchGetItem with other items) holds."""
    return _record(item)


def record_item(
    massar_code: str, data: dict[str, str | None], guardians: dict[str, dict[str, str | None]]
) -> PupilModel:
    stamp = now()
    return bound(PupilModel)(
        pupil_pk(massar_code),
        PROFILE,
        kind="profile",
        massar_code=massar_code,
        data=_clean(data),
        guardians={role: _clean(person) for role, person in guardians.items()},
        created_at=stamp,
        updated_at=stamp,
    )


def put_record(
    transaction: Transaction,
    record: PupilRecord,
    expected_school: str | None,
    label: str = "pupil",
) -> None:
    """Write the whole record. `expected_school`: None for a new record (the Massar code is
    unique: conditional put), else the school the stored record must still name (a transfer
    or another school may have taken it since it was read)."""
    item = record_item(record.massar_code, dict(record.data), dict(record.guardians))  # type: ignore[arg-type]
    condition: Any
    if expected_school is None:
        condition = PupilModel.pk.does_not_exist()
    elif expected_school == "":
        condition = PupilModel.pk.exists()
    else:
        condition = PupilModel.data["school_code"] == expected_school
    transaction.put(label, item, condition)


def add_pupil(
    transaction: Transaction,
    massar_code: str,
    profile: dict[str, str | None],
    guardians: dict[str, dict[str, str | None]],
    link_key: str,
    link: dict[str, str | None],
) -> None:
    """A new pupil record (conditional: the Massar code is unique) and its parent link."""
    transaction.put(
        "pupil", record_item(massar_code, profile, guardians), PupilModel.pk.does_not_exist()
    )
    transaction.put(
        "parent_link",
        bound(PupilModel)(
            parent_pk(link_key),
            pupil_pk(massar_code),
            kind="parent_link",
            massar_code=massar_code,
            data=_clean(link),
            created_at=now(),
        ),
    )


def get_record(massar_code: str) -> PupilRecord | None:
    try:
        item = bound(PupilModel).get(pupil_pk(massar_code), PROFILE, consistent_read=True)
    except DoesNotExist:
        return None
    return _record(item)


def get_records(massar_codes: Iterable[str]) -> dict[str, PupilRecord]:
    """Records of many pupils: one BatchGetItem per 100."""
    codes = list(dict.fromkeys(massar_codes))
    found: dict[str, PupilRecord] = {}
    for start in range(0, len(codes), BATCH_GET_LIMIT):
        keys = [(pupil_pk(code), PROFILE) for code in codes[start : start + BATCH_GET_LIMIT]]
        for item in bound(PupilModel).batch_get(keys, consistent_read=True):
            found[item.massar_code] = _record(item)
    return found


def get_profile(massar_code: str) -> dict[str, str] | None:
    """The record's identity and enrolment fields, flat (the views' shape)."""
    record = get_record(massar_code)
    return {"massar_code": massar_code, **record.data} if record else None


def guardians_of(massar_code: str) -> dict[str, dict[str, str]]:
    record = get_record(massar_code)
    return dict(record.guardians) if record else {}


def update_guardian(
    transaction: Transaction, massar_code: str, role: str, person: dict[str, str]
) -> None:
    """Rewrite one guardian of the record's block (the record must exist)."""
    item = bound(PupilModel)(pupil_pk(massar_code), PROFILE)
    actions: list[Any] = [
        PupilModel.guardians[role].set(_clean(dict(person))),  # type: ignore[arg-type]
        PupilModel.updated_at.set(now()),
    ]
    transaction.update("guardian", item, actions, PupilModel.pk.exists())


def links_of_parent(account_key: str) -> list[dict[str, str]]:
    """The pupils a parent account is linked to (one Query)."""
    # Only the links: the partition also holds the parent's notification preferences.
    items = bound(PupilModel).query(parent_pk(account_key), PupilModel.sk.startswith("PUPIL#"))
    return [{"massar_code": item.massar_code, **item.data.as_dict()} for item in items]
