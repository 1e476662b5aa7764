"""What a message template is: its texts per language, its params, how it is sent."""

from __future__ import annotations

from dataclasses import dataclass, field

from chalicelib.notifications.rules import Language

AR, FR = Language.AR, Language.FR


@dataclass(frozen=True)
class Texts:
    subject: str
    text: str  # the email's plain-text part; the HTML part is built from it
    sms: str


@dataclass(frozen=True)
class Template:
    name: str
    label: dict[Language, str]  # what the message is, for status lines ("Rejet")
    params: tuple[str, ...]
    texts: dict[Language, Texts]
    secret_params: tuple[str, ...] = ()
    # Never held by quiet hours (codes, recovery passwords, security alerts).
    urgent: bool = False
    # Parts the SMS form takes with the longest realistic values, per language (≤ 2).
    sms_parts: dict[Language, int] = field(default_factory=lambda: {AR: 1, FR: 1})
    # Free-text params cut first (with an ellipsis) when an SMS would pass MAX_PARTS.
    shrink: tuple[str, ...] = ()
