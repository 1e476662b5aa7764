"""How many billed parts an SMS takes, and keeping French SMS in the GSM-7 alphabet.

An SMS is billed per part. A text entirely in the GSM 03.38 alphabet ("GSM-7") takes
160 characters in one part, 153 a part when split; a single character outside it (any
Arabic letter, but also French `ç`, `ê`, `â`, `î`, `ô`, `û`, `œ`, `’`) turns the whole
message into UCS-2: 70 characters in one part, 67 a part when split. Characters of the
GSM-7 extension table (`€ [ ] { } ~ ^ | \\`) count twice.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")

GSM7_SINGLE, GSM7_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67
# Never more than this many parts, whatever the values (templates aim at one).
MAX_PARTS = 2

# Typography a French text may hold, and its nearest GSM-7 spelling.
_REPLACEMENTS = {
    "’": "'",
    "‘": "'",
    "«": '"',
    "»": '"',
    "“": '"',
    "”": '"',
    "–": "-",
    "—": "-",
    "…": "...",
    "\u00a0": " ",
    "\u202f": " ",
    "œ": "oe",
    "Œ": "OE",
    "ç": "c",
}


@dataclass(frozen=True)
class SmsSize:
    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    parts: int


def is_gsm7(text: str) -> bool:
    return all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in text)


def sms_size(text: str) -> SmsSize:
    if is_gsm7(text):
        units = sum(2 if c in GSM7_EXTENSION else 1 for c in text)
        parts = 1 if units <= GSM7_SINGLE else -(-units // GSM7_PART)
        return SmsSize("GSM-7", units, parts)
    units = len(text.encode("utf-16-le")) // 2
    parts = 1 if units <= UCS2_SINGLE else -(-units // UCS2_PART)
    return SmsSize("UCS-2", units, parts)


def capacity(encoding: str, parts: int) -> int:
    """How many units fit in `parts` parts."""
    if encoding == "GSM-7":
        return GSM7_SINGLE if parts == 1 else GSM7_PART * parts
    return UCS2_SINGLE if parts == 1 else UCS2_PART * parts


def to_gsm7(text: str) -> str:
    """The nearest GSM-7 spelling of a Latin-script text (`ê` → `e`, `’` → `'`); characters
    with no Latin base (Arabic letters) are kept, so such a text stays UCS-2."""
    out = []
    for char in text:
        if char in GSM7_BASIC or char in GSM7_EXTENSION:
            out.append(char)
        elif char in _REPLACEMENTS:
            out.append(_REPLACEMENTS[char])
        else:
            base = "".join(
                c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
            )
            out.append(base if base and is_gsm7(base) else char)
    return "".join(out)
