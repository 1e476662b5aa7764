"""Audit table: security events per account, in time order."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from pynamodb.transactions import TransactWrite

from chalicelib.accounts.audit.rules import AuditEntry
from chalicelib.core.clock import now
from chalicelib.core.cursors import decode_cursor, encode_cursor
from chalicelib.core.errors import InvalidFields
from chalicelib.core.models import AuditModel
from chalicelib.core.store import bound

# Security events are kept 400 days (a school year and its appeals).
RETENTION = timedelta(days=400)


def _item(entry: AuditEntry) -> AuditModel:
    moment = now()
    return bound(AuditModel)(
        entry.subject,
        f"{moment.isoformat(timespec='milliseconds')}#{secrets.token_hex(3)}",
        event=entry.event.value,
        actor=entry.actor,
        source_ip=entry.origin.source_ip,
        user_agent=entry.origin.user_agent[:200] or None,
        detail=dict(entry.detail) or None,
        expires_at=moment + RETENTION,
    )


def add_to_transaction(transaction: TransactWrite, entry: AuditEntry) -> None:
    transaction.save(_item(entry))


def record(entry: AuditEntry) -> None:
    _item(entry).save()


def list_entries(
    subject: str, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """One account's events, newest first, a page at a time (one Query)."""
    # The cursor is bound to the account it pages: one made for another account, or any
    # other shape, is refused (ValueError → 422), never used as a start key.
    try:
        start = decode_cursor(cursor, {"subject": subject}, {"subject": "S", "at": "S"})
    except InvalidFields as error:
        raise ValueError("cursor of another account") from error
    page = bound(AuditModel).query(
        subject, scan_index_forward=False, limit=limit, last_evaluated_key=start
    )
    items = [
        {
            "at": item.at.split("#")[0],
            "event": item.event,
            "actor": item.actor,
            "source_ip": item.source_ip,
            "user_agent": item.user_agent,
            "detail": item.detail.as_dict() if item.detail else {},
        }
        for item in page
    ]
    return items, encode_cursor(page.last_evaluated_key)
