"""Names as parents type them: checked for their script, normalised, and folded for search.

Stored form: NFC, one space between words, no tatweel, no leading/trailing space or
hyphen; Arabic diacritics (harakat) are kept as typed. Search form (`search_terms`): the
folding of `domain.text.fold` (case, accents, harakat, tatweel and alef/ya/ta-marbuta
variants ignored), cut into words, plus each name with its spaces removed so that
"عبد الله" and "عبدالله" find each other.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from chalicelib.core.text import TATWEEL, ZWNJ, fold

MAX_NAME_LENGTH = 60
_SPACES = re.compile(r"[\s\u00a0\u200b-\u200f\u202a-\u202e\u2066-\u2069]+")
_SEPARATORS = "-'"
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "‐": "-", "–": "-"})
_WORD_SPLIT = re.compile(r"[\s\-']+")
MIN_QUERY_LENGTH = 2
MAX_TERMS = 16


class NameProblem(ValueError):
    """A name is refused; `code` names the reason (an i18n field-message key)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def clean_spaces(raw: str) -> str:
    """NFC, every run of spaces (and invisible direction marks) as one space, trimmed."""
    text = unicodedata.normalize("NFC", raw)
    return _SPACES.sub(" ", text).strip()


def _is_arabic_letter(char: str) -> bool:
    return unicodedata.category(char) in ("Lo", "Mn") and unicodedata.name(char, "").startswith(
        "ARABIC"
    )


def _is_latin_letter(char: str) -> bool:
    if unicodedata.category(char) == "Mn":  # a combining accent left after NFC
        return True
    return unicodedata.category(char) in ("Lu", "Ll") and unicodedata.name(char, "").startswith(
        "LATIN"
    )


def _tidy(raw: str) -> str:
    # ZWNJ, kept by `clean_input` between letters for Persian, has no place in these names.
    text = clean_spaces(raw.translate(_APOSTROPHES).replace(ZWNJ, "")).replace(TATWEEL, "")
    text = re.sub(r"\s*([-'])\s*", r"\1", text)  # "El - Amrani" → "El-Amrani"
    return text.strip(" " + _SEPARATORS)


def _check(text: str, is_letter: object, code: str) -> str:
    if not text:
        raise NameProblem("empty_name")
    if len(text) > MAX_NAME_LENGTH:
        raise NameProblem("name_too_long")
    assert callable(is_letter)
    if not all(c == " " or c in _SEPARATORS or is_letter(c) for c in text):
        raise NameProblem(code)
    if not any(unicodedata.category(c) != "Mn" and c not in " -'" for c in text):
        raise NameProblem("empty_name")
    return text


def arabic_name(raw: str) -> str:
    """A name in Arabic script (letters, harakat, spaces, hyphens), normalised."""
    return _check(_tidy(raw), _is_arabic_letter, "not_arabic")


def latin_name(raw: str) -> str:
    """A name in Latin script (accented letters allowed, spaces, hyphens, apostrophes)."""
    return _check(_tidy(raw), _is_latin_letter, "not_latin")


def free_text(raw: str, max_length: int) -> str:
    """Places, professions, addresses: spaces normalised, control characters refused."""
    text = clean_spaces(raw).replace(TATWEEL, "")
    if not text:
        raise NameProblem("empty_text")
    if len(text) > max_length:
        raise NameProblem("text_too_long")
    if any(unicodedata.category(c) in ("Cc", "Cf", "Co", "Cs") for c in text):
        raise NameProblem("invalid_characters")
    return text


def _search_words(text: str) -> list[str]:
    folded = fold(text)
    return [w for w in _WORD_SPLIT.split(folded) if w]


def search_terms(names: Iterable[str]) -> list[str]:
    """The search words of some names (folded, deduplicated, in a stable order)."""
    terms: list[str] = []
    for name in names:
        words = _search_words(name)
        candidates = [*words, "".join(words)] if len(words) > 1 else words
        for term in candidates:
            if term and term not in terms:
                terms.append(term)
    return terms[:MAX_TERMS]


def query_words(query: str) -> list[str]:
    """What a director typed, as folded words (the longest first); [] when too short."""
    words = _search_words(clean_spaces(query.translate(_APOSTROPHES)))
    words = [w for w in words if len(w) >= MIN_QUERY_LENGTH]
    return sorted(dict.fromkeys(words), key=len, reverse=True)


def matches(query: list[str], terms: Iterable[str]) -> bool:
    """Every query word is the start of one of the terms (prefix search)."""
    known = list(terms)
    return all(any(t.startswith(w) for t in known) for w in query)
