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


PARENT_SUFFIX = "#parent"


def parent_key_for_pupil(massar_code: str) -> str:
    """The account key of a parent whose CIN the school did not record: they sign in with
    their child's Massar code, which is also the pupil's own username (seed 000)."""
    return massar_code + PARENT_SUFFIX


def public_username(account_key: str) -> str:
    return account_key.removesuffix(PARENT_SUFFIX)


def sign_in_keys(raw: str) -> list[str]:
    """The accounts a typed username may name. A bare Massar code names the pupil and the
    parent signing in with it; the password tells which. `<massar>@taalim.ma` is the pupil."""
    explicit_pupil = raw.strip().lower().endswith(TAALIM_DOMAIN)
    username = normalise_username(raw)
    if is_massar_code(username) and not explicit_pupil:
        return [username, parent_key_for_pupil(username)]
    return [username]


def normalise_phone(raw: str) -> str | None:
    """A Moroccan mobile in E.164 (`+2126…`/`+2127…`), from `06…`, `07…`, `+212…`, `00212…`;
    None when it is not one (SMS go to mobiles only)."""
    import phonenumbers

    try:
        number = phonenumbers.parse(raw, "MA")
    except phonenumbers.NumberParseException:
        return None
    if number.country_code != 212 or not phonenumbers.is_valid_number(number):
        return None
    if phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
