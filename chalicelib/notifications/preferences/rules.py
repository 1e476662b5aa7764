"""What a parent chose to receive: per kind of message and channel (pure rules).

Everything is on by default; a parent switches pairs off (`behaviour` by SMS, say). Absences
and decisions (registration decisions, transfers, year-end) cannot be switched off: the
school must be able to reach the family about them. A notification is routed through the
choice before it is written: its channel if allowed, else its fallback's, else nothing;
a fallback on a switched-off channel is dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from chalicelib.notifications.rules import Channel, Notification

KINDS = ("behaviour", "marks_drop", "messages", "appointments", "homework", "absences", "decisions")
# Never switched off (a PUT turning one off is 422 naming the field).
LOCKED = frozenset({"absences", "decisions"})
CHANNELS = (Channel.EMAIL, Channel.SMS)


@dataclass(frozen=True)
class Preferences:
    """The (kind, channel) pairs switched off."""

    off: frozenset[tuple[str, str]] = frozenset()

    def allows(self, kind: str, channel: Channel | str) -> bool:
        if kind in LOCKED:
            return True
        return (kind, Channel(channel).value) not in self.off

    def as_table(self) -> dict[str, dict[str, bool]]:
        return {kind: {c.value: self.allows(kind, c) for c in CHANNELS} for kind in KINDS}

    def stored(self) -> str:
        """`behaviour:sms,marks_drop:email` (sorted; empty: everything on)."""
        return ",".join(f"{kind}:{channel}" for kind, channel in sorted(self.off))


def parse_stored(text: str | None) -> Preferences:
    pairs = set()
    for part in (text or "").split(","):
        kind, _, channel = part.partition(":")
        if kind in KINDS and kind not in LOCKED and channel in {c.value for c in CHANNELS}:
            pairs.add((kind, channel))
    return Preferences(frozenset(pairs))


def from_table(table: Mapping[str, Mapping[str, bool]]) -> tuple[Preferences, dict[str, str]]:
    """The preferences a PUT asks for, and the problems (`preferences.absences.sms`:
    `cannot_switch_off`). Kinds and channels not named stay on."""
    off: set[tuple[str, str]] = set()
    problems: dict[str, str] = {}
    for kind, channels in table.items():
        for channel, on in channels.items():
            if on:
                continue
            if kind in LOCKED:
                problems[f"preferences.{kind}.{channel}"] = "cannot_switch_off"
            else:
                off.add((kind, channel))
    return Preferences(frozenset(off)), problems


def merged(choices: Iterable[Preferences]) -> Preferences:
    """Several accounts standing for the same guardian: a pair off in one is off."""
    off: set[tuple[str, str]] = set()
    for choice in choices:
        off |= choice.off
    return Preferences(frozenset(off))


def routed(notification: Notification, kind: str, choice: Preferences) -> Notification | None:
    """The notification as the recipient wants it: on its channel, else on its fallback's
    (which becomes the channel), else None (nothing is sent)."""
    fallback = notification.fallback
    if fallback is not None and not choice.allows(kind, fallback.channel):
        fallback = None
    if choice.allows(kind, notification.channel):
        return replace(notification, fallback=fallback)
    if fallback is None:
        return None
    return replace(
        notification, channel=fallback.channel, recipient=fallback.recipient, fallback=None
    )
