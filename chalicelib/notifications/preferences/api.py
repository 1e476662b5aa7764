"""A parent's choice of the messages they receive, per kind and channel."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalice import Blueprint

from chalicelib.core.http import Call, route

if TYPE_CHECKING:
    from chalicelib.notifications.preferences.rules import Preferences
    from chalicelib.notifications.preferences.schemas import PreferencesAnswer, PreferencesRequest

preferences_bp = Blueprint(__name__)


def _answer(choice: Preferences) -> PreferencesAnswer:
    from chalicelib.notifications.preferences.rules import KINDS, LOCKED
    from chalicelib.notifications.preferences.schemas import PreferencesAnswer

    return PreferencesAnswer.model_validate(
        {"preferences": choice.as_table(), "locked": [k for k in KINDS if k in LOCKED]}
    )


@route(
    preferences_bp,
    "/v1/me/notification-preferences",
    "GET",
    summary="A parent's choice of messages, per kind and channel (all on by default)",
    tag="accounts",
    returns="chalicelib.notifications.preferences.schemas:PreferencesAnswer",
    signed_in=True,
    errors=(403,),
)
def get_preferences(call: Call) -> PreferencesAnswer:
    from chalicelib.notifications.preferences import service

    return _answer(service.mine(call.require()))


@route(
    preferences_bp,
    "/v1/me/notification-preferences",
    "PUT",
    summary="Switch kinds of messages on or off per channel; absences and decisions stay on "
    "(422 naming the field)",
    tag="accounts",
    body="chalicelib.notifications.preferences.schemas:PreferencesRequest",
    returns="chalicelib.notifications.preferences.schemas:PreferencesAnswer",
    signed_in=True,
    errors=(403, 422),
)
def put_preferences(call: Call) -> PreferencesAnswer:
    from chalicelib.notifications.preferences import service

    body: PreferencesRequest = call.body
    table = body.preferences.model_dump(exclude_none=True)
    return _answer(service.change(call.require(), table))
