"""Pupils table: a pupil's partition `PUPIL#<massar>` and the parent links.

Items written at approval (one transaction with the decision):
- `PUPIL#<massar>` / `PROFILE`: the pupil record (conditional put: the Massar code is
  unique);
- `PUPIL#<massar>` / `GUARDIAN#<father|mother|guardian>`: each guardian given;
- `PARENT#<account key>` / `PUPIL#<massar>`: the parent link, keyed by the account the
  responsible guardian will sign in with — their CIN when given, else the pupil's Massar
  code (`identifiers.parent_key_for_pupil`) — so the accounts service finds a parent's
  children with one Query on `PARENT#<key>`.
Later issues add their kinds under `PUPIL#<massar>` (marks, absences per school year).
"""

from __future__ import annotations

from pynamodb.exceptions import DoesNotExist

from chalicelib.store.base import bound
from chalicelib.store.clock import now
from chalicelib.store.models import PupilModel
from chalicelib.store.transactions import Transaction

PROFILE = "PROFILE"


def pupil_pk(massar_code: str) -> str:
    return f"PUPIL#{massar_code}"


def parent_pk(account_key: str) -> str:
    return f"PARENT#{account_key}"


def _clean(data: dict[str, str | None]) -> dict[str, str]:
    return {k: v for k, v in data.items() if v not in (None, "")}  # type: ignore[misc]


def add_pupil(
    transaction: Transaction,
    massar_code: str,
    profile: dict[str, str | None],
    guardians: dict[str, dict[str, str | None]],
    link_key: str,
    link: dict[str, str | None],
) -> None:
    stamp = now()
    pk = pupil_pk(massar_code)
    transaction.put(
        "pupil",
        bound(PupilModel)(
            pk,
            PROFILE,
            kind="profile",
            massar_code=massar_code,
            data=_clean(profile),
            created_at=stamp,
        ),
        PupilModel.pk.does_not_exist(),
    )
    for role, person in guardians.items():
        transaction.put(
            "guardian",
            bound(PupilModel)(
                pk,
                f"GUARDIAN#{role}",
                kind="guardian",
                massar_code=massar_code,
                data=_clean(person),
                created_at=stamp,
            ),
        )
    transaction.put(
        "parent_link",
        bound(PupilModel)(
            parent_pk(link_key),
            pk,
            kind="parent_link",
            massar_code=massar_code,
            data=_clean(link),
            created_at=stamp,
        ),
    )


def get_profile(massar_code: str) -> dict[str, str] | None:
    try:
        item = bound(PupilModel).get(pupil_pk(massar_code), PROFILE, consistent_read=True)
    except DoesNotExist:
        return None
    return {"massar_code": item.massar_code, **item.data.as_dict()}


def guardians_of(massar_code: str) -> dict[str, dict[str, str]]:
    items = bound(PupilModel).query(pupil_pk(massar_code), PupilModel.sk.startswith("GUARDIAN#"))
    return {item.sk.removeprefix("GUARDIAN#"): item.data.as_dict() for item in items}


def links_of_parent(account_key: str) -> list[dict[str, str]]:
    """The pupils a parent account is linked to (one Query)."""
    items = bound(PupilModel).query(parent_pk(account_key))
    return [{"massar_code": item.massar_code, **item.data.as_dict()} for item in items]
