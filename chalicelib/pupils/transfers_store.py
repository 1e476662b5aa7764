"""Transfers and the turn of the school year, in the pupils table.

- `TRANSFER#<id>` / `TRANSFER`: a transfer (pupil, from and to school, status, reasons);
- `TRANSFERS_IN#<school>` and `TRANSFERS_OUT#<school>` / `<requested_at>#<id>`: the same
  transfer listed for the receiving and the current school (one Query each, newest first);
- `PUPIL#<massar>` / `TRANSFER_OPEN`: at most one open transfer per pupil (conditional put);
- `PUPIL#<massar>` / `DECISION#<school year>`: the year-end decision of that year;
- `PUPIL#<massar>` / `REREGISTRATION#<school year>`: the parent's re-registration, and
  `REREGISTRATIONS#<school>#<school year>` / `<massar>`: who has confirmed, for the school.
"""

from __future__ import annotations

from typing import Any

from chalicelib.core.models import PupilModel
from chalicelib.core.store import bound
from chalicelib.core.transactions import Transaction
from chalicelib.pupils.store import data_of, pupil_pk
from chalicelib.pupils.store import new_item as _item

OPEN = "TRANSFER_OPEN"


def put_transfer(transaction: Transaction, transfer: dict[str, str], opening: bool) -> None:
    """The transfer and its two list entries; `opening` also takes the pupil's one open
    transfer slot (fails if another is open), a decision gives it back."""
    massar, id_ = transfer["massar_code"], transfer["id"]
    sort = f"{transfer['requested_at']}#{id_}"
    transaction.put("transfer", _item(f"TRANSFER#{id_}", "TRANSFER", "transfer", massar, transfer))
    for prefix, school in (("TRANSFERS_IN", "to_school"), ("TRANSFERS_OUT", "from_school")):
        transaction.put(
            "listed",
            _item(f"{prefix}#{transfer[school]}", sort, "transfer_entry", massar, transfer),
        )
    slot = _item(pupil_pk(massar), OPEN, "transfer_open", massar, {"transfer_id": id_})
    if opening:
        transaction.put("open_transfer", slot, PupilModel.pk.does_not_exist())
    else:
        transaction.delete("open_transfer", slot)


def get_transfer(id_: str) -> dict[str, str] | None:
    return data_of(f"TRANSFER#{id_}", "TRANSFER", consistent=True)


def transfers_of_school(school_code: str, incoming: bool, limit: int) -> list[dict[str, str]]:
    prefix = "TRANSFERS_IN" if incoming else "TRANSFERS_OUT"
    items = bound(PupilModel).query(
        f"{prefix}#{school_code}", scan_index_forward=False, limit=limit
    )
    return [{str(k): str(v) for k, v in item.data.as_dict().items()} for item in items]


def put_decision(
    transaction: Transaction, massar_code: str, year: str, data: dict[str, str]
) -> None:
    transaction.put(
        "decision", _item(pupil_pk(massar_code), f"DECISION#{year}", "decision", massar_code, data)
    )


def decisions_of_pupils(massar_codes: list[str], year: str) -> list[dict[str, str]]:
    """The decisions of one school year for many pupils: one BatchGetItem per 100."""
    found = []
    for start in range(0, len(massar_codes), 100):
        keys = [(pupil_pk(code), f"DECISION#{year}") for code in massar_codes[start : start + 100]]
        for item in bound(PupilModel).batch_get(keys):
            found.append({str(k): str(v) for k, v in item.data.as_dict().items()})
    return sorted(found, key=lambda d: d["massar_code"])


def decisions_of(massar_code: str) -> list[dict[str, str]]:
    items = bound(PupilModel).query(pupil_pk(massar_code), PupilModel.sk.startswith("DECISION#"))
    return [{str(k): str(v) for k, v in item.data.as_dict().items()} for item in items]


def put_reregistration(
    transaction: Transaction, massar_code: str, school_code: str, data: dict[str, str]
) -> None:
    year = data["school_year"]
    transaction.put(
        "reregistration",
        _item(pupil_pk(massar_code), f"REREGISTRATION#{year}", "reregistration", massar_code, data),
    )
    transaction.put(
        "reregistration_listed",
        _item(f"REREGISTRATIONS#{school_code}#{year}", massar_code, "rereg", massar_code, data),
    )


def reregistration_of(massar_code: str, year: str) -> dict[str, str] | None:
    return data_of(pupil_pk(massar_code), f"REREGISTRATION#{year}")


def reregistrations_of_school(school_code: str, year: str) -> list[dict[str, Any]]:
    items = bound(PupilModel).query(f"REREGISTRATIONS#{school_code}#{year}")
    return [{str(k): str(v) for k, v in item.data.as_dict().items()} for item in items]
