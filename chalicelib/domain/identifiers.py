"""Identifiers of the Massar system: Massar codes, CIN numbers and usernames."""

from __future__ import annotations

import re

MASSAR_CODE = re.compile(r"^[A-Z][0-9]{9}$")
CIN = re.compile(r"^[A-Z]{1,2}[0-9]{4,8}$")
TAALIM_DOMAIN = "@taalim.ma"
STAFF_USERNAME = re.compile(r"^[a-z][a-z0-9._-]{2,39}$")


def normalise_cin(raw: str) -> str:
    """CINs are stored upper-case without spaces (API.md)."""
    return re.sub(r"\s+", "", raw).upper()


def is_massar_code(value: str) -> bool:
    return bool(MASSAR_CODE.match(value))


def is_cin(value: str) -> bool:
    return bool(CIN.match(value))


def normalise_username(raw: str) -> str:
    """One spelling per account.

    Pupils sign in with their Massar code, also written `<massar>@taalim.ma` (seed 000);
    parents with their CIN or their child's Massar code; staff and operators with a
    lower-case username chosen by an operator.
    """
    value = raw.strip()
    lowered = value.lower()
    if lowered.endswith(TAALIM_DOMAIN):
        value = value[: -len(TAALIM_DOMAIN)]
    compact = normalise_cin(value)
    if is_massar_code(compact) or is_cin(compact):
        return compact
    return value.lower()
