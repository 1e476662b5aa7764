"""Pupils' names beside their Massar codes on the staff's screens: from the pupil
record, for a whole page at once (`store.pupils.get_records`: one BatchGetItem per 100
codes, never a read per row)."""

from __future__ import annotations

from collections.abc import Iterable

from chalicelib.pupils.rules import PupilRecord

NAME_FIELDS = ("first_name_ar", "last_name_ar", "first_name_lat", "last_name_lat")


def names_in(record: PupilRecord | None) -> dict[str, str] | None:
    """The record's names in both scripts (None without a record or a name)."""
    if record is None:
        return None
    names = {key: record.data[key] for key in NAME_FIELDS if record.data.get(key)}
    return names or None


def names_of(massar_codes: Iterable[str]) -> dict[str, dict[str, str]]:
    """Names by Massar code, for the codes with a record."""
    from chalicelib.pupils.store import get_records

    codes = [code for code in dict.fromkeys(massar_codes) if code]
    if not codes:
        return {}
    found: dict[str, dict[str, str]] = {}
    for code, record in get_records(codes).items():
        names = names_in(record)
        if names:
            found[code] = names
    return found
