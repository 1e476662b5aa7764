"""What operators see of a notification (answers of the notification routes)."""

from __future__ import annotations

from dataclasses import fields as dataclass_fields
from typing import Any, get_args, get_type_hints

from pydantic import BaseModel, ConfigDict, create_model

from chalicelib.notifications.lookup import NotificationView


def _answer_of(view: type[object], name: str) -> type[BaseModel]:
    """The answer body with the fields of the service's view, in its order: a field that may
    be empty is left out of the answer, so it is optional here."""
    hints = get_type_hints(view)
    fields: dict[str, Any] = {
        field.name: (hints[field.name], None if type(None) in get_args(hints[field.name]) else ...)
        for field in dataclass_fields(view)  # type: ignore[arg-type]
    }
    model: type[BaseModel] = create_model(name, __config__=ConfigDict(defer_build=True), **fields)
    return model


# status: pending, queued, sending, sent, failed; delivery_status: delivered, bounced,
# complained, undelivered; summary: "Demande refusée : envoyé par SMS, distribué".
NotificationOut = _answer_of(NotificationView, "NotificationOut")


NotificationPage: type[BaseModel] = create_model(
    "NotificationPage",
    __config__=ConfigDict(defer_build=True),
    items=(list[NotificationOut], ...),  # type: ignore[valid-type]
    next_cursor=(str | None, ...),
)
