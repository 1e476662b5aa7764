"""A parent's notification preferences, in the parent's partition of the pupils table:
`PARENT#<account key>` / `NOTIFY_PREFERENCES`, beside the parent's links to the children.

Why there and not on the account: the alerts that honour them are written where the
pupils table is read anyway (the pupil record names the guardians), the account item stays
what sign-in reads, and the guardians of several pupils are read in one BatchGetItem.
"""

from __future__ import annotations

from collections.abc import Iterable

from chalicelib.core.clock import now
from chalicelib.core.models import PupilModel
from chalicelib.core.store import bound
from chalicelib.pupils.store import BATCH_GET_LIMIT, data_of, parent_pk

SK = "NOTIFY_PREFERENCES"


def get(account_key: str) -> str | None:
    data = data_of(parent_pk(account_key), SK, consistent=True)
    return None if data is None else data.get("off", "")


def put(account_key: str, off: str) -> None:
    stamp = now()
    bound(PupilModel)(
        parent_pk(account_key),
        SK,
        kind="notify_preferences",
        massar_code="-",
        data={"off": off} if off else {},
        created_at=stamp,
        updated_at=stamp,
    ).save()


def of_accounts(account_keys: Iterable[str]) -> dict[str, str]:
    """The stored preferences of these accounts (those with none are left out): one
    BatchGetItem per 100 keys."""
    keys = list(dict.fromkeys(account_keys))
    found: dict[str, str] = {}
    for start in range(0, len(keys), BATCH_GET_LIMIT):
        wanted = [(parent_pk(key), SK) for key in keys[start : start + BATCH_GET_LIMIT]]
        for item in bound(PupilModel).batch_get(wanted):
            found[item.pk.removeprefix("PARENT#")] = str(item.data.as_dict().get("off", ""))
    return found
