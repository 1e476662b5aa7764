"""Bodies of the notification-preferences routes."""

from __future__ import annotations

from pydantic import Field

from chalicelib.core.schemas import AnswerBody, RequestBody


class ChannelChoice(RequestBody):
    email: bool = True
    sms: bool = True


class KindChoices(RequestBody):
    """Kinds not named stay on; `absences` and `decisions` cannot be switched off."""

    behaviour: ChannelChoice | None = None
    marks_drop: ChannelChoice | None = None
    messages: ChannelChoice | None = None
    appointments: ChannelChoice | None = None
    homework: ChannelChoice | None = None
    absences: ChannelChoice | None = None
    decisions: ChannelChoice | None = None


class PreferencesRequest(RequestBody):
    preferences: KindChoices


class ChannelState(AnswerBody):
    email: bool
    sms: bool


class PreferencesAnswer(AnswerBody):
    preferences: dict[str, ChannelState] = Field(
        description="every kind of message → whether it is sent by email and by SMS"
    )
    locked: list[str] = Field(description="kinds that cannot be switched off")
