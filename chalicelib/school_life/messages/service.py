"""Messages between a pupil's family (the pupil, a linked parent) and the school
administration (staff of the pupil's school), one thread per pupil; reading marks read."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from functools import partial

from chalicelib.accounts.rules import Role
from chalicelib.accounts.sign_in.tokens import Principal
from chalicelib.core.access import may_see_pupil, require_record
from chalicelib.core.clock import now
from chalicelib.core.cursors import Page
from chalicelib.core.errors import NotFound
from chalicelib.core.flags import stored_flag
from chalicelib.notifications.rules import Notification
from chalicelib.pupils.names import names_in
from chalicelib.pupils.rules import PupilRecord


@dataclass
class ThreadPage:
    page: Page[dict[str, str]]
    unread: int
    pupil: dict[str, str] | None = None  # the names, from the record already read


def _school(principal: Principal, massar_code: str) -> tuple[str, PupilRecord]:
    record = require_record(principal, massar_code)
    if record.school_code is None:
        raise NotFound("pupil")  # a record with no school has no administration to write to
    return record.school_code, record


def _reply_notice(
    record: PupilRecord, message: dict[str, str], state: dict[str, str] | None
) -> Notification | None:
    """The school answered: the family's last author is told, once until they read the
    thread (a burst of replies is one notice; the recipient budget caps the rest). None
    when no one of the family wrote in the thread (a school-only thread)."""
    from chalicelib.school_life import notices
    from chalicelib.school_life.messages import store as messages

    author = (state or {}).get("family_author")
    if not author or state is None:
        return None
    marker = messages.read_marker(record.massar_code, author) or {}
    already = messages.school_sent(record.massar_code, state)
    if already > int(marker.get("read_count", "0")):
        return None  # told of an earlier reply they have not read yet
    school = message["school_code"]
    return notices.to_account(
        author,
        record.massar_code,
        f"reply-{message['id']}",
        "message_reply",
        lambda language: {
            "child_name": notices.child_name(record, language),
            "school_name": notices.school_name(school, language),
        },
        kind="messages",
    )


def send(principal: Principal, massar_code: str, body: str) -> dict[str, str]:
    from chalicelib.school_life.messages import store as messages

    school, record = _school(principal, massar_code)
    from_school = principal.role is Role.STAFF
    message = {
        "id": secrets.token_hex(8),
        "massar_code": massar_code,
        "school_code": school,
        "body": body,
        "author": principal.username,
        "author_role": principal.role.value,
        "from_school": stored_flag(from_school),
        "sent_at": now().isoformat(timespec="milliseconds"),
    }
    notice = partial(_reply_notice, record, message) if from_school else None
    messages.add_message(message, from_school, notice)
    return message


def read_thread(
    principal: Principal, massar_code: str, limit: int, cursor: str | None
) -> ThreadPage:
    """A page of the thread (oldest first, the newest last) and how many messages were unread
    for the caller before this read; the thread is then read up to its last message.

    Two reads whatever the thread's length: one BatchGetItem (the pupil record, the thread's
    state, the reader's marker) and the page's Query; a write only when something new was
    read (the marker moves, or the school's unread count goes to 0)."""
    from chalicelib.school_life.messages import store as messages

    if principal.role is not Role.STAFF and not may_see_pupil(principal, massar_code, None):
        raise NotFound("pupil")  # the family is decided from the token, with no read
    staff = principal.role is Role.STAFF
    context = messages.thread_context(massar_code, None if staff else principal.username)
    record = context.record
    if record is None or not may_see_pupil(principal, massar_code, record):
        raise NotFound("pupil")
    if record.school_code is None:
        raise NotFound("pupil")  # a record with no school has no administration to write to
    page = messages.thread(massar_code, limit, cursor)
    state = context.state
    if staff:
        unread = int(state["school_unread"]) if state else 0
        if unread:
            messages.mark_read_by_school(massar_code, state)
        return ThreadPage(page, unread, names_in(record))
    marker = context.marker or {}
    read_at = marker.get("read_at")
    sent = int(state["school_sent"]) if state and "school_sent" in state else None
    if state is None:
        unread = 0  # no message yet
    elif sent is not None and (not marker or "read_count" in marker):
        unread = max(0, sent - int(marker.get("read_count", 0)))
    else:  # a thread or marker written before the counts were kept: counted once
        unread = messages.count_from_school_after(massar_code, read_at)
    if state is not None and (
        state["last_at"] != read_at or (sent is not None and "read_count" not in marker)
    ):
        messages.set_read_marker(massar_code, principal.username, state["last_at"], sent)
    return ThreadPage(page, unread, names_in(record))


def inbox(
    principal: Principal, school_code: str, unread_only: bool, limit: int, cursor: str | None
) -> Page[dict[str, str]]:
    from chalicelib.school_life.appointments.service import require_staff_of
    from chalicelib.school_life.messages import store as messages

    require_staff_of(principal, school_code)
    return messages.inbox(school_code, unread_only, limit, cursor)
