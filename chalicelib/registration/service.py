"""Preliminary registration: a parent applies; the school's director approves (the pupil
record is created) or rejects with a reason; the guardian is told each time.

DynamoDB calls: submit = 1 BatchGetItem (school + candidate campaigns) + 1
TransactWriteItems; list = 1 Query (search: + 1 BatchGetItem); approve/reject = 1
GetItem + 1 TransactWriteItems. The Idempotency-Key adds one put and one update.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chalicelib.accounts.sign_in.tokens import Principal
from chalicelib.core.access import operator_covers, staff_of_school, staff_or_operator_of_school
from chalicelib.core.clock import now
from chalicelib.core.cursors import Page
from chalicelib.core.errors import (
    AlreadyDecided,
    CampaignClosed,
    InvalidFields,
    NotAllowed,
    NotFound,
)
from chalicelib.core.flags import stored_flag
from chalicelib.core.identifiers import parent_key_for_pupil
from chalicelib.core.models import AuditModel
from chalicelib.core.names import matches, query_words, search_terms
from chalicelib.core.secrets import digest
from chalicelib.core.transactions import Transaction
from chalicelib.notifications.rules import Channel, Notification, pick_language
from chalicelib.pupils import store as pupils
from chalicelib.pupils.rules import EnrolmentStatus
from chalicelib.registration import photos, store
from chalicelib.registration.campaigns.rules import candidate_school_years, open_campaign
from chalicelib.registration.campaigns.service import today
from chalicelib.registration.rules import (
    Application,
    Checks,
    Person,
    RegistrationStatus,
    RejectionReason,
    application_problems,
    new_application_id,
    new_massar_code,
    new_tracking_code,
    normalise_tracking_code,
)
from chalicelib.registration.store import MassarCodeTaken, Registration
from chalicelib.schools import store as school_store
from chalicelib.schools.classes import store as classes
from chalicelib.schools.rules import SchoolData, in_catchment

MASSAR_CODE_ATTEMPTS = 3
FIRST_YEAR_LEVEL = "1AP"  # first year of primary school
CHILD_NAME_FIELDS = ("first_name_ar", "last_name_ar", "first_name_lat", "last_name_lat")


@dataclass(frozen=True)
class Submitted:
    id: str
    tracking_code: str
    status: str
    checks: Checks


# --- Notifications --------------------------------------------------------------------


def _contacts(person: Person | None) -> list[tuple[Channel, str]]:
    if person is None:
        return []
    found: list[tuple[Channel, str]] = []
    if person.email:
        found.append((Channel.EMAIL, str(person.email)))
    if person.phone:
        found.append((Channel.SMS, person.phone))
    return found


def _notifications(
    template: str,
    registration: Registration,
    params: dict[str, str],
    secret_params: dict[str, str] | None = None,
) -> list[Notification]:
    """One notification per reachable contact of the responsible guardian, in their
    language."""
    language = pick_language(registration.language, None)
    application = registration.application
    school_name = registration.school.get(f"name_{language.value}", "")
    base = {
        "child_name": application.child.name(language.value),
        "school_name": school_name,
        **params,
    }
    return [
        Notification(
            id=notification_id(registration.id, template, channel),
            template=template,
            channel=channel,
            recipient=recipient,
            language=language,
            params=base,
            secret_params=dict(secret_params or {}),
        )
        for channel, recipient in _contacts(application.responsible())
    ]


def notification_id(registration_id: str, template: str, channel: Channel) -> str:
    """One receipt, one decision per channel and application: the id is derived, so the
    application's page finds each message's delivery status without an index."""
    return f"{registration_id}.{template}.{channel.value}"


DECISION_TEMPLATES = {"approved": "registration_approved", "rejected": "registration_rejected"}


def delivery_statuses(registration: Registration, language: str) -> list[dict[str, str]]:
    """What became of the messages sent about this application ("sent by SMS, delivered")."""
    from chalicelib.notifications.lookup import notification_status
    from chalicelib.notifications.rules import Language

    templates = ["registration_receipt"]
    if registration.status in DECISION_TEMPLATES:
        templates.append(DECISION_TEMPLATES[registration.status])
    found = []
    for template in templates:
        for channel, _ in _contacts(registration.application.responsible()):
            view = notification_status(
                notification_id(registration.id, template, channel),
                Language(language) if language in ("ar", "fr") else Language.FR,
            )
            if view is not None:
                found.append(
                    {
                        "template": template,
                        "channel": view.channel,
                        "status": view.status,
                        "delivery_status": view.delivery_status or "",
                        "summary": view.summary,
                    }
                )
    return found


def _add_notifications(transaction: Transaction, notifications: list[Notification]) -> None:
    store.add_outbox(transaction, notifications)


# --- Submission -----------------------------------------------------------------------


def _school_snapshot(school: SchoolData) -> dict[str, str]:
    return {
        "code": school.code,
        "name_ar": school.name_ar,
        "name_fr": school.name_fr,
        "academy": school.academy,
        "province": school.province,
        "commune": school.commune,
    }


def school_of_snapshot(snapshot: dict[str, str]) -> SchoolData:
    """The school as the application saw it (what the dashboard counts it under)."""
    return SchoolData.model_construct(
        code=snapshot["code"],
        name_ar=snapshot.get("name_ar", ""),
        name_fr=snapshot.get("name_fr", ""),
        cycle="primary",
        sector="public",
        academy=snapshot.get("academy", ""),
        province=snapshot.get("province", ""),
        commune=snapshot.get("commune", ""),
        catchment=[],
    )


def submit(application: Application, accept_language: str | None) -> Submitted:
    moment = now()
    day = today()
    school_item, campaigns = store.load_context(
        application.school_code, candidate_school_years(day)
    )
    campaign = open_campaign(campaigns, day)
    if campaign is None:
        raise CampaignClosed()
    problems = application_problems(application, day, campaign)
    school = school_store.to_domain(school_item) if school_item is not None else None
    if school is None:
        problems["school_code"] = "unknown_school"
    elif school.cycle != "primary":
        problems["school_code"] = "not_primary_school"
    if application.photo_key and "photo_key" not in problems:
        # The upload form can replace its object until it expires: the application keeps a
        # copy under a key no form can write, and that copy is what is checked and shown.
        kept, problem = photos.keep_submitted(application.photo_key)
        if problem:
            problems["photo_key"] = problem
        else:
            application = application.model_copy(update={"photo_key": kept})
    if problems or school is None or application.consent is None:
        raise InvalidFields("application", problems)
    # The consent (law 09-08) is kept with the application, at the server's time.
    consent = application.consent.model_copy(update={"given_at": moment})
    application = application.model_copy(update={"consent": consent})
    residence = application.residence
    checks = Checks(
        age_eligible=campaign.age_eligible(application.child.birth_date),
        in_catchment=in_catchment(school, residence.commune, residence.district),
    )
    tracking_code = new_tracking_code()
    registration = Registration(
        id=new_application_id(),
        status=RegistrationStatus.SUBMITTED.value,
        school_code=school.code,
        school_year=campaign.school_year,
        application=application,
        checks=checks,
        submitted_at=moment,
        language=pick_language(application.language, accept_language).value,
        school=_school_snapshot(school),
        tracking_hash=digest(tracking_code),
    )
    receipts = _notifications(
        "registration_receipt",
        registration,
        {"application_id": registration.id},
        {"tracking_code": tracking_code},
    )
    child = application.child
    terms = search_terms(
        [child.first_name_ar, child.last_name_ar, child.first_name_lat, child.last_name_lat]
    )

    def together(transaction: Transaction) -> None:
        # No dashboard counter here: they are counted from the table's stream
        # (store/counters.py), so no item in this transaction is shared by other schools.
        _add_notifications(transaction, receipts)

    store.submit(
        registration, terms, together, lambda other: same_family(application, other.application)
    )
    return Submitted(registration.id, tracking_code, registration.status, checks)


def conflicts_of(registration: Registration) -> list[dict[str, str]]:
    """The child's other applications this campaign (open or approved), for the schools to
    decide between: who applied where and when, not the other family's data."""
    guard = store.child_guard(store.guard_key(registration))
    ids = [*guard.open_ids, *([guard.approved_id] if guard.approved_id else [])]
    found = []
    for other_id in dict.fromkeys(i for i in ids if i != registration.id):
        other = store.get(other_id)
        if other is not None:
            found.append(
                {
                    "id": other.id,
                    "status": other.status,
                    "school_code": other.school_code,
                    "submitted_at": other.submitted_at.isoformat(),
                }
            )
    return found


