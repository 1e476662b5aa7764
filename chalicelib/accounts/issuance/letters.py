"""Credential letters: rendered, stored privately in S3, handed out through a short-lived URL."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from chalicelib.accounts.rules import Account
from chalicelib.core import files
from chalicelib.core.identifiers import public_username
from chalicelib.core.secrets import new_id
from chalicelib.registration.campaigns.service import today

if TYPE_CHECKING:  # rendering is imported on first use: fpdf2 and HarfBuzz are heavy
    from chalicelib.accounts.issuance.letter_pdf import Letter


@dataclass(frozen=True)
class StoredLetters:
    key: str
    url: str
    expires_in: int


def letter_for(account: Account, initial_code: str, class_label: str = "") -> Letter:
    from chalicelib.accounts.issuance.letter_pdf import Letter

    profile = account.profile
    code = account.scope.school_code or profile.get("school_code") or ""
    name_fr, name_ar = _school_names(code)
    school_fr = name_fr or profile.get("school_name") or code
    holder_ar = " ".join(
        v for v in (profile.get("first_name_ar"), profile.get("last_name_ar")) if v
    )
    holder_fr = " ".join(v for v in (profile.get("first_name"), profile.get("last_name")) if v)
    return Letter(
        username=public_username(account.username),
        initial_code=initial_code,
        holder_name_ar=holder_ar or holder_fr,
        holder_name_fr=holder_fr or holder_ar,
        role=account.role.value,
        school_name=school_fr,
        class_label=class_label,
        school_name_ar=name_ar,
        issued_on=today().strftime("%d/%m/%Y"),
    )


_NAMES: dict[str, tuple[float, tuple[str, str]]] = {}


def _school_names(code: str) -> tuple[str, str]:
    """The school's French and Arabic names, read once a few minutes for a whole batch."""
    from chalicelib.core.clock import epoch
    from chalicelib.schools import store as schools

    if not code:
        return "", ""
    cached = _NAMES.get(code)
    if cached and epoch() - cached[0] < 300:
        return cached[1]
    school = schools.get_school(code)
    names = (school.name_fr, school.name_ar) if school else ("", "")
    _NAMES[code] = (epoch(), names)
    return names


def store_letters(letters: Sequence[Letter], school_code: str, label: str) -> StoredLetters:
    from chalicelib.accounts.issuance.letter_pdf import render_letters

    pdf = render_letters(letters)
    key = f"letters/{school_code or 'none'}/{label}-{new_id()}.pdf"
    files.put_pdf(key, pdf)
    return StoredLetters(
        key, files.download_url(key, filename=f"{label}.pdf"), files.LETTER_URL_SECONDS
    )
