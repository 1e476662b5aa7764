"""What operators see of a notification (answers of the notification routes)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict


class NotificationOut(BaseModel):
    model_config = ConfigDict(defer_build=True)

    id: str
    template: str
    label: str
    channel: str
    recipient: str
    language: str
    status: str  # pending, queued, sending, sent, failed
    delivery_status: str | None = None  # delivered, bounced, complained, undelivered
    delivery_detail: str | None = None
    attempts: int
    created_at: datetime
    sent_at: datetime | None = None
    delivery_at: datetime | None = None
    failure_reason: str | None = None
    fallback_id: str | None = None
    fallback_of: str | None = None
    resend_of: str | None = None
    summary: str  # "Demande refusée : envoyé par SMS, distribué"


class NotificationPage(BaseModel):
    model_config = ConfigDict(defer_build=True)

    items: list[NotificationOut]
    next_cursor: str | None