def same_family(one: Application, other: Application) -> bool:
    """Whether two applications for a child come from the same family (the same responsible
    guardian's CIN, phone or email, or no way to tell them apart): then the second is a
    duplicate (409). Otherwise both are kept and the schools decide."""
    first, second = one.responsible(), other.responsible()
    if first is None or second is None:
        return True
    pairs = [(first.cin, second.cin), (first.phone, second.phone), (first.email, second.email)]
    known = [(a, b) for a, b in pairs if a and b]
    return not known or any(str(a).lower() == str(b).lower() for a, b in known)


# --- Reading --------------------------------------------------------------------------


def _ops_over(actor: Principal | None, school: dict[str, str]) -> bool:
    """An operator over the school as the application recorded it (core/access)."""
    return operator_covers(actor, school.get("academy"), school.get("province"))


@dataclass(frozen=True)
class Viewed:
    registration: Registration
    full: bool  # staff and operators see the whole application


def view(registration_id: str, tracking_code: str | None, actor: Principal | None) -> Viewed:
    """By its tracking code (the parent), or as staff of its school or an operator over
    it. Anything else is "not found", so ids cannot be probed."""
    registration = store.get(registration_id)
    if registration is None:
        raise NotFound("registration")
    if staff_of_school(actor, registration.school_code) or _ops_over(actor, registration.school):
        return Viewed(registration, True)
    if tracking_code:
        presented = digest(normalise_tracking_code(tracking_code))
        if hmac.compare_digest(presented, registration.tracking_hash):
            return Viewed(registration, False)
    raise NotFound("registration")


