"""Credential letters: rendered, stored privately in S3, handed out through a short-lived URL."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from chalicelib.domain.accounts import Account
from chalicelib.domain.identifiers import public_username
from chalicelib.services.secrets import new_id
from chalicelib.store import files

if TYPE_CHECKING:  # rendering is imported on first use: fpdf2 and HarfBuzz are heavy
    from chalicelib.documents.credential_letters import Letter


@dataclass(frozen=True)
class StoredLetters:
    key: str
    url: str
    expires_in: int


def letter_for(account: Account, initial_code: str, class_label: str = "") -> Letter:
    from chalicelib.documents.credential_letters import Letter

    profile = account.profile
    name_ar = " ".join(v for v in (profile.get("first_name_ar"), profile.get("last_name_ar")) if v)
    name_fr = " ".join(v for v in (profile.get("first_name"), profile.get("last_name")) if v)
    return Letter(
        username=public_username(account.username),
        initial_code=initial_code,
        holder_name_ar=name_ar or name_fr,
        holder_name_fr=name_fr or name_ar,
        role=account.role.value,
        school_name=profile.get("school_name") or account.scope.school_code or "",
        class_label=class_label,
    )


def store_letters(letters: Sequence[Letter], school_code: str, label: str) -> StoredLetters:
    from chalicelib.documents.credential_letters import render_letters

    pdf = render_letters(letters)
    key = f"letters/{school_code or 'none'}/{label}-{new_id()}.pdf"
    files.put_pdf(key, pdf)
    return StoredLetters(
        key, files.download_url(key, filename=f"{label}.pdf"), files.LETTER_URL_SECONDS
    )
