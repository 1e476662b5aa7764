"""Folding text for comparison: two spellings of one name compare equal.

Latin: case and accents ignored. Arabic: harakat (diacritics), tatweel, and the alef, ya
and ta-marbuta variants ignored — the ways one name is commonly typed differently.
"""

from __future__ import annotations

import re
import unicodedata

TATWEEL = "\u0640"
_ARABIC_VARIANTS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ئ": "ي",
        "ة": "ه",
        "ؤ": "و",
    }
)


def fold(text: str) -> str:
    """Lower-case, accent-free, diacritic-free, variant-free form of `text`."""
    decomposed = unicodedata.normalize("NFKD", text.replace(TATWEEL, ""))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped).casefold().translate(_ARABIC_VARIANTS)


def words(text: str, min_length: int = 3) -> list[str]:
    """The folded words of a name, long enough to be meaningful inside a password."""
    return [w for w in re.split(r"[\W_]+", fold(text)) if len(w) >= min_length]