def _authorize_school(actor: Principal, school_code: str) -> None:
    if not staff_or_operator_of_school(actor, school_code):
        raise NotAllowed("not this school's staff")


def list_for_school(
    actor: Principal,
    school_code: str,
    *,
    status: str | None,
    query: str | None,
    age_eligible: bool | None,
    in_catchment_filter: bool | None,
    limit: int,
    cursor: str | None,
) -> Page[dict[str, Any]]:
    _authorize_school(actor, school_code)
    if query is not None:
        words = query_words(query)
        if not words:
            raise InvalidFields("q", {"q": "query_too_short"})

        def keep(terms: list[str]) -> bool:
            return matches(words, terms)

        page = store.search(school_code, words, keep, status, limit, cursor)
        page.items = [
            row
            for row in page.items
            if (age_eligible is None or row["checks"]["age_eligible"] == age_eligible)
            and (
                in_catchment_filter is None or row["checks"]["in_catchment"] == in_catchment_filter
            )
        ]
        return page
    return store.list_by_status(
        school_code,
        status or RegistrationStatus.SUBMITTED.value,
        age_eligible,
        in_catchment_filter,
        limit,
        cursor,
    )


# --- Decisions ------------------------------------------------------------------------


@dataclass(frozen=True)
class Decided:
    id: str
    status: str
    massar_code: str | None = None


def _decidable(actor: Principal, registration_id: str) -> Registration:
    registration = store.get(registration_id)
    if registration is None:
        raise NotFound("registration")
    if not staff_of_school(actor, registration.school_code):
        # Staff of another school, parents, operators: not theirs to decide (and, but for
        # operators over it, not theirs to know of).
        if _ops_over(actor, registration.school):
            raise NotAllowed("decisions belong to the school's staff")
        raise NotFound("registration")
    if registration.status != RegistrationStatus.SUBMITTED.value:
        raise AlreadyDecided(registration.id)
    return registration


def _audit(
    registration: Registration,
    actor: Principal,
    event: str,
    detail: dict[str, str],
    source_ip: str | None,
) -> AuditModel:
    from chalicelib.core.store import bound

    moment = now()
    return bound(AuditModel)(
        f"registration#{registration.id}",
        f"{moment.isoformat(timespec='milliseconds')}#{secrets.token_hex(3)}",
        event=event,
        actor=actor.username,
        source_ip=source_ip,
        detail={"school_code": registration.school_code, **detail},
    )


def _person(person: Person, role: str, responsible: bool) -> dict[str, str | None]:
    return {
        "role": role,
        "responsible": stored_flag(responsible),
        "first_name_ar": person.first_name_ar,
        "last_name_ar": person.last_name_ar,
        "first_name_lat": person.first_name_lat,
        "last_name_lat": person.last_name_lat,
        "filiation_ar": person.filiation_ar,
        "filiation_lat": person.filiation_lat,
        "cin": person.cin,
        "profession": person.profession,
        "address": person.address,
        "phone": person.phone,
        "email": str(person.email) if person.email else None,
    }


