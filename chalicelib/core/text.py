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


# What nobody means to type into a field, stripped from every input (`clean_input`): C0 and
# C1 controls but tab and line breaks (NUL cuts strings in C code, logs and PDFs), the
# bidirectional embeddings, overrides, isolates and marks (text that shows other than it
# reads: a name or message reordered on screen), and the zero-width characters and BOM
# (two names that look alike but compare different, hidden text in messages).
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b\u200d-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
# ZWNJ (U+200C) is kept between two letters: Persian and Kurdish in Arabic script and the
# Indic scripts need it there (it changes how the letters join). Arabic and French names
# never use it (`domain.names` drops it); anywhere else it only hides.
ZWNJ = "\u200c"
_ZWNJ_RUN = re.compile("\u200c{2,}")
_STRAY_ZWNJ = re.compile(r"(?<!\w)\u200c|\u200c(?!\w)")


def clean_input(text: str) -> str:
    """`text` without the characters above (the one place input is cleaned of them)."""
    text = _INVISIBLE.sub("", text)
    if ZWNJ not in text:
        return text
    return _STRAY_ZWNJ.sub("", _ZWNJ_RUN.sub(ZWNJ, text))
