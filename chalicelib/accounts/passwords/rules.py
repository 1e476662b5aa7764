"""The password rule (seed 004, ASVS 4.0.3 V2.1, NIST 800-63B).

Always on: length 12 to 128 counted on the NFKC form, no common password, none of the
holder's own words (names in Arabic or Latin script, username, CIN, Massar code, birth
date, school name). The ministry's composition rule — letters, digits and symbols — is
the default but a switch (`require_mix`), since NIST and ASVS advise against such rules.
Every failing reason is reported, each as a stable code.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from chalicelib.core.text import fold, words

MIN_LENGTH = 12
MAX_LENGTH = 128


def normalise_password(raw: str) -> str:
    return unicodedata.normalize("NFKC", raw)


@dataclass(frozen=True)
class PasswordContext:
    """What a password must not contain: the holder's own, guessable, words."""

    username: str = ""
    first_names: tuple[str, ...] = ()
    last_names: tuple[str, ...] = ()
    cin: str | None = None
    massar_code: str | None = None
    birth_date: date | None = None
    school_name: tuple[str, ...] = ()
    extra_words: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class PasswordPolicy:
    require_mix: bool = True  # the ministry's rule: letters, digits and symbols
    min_length: int = MIN_LENGTH
    max_length: int = MAX_LENGTH


def _date_forms(day: date) -> list[str]:
    d, m, y = f"{day.day:02d}", f"{day.month:02d}", f"{day.year:04d}"
    return [d + m + y, y + m + d, d + m + y[2:], y[2:] + m + d]


def _classes(password: str) -> tuple[bool, bool, bool]:
    letters = any(c.isalpha() for c in password)
    digits = any(c.isdigit() for c in password)
    symbols = any(not c.isalnum() for c in password)
    return letters, digits, symbols


def password_problems(
    raw: str,
    context: PasswordContext | None = None,
    policy: PasswordPolicy | None = None,
    is_common: Callable[[str], bool] | None = None,
) -> list[str]:
    """Every reason the password is refused, as stable codes (empty when accepted)."""
    policy = policy or PasswordPolicy()
    context = context or PasswordContext()
    password = normalise_password(raw)
    problems: list[str] = []
    if len(password) < policy.min_length:
        problems.append("too_short")
    if len(password) > policy.max_length:
        problems.append("too_long")
    if policy.require_mix:
        letters, digits, symbols = _classes(password)
        if not letters:
            problems.append("needs_letters")
        if not digits:
            problems.append("needs_digits")
        if not symbols:
            problems.append("needs_symbols")
    folded = fold(password)
    if any(w in folded for w in _name_words(context.first_names, context.last_names)):
        problems.append("contains_name")
    identifiers = [context.username, context.cin or "", context.massar_code or ""]
    if any(len(i) >= 4 and fold(i) in folded for i in identifiers):
        problems.append("contains_identifier")
    if context.birth_date is not None:
        digits_only = re.sub(r"[\s./-]", "", password)
        if any(form in digits_only for form in _date_forms(context.birth_date)):
            problems.append("contains_birth_date")
    if any(w in folded for w in _name_words(context.school_name, context.extra_words)):
        problems.append("contains_school_name")
    if is_common is not None and is_common(password):
        problems.append("common_password")
    return problems


def _name_words(*groups: Iterable[str]) -> set[str]:
    return {w for group in groups for name in group for w in words(name)}