def _pupil_records(
    registration: Registration, massar_code: str, decided_at: datetime
) -> tuple[dict[str, str | None], dict[str, dict[str, str | None]], str, dict[str, str | None]]:
    application = registration.application
    child = application.child
    role = application.guardian_role
    profile: dict[str, str | None] = {
        "first_name_ar": child.first_name_ar,
        "last_name_ar": child.last_name_ar,
        "first_name_lat": child.first_name_lat,
        "last_name_lat": child.last_name_lat,
        "gender": child.gender,
        "birth_date": child.birth_date.isoformat(),
        "birth_date_hijri": child.birth_date_hijri,
        "birth_place": child.birth_place,
        "birth_certificate_number": child.birth_certificate_number,
        "birth_certificate_date": child.birth_certificate_date.isoformat(),
        "school_code": registration.school_code,
        "school_year": registration.school_year,
        "level": FIRST_YEAR_LEVEL,
        "registration_id": registration.id,
        "photo_key": application.photo_key,
        "residence_commune": application.residence.commune,
        "residence_district": application.residence.district,
        "residence_address": application.residence.address,
        "guardian_role": role,
        "enrolled_at": decided_at.isoformat(),
        # Enrolled with the school, waiting for the director to place the child in a
        # first-year class (listed at GET /v1/schools/{code}/pupils/awaiting-class).
        "enrolment_status": EnrolmentStatus.AWAITING_CLASS.value,
    }
    people = {"father": application.father, "mother": application.mother}
    if application.guardian is not None:
        people["guardian"] = application.guardian
    guardians = {name: _person(p, name, name == role) for name, p in people.items()}
    responsible = application.responsible() or application.father
    link_key = responsible.cin or parent_key_for_pupil(massar_code)
    link: dict[str, str | None] = {
        **_person(responsible, role, True),
        "account_key": link_key,
        "username": responsible.cin or massar_code,
        "school_code": registration.school_code,
        "school_year": registration.school_year,
        "child_first_name_ar": child.first_name_ar,
        "child_last_name_ar": child.last_name_ar,
        "child_first_name_lat": child.first_name_lat,
        "child_last_name_lat": child.last_name_lat,
        "language": registration.language,
        "account_status": "none",
    }
    return profile, guardians, link_key, link


def _approval(
    registration: Registration, actor: Principal, massar_code: str, source_ip: str | None
) -> tuple[dict[str, Any], AuditModel, Callable[[Transaction], None]]:
    """What approving with this Massar code writes, besides the application itself."""
    decided_at = now()
    profile, guardians, link_key, link = _pupil_records(registration, massar_code, decided_at)
    messages = _notifications("registration_approved", registration, {"massar_code": massar_code})

    def together(transaction: Transaction) -> None:
        pupils.add_pupil(transaction, massar_code, profile, guardians, link_key, link)
        names = {k: str(profile[k]) for k in CHILD_NAME_FIELDS if profile.get(k)}
        classes.add_awaiting(transaction, registration.school_code, massar_code, names)
        _add_notifications(transaction, messages)

    changes = {"massar_code": massar_code, "decided_at": decided_at, "decided_by": actor.username}
    audit = _audit(
        registration, actor, "registration_approved", {"massar_code": massar_code}, source_ip
    )
    return changes, audit, together


def approve(actor: Principal, registration_id: str, source_ip: str | None = None) -> Decided:
    """Approve: the pupil record with a new Massar code, its guardians and the parent link,
    and the notification, all with the decision in one transaction (the dashboard counts it
    from the stream)."""
    registration = _decidable(actor, registration_id)
    for _ in range(MASSAR_CODE_ATTEMPTS):
        massar_code = new_massar_code()
        changes, audit, together = _approval(registration, actor, massar_code, source_ip)
        try:
            store.decide(registration, RegistrationStatus.APPROVED.value, changes, audit, together)
        except MassarCodeTaken:
            continue
        return Decided(registration.id, RegistrationStatus.APPROVED.value, massar_code)
    raise RuntimeError("no free Massar code after several draws")


def reject(
    actor: Principal,
    registration_id: str,
    reason: RejectionReason,
    note: str | None,
    source_ip: str | None = None,
) -> Decided:
    if reason is RejectionReason.OTHER and not note:
        raise InvalidFields("note", {"note": "note_required"})
    registration = _decidable(actor, registration_id)
    messages = _notifications(
        "registration_rejected", registration, {"reason": reason.value, "note": note or ""}
    )

    def together(transaction: Transaction) -> None:
        _add_notifications(transaction, messages)

    changes: dict[str, Any] = {
        "rejection_reason": reason.value,
        "decided_at": now(),
        "decided_by": actor.username,
    }
    if note:
        changes["rejection_note"] = note
    store.decide(
        registration,
        RegistrationStatus.REJECTED.value,
        changes,
        _audit(registration, actor, "registration_rejected", {"reason": reason.value}, source_ip),
        together,
    )
    return Decided(registration.id, RegistrationStatus.REJECTED.value)
