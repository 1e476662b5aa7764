"""Notices to one member of a pupil's family about something the school did (issue 17): the
school answered a message, declined an appointment, decided a justification.

The recipient is the account that asked (the message's author, the requester, the parent who
sent the justification), in that account's language, by email when it has one (its phone as
the fallback), else by SMS. Nothing is sent to an account no longer linked to the pupil, nor
to one without a contact. Callers write the notice in the transaction of the change.
"""

from __future__ import annotations

from collections.abc import Callable

from chalicelib.accounts.rules import Account, Role
from chalicelib.core.access import pupils_of_account
from chalicelib.notifications.rules import Channel, Contact, Language, Notification, pick_language
from chalicelib.pupils.rules import PupilRecord


def child_name(record: PupilRecord | dict[str, str] | None, language: Language) -> str:
    """The pupil's name in the message's script (the other one when it is missing)."""
    data = record.data if isinstance(record, PupilRecord) else (record or {})
    order = ("ar", "lat") if language is Language.AR else ("lat", "ar")
    for script in order:
        first = data.get(f"first_name_{script}")
        if first:
            return " ".join(p for p in (first, data.get(f"last_name_{script}")) if p)
    return data.get("first_name") or data.get("massar_code", "")


def school_name(school_code: str, language: Language) -> str:
    from chalicelib.schools import store as schools

    school = schools.get_school(school_code)
    if school is None:
        return school_code
    return str(school.name_ar if language is Language.AR else school.name_fr)


def to_account(
    username: str,
    massar_code: str,
    notification_id: str,
    template: str,
    params: Callable[[Language], dict[str, str]],
    kind: str,
) -> Notification | None:
    """The notice to `username` about `massar_code` (one GetItem of the account), routed
    through the account's preferences for `kind`; None when it reaches nobody."""
    from chalicelib.accounts.store import get_account

    account = get_account(username)
    if account is None or massar_code not in pupils_of_account(account):
        return None
    language = pick_language(account.language or account.profile.get("language"), None)
    email, phone = account.contact("email"), account.contact("sms")
    if email:
        channel, recipient = Channel.EMAIL, email
        fallback = Contact(Channel.SMS, phone) if phone else None
    elif phone:
        channel, recipient, fallback = Channel.SMS, phone, None
    else:
        return None
    notice = Notification(
        id=notification_id,
        template=template,
        channel=channel,
        recipient=recipient,
        language=language,
        params=params(language),
        fallback=fallback,
    )
    return _as_chosen(notice, kind, account)


def _as_chosen(notice: Notification, kind: str, account: Account) -> Notification | None:
    """The notice on the channels a parent keeps on for `kind` (everything by default; one
    GetItem of the parent's preferences, none for a kind that cannot be switched off)."""
    from chalicelib.notifications.preferences.rules import LOCKED, parse_stored, routed

    if account.role is not Role.PARENT or kind in LOCKED:
        return notice
    from chalicelib.notifications.preferences import store as preferences

    return routed(notice, kind, parse_stored(preferences.get(account.username)))
