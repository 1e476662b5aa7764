"""The password rule (seed 004, ASVS 2.1): the part the skeleton needs.

Length is counted on the NFKC form so that one visible character counts once whatever
keyboard produced it. The full rule (composition switch, context words, common
passwords) belongs to the accounts issue and extends `password_problems`.
"""

from __future__ import annotations

import unicodedata

MIN_LENGTH = 12
MAX_LENGTH = 128


def normalise_password(raw: str) -> str:
    return unicodedata.normalize("NFKC", raw)


def password_problems(raw: str) -> list[str]:
    """Every reason the password is refused, as stable codes (empty when it is accepted)."""
    password = normalise_password(raw)
    problems: list[str] = []
    if len(password) < MIN_LENGTH:
        problems.append("too_short")
    if len(password) > MAX_LENGTH:
        problems.append("too_long")
    return problems
