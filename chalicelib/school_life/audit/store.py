"""A pupil's trail in the audit table (subject `PUPIL#<massar>`): marks changed or deleted,
assessments edited, absences recorded, decided, cancelled, guardian data corrected."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from chalicelib.core.cursors import decode_cursor, encode_cursor
from chalicelib.core.models import AuditModel
from chalicelib.core.store import bound


def pupil_trail(
    massar_code: str, events: Sequence[str], limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """A page of the pupil's events of these kinds, newest first: one Query (the kinds as
    its filter; a page may hold fewer than `limit` and still have a next one)."""
    subject = f"PUPIL#{massar_code}"
    start: Any = decode_cursor(cursor, {"subject": subject}, {"subject": "S", "at": "S"})
    model = bound(AuditModel)
    page = model.query(
        subject,
        filter_condition=model.event.is_in(*events),
        scan_index_forward=False,
        limit=limit,
        last_evaluated_key=start,
    )
    items = [
        {
            "at": item.at.split("#")[0],
            "event": item.event,
            "actor": item.actor,
            "detail": item.detail.as_dict() if item.detail else {},
        }
        for item in page
    ]
    return items, encode_cursor(page.last_evaluated_key)
