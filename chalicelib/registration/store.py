"""Registrations table: applications, their duplicate guards, and their search words.

- `RegistrationModel` (id): the application; sparse GSIs list a school's applications by
  status, oldest first (`by_status`), and by one check (`by_age_check`,
  `by_catchment_check`), each projecting the list row only.
- `RegistrationGuardModel` (id `child#<year>#<certificate>#<birth date>`, same table, no
  index key): the child's open applications this campaign and the approved one, changed
  with a condition in the submission's and the decision's transactions. The same family
  applying twice is refused (`duplicate_application`); another family's application is
  taken and both show the conflict to the schools, which decide: knowing a certificate
  number and a birth date is not enough to block a child. A
  rejection frees the child; only one application per child is ever approved.
- `RegistrationGuardModel` (id `tracking#<digest of the tracking code>`): which application
  a tracking code belongs to, so the code alone follows it.
- `RegistrationTermModel` (school, `<word>#<submitted>#<id>`, its own table): the folded
  words of the child's names; a prefix Query searches them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from pynamodb.attributes import ListAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import DoesNotExist
from pynamodb.models import Model

from chalicelib.core.cursors import Page, decode_cursor, encode_cursor
from chalicelib.core.errors import AlreadyDecided, DuplicateApplication
from chalicelib.core.models import (
    AuditModel,
    CampaignModel,
    RegistrationModel,
    RegistrationTermModel,
    SchoolModel,
)
from chalicelib.core.store import TableMeta, bound, connection
from chalicelib.core.transactions import Transaction
from chalicelib.registration.campaigns import store as campaign_store
from chalicelib.registration.campaigns.rules import Campaign
from chalicelib.registration.rules import Application, Checks


class RegistrationGuardModel(Model):
    """Uniqueness of (campaign, child): lives in the registrations table, indexes nothing."""

    class Meta(TableMeta):
        settings_field = "registrations_table"

    id = UnicodeAttribute(hash_key=True)
    registration_id = UnicodeAttribute()  # the first application (a tracking code's own)
    # Child guards: the applications still open, the approved one, and a revision every
    # change is conditioned on (a guard written before these has none of them).
    open_ids = ListAttribute(of=UnicodeAttribute, null=True)
    approved_id = UnicodeAttribute(null=True)
    revision = NumberAttribute(null=True)


@dataclass(frozen=True)
class Registration:
    id: str
    status: str
    school_code: str
    school_year: str
    application: Application
    checks: Checks
    submitted_at: datetime
    language: str
    school: dict[str, str]
    tracking_hash: str
    decided_at: datetime | None = None
    decided_by: str | None = None
    rejection_reason: str | None = None
    rejection_note: str | None = None
    massar_code: str | None = None
    version: int | None = None


def _keys(school_code: str, status: str, checks: Checks) -> dict[str, str]:
    return {
        "list_key": f"{school_code}#{status}",
        "age_key": f"{school_code}#{status}#{int(checks.age_eligible)}",
        "catchment_key": f"{school_code}#{status}#{int(checks.in_catchment)}",
    }


def _to_domain(item: RegistrationModel) -> Registration:
    return Registration(
        id=item.id,
        status=item.status,
        school_code=item.school_code,
        school_year=item.school_year,
        application=Application.model_validate_json(item.application),
        checks=Checks(bool(item.age_eligible), bool(item.in_catchment)),
        submitted_at=item.submitted_at,
        language=item.language,
        school=item.school.as_dict(),
        tracking_hash=item.tracking_hash,
        decided_at=item.decided_at,
        decided_by=item.decided_by,
        rejection_reason=item.rejection_reason,
        rejection_note=item.rejection_note,
        massar_code=item.massar_code,
        version=item.version,
    )


def load_context(
    school_code: str, school_years: list[str]
) -> tuple[SchoolModel | None, list[Campaign]]:
    """The school and the candidate campaigns in one BatchGetItem across both tables (the
    school alone, by GetItem, while this container's campaigns are fresh)."""
    cached = campaign_store.cached_campaigns(school_years)
    if cached is not None:
        try:
            return bound(SchoolModel).get(school_code), cached
        except DoesNotExist:
            return None, cached
    schools = bound(SchoolModel).Meta.table_name
    campaigns = bound(CampaignModel).Meta.table_name
    request: dict[str, Any] = {
        schools: {"Keys": [{"code": {"S": school_code}}]},
        campaigns: {"Keys": [{"school_year": {"S": y}} for y in school_years]},
    }
    found: dict[str, list[dict[str, Any]]] = {schools: [], campaigns: []}
    for _ in range(3):  # unprocessed keys (throttling) are asked again, twice at most
        answer = connection().client.batch_get_item(RequestItems=request)
        for table, items in answer.get("Responses", {}).items():
            found[table].extend(items)
        request = answer.get("UnprocessedKeys") or {}
        if not request:
            break
    school = bound(SchoolModel).from_raw_data(found[schools][0]) if found[schools] else None
    read = [
        campaign_store.to_domain(bound(CampaignModel).from_raw_data(raw))
        for raw in found[campaigns]
    ]
    campaign_store.remember_campaigns(school_years, read)
    return school, read


@dataclass(frozen=True)
class ChildGuard:
    key: str
    open_ids: list[str]
    approved_id: str | None
    revision: int | None  # None: no guard item yet


def child_guard(key: str) -> ChildGuard:
    """The child's guard as it stands; a guard from before open_ids is read through its
    application (a rejected squatter's guard then frees the child too)."""
    try:
        item = bound(RegistrationGuardModel).get(key, consistent_read=True)
    except DoesNotExist:
        return ChildGuard(key, [], None, None)
    if item.open_ids is not None or item.approved_id is not None:
        ids = [str(i) for i in item.open_ids or []]
        return ChildGuard(key, ids, item.approved_id, int(item.revision or 0))
    first = get(item.registration_id)
    status = first.status if first is not None else "rejected"
    return ChildGuard(
        key,
        [item.registration_id] if status == "submitted" else [],
        item.registration_id if status == "approved" else None,
        0,
    )


def _guard_write(
    transaction: Transaction,
    guard: ChildGuard,
    open_ids: list[str],
    approved_id: str | None,
    first_id: str,
) -> None:
    """Write the guard's new state, conditioned on the state it was read in."""
    model = bound(RegistrationGuardModel)
    ids: Any = open_ids  # a list of strings, as the list attribute stores them
    if guard.revision is None:
        transaction.put(
            "guard",
            model(guard.key, registration_id=first_id, open_ids=ids, revision=1),
            RegistrationGuardModel.id.does_not_exist(),
        )
        return
    condition = (
        RegistrationGuardModel.revision.does_not_exist()
        if guard.revision == 0
        else RegistrationGuardModel.revision == guard.revision
    )
    transaction.update(
        "guard",
        model(guard.key),
        [
            RegistrationGuardModel.open_ids.set(ids),
            RegistrationGuardModel.approved_id.set(approved_id)
            if approved_id
            else RegistrationGuardModel.approved_id.remove(),
            RegistrationGuardModel.revision.set(guard.revision + 1),
        ],
        condition,
    )


def submit(
    registration: Registration,
    terms: list[str],
    add_to_transaction: Callable[[Transaction], None],
    same_family: Callable[[Registration], bool] = lambda _: True,
) -> None:
    """The application, its guard, its search words and whatever the caller adds (outbox,
    counters) in one transaction. DuplicateApplication when the child's application was
    approved, or when one of its open applications is `same_family`'s."""
    queue_key = f"{registration.submitted_at.isoformat()}#{registration.id}"
    application = registration.application
    item = bound(RegistrationModel)(
        registration.id,
        status=registration.status,
        school_code=registration.school_code,
        school_year=registration.school_year,
        child_name_ar=application.child.name("ar"),
        child_name_lat=application.child.name("fr"),
        gender=application.child.gender,
        birth_date=application.child.birth_date.isoformat(),
        commune=application.residence.commune,
        age_eligible=registration.checks.age_eligible,
        in_catchment=registration.checks.in_catchment,
        submitted_at=registration.submitted_at,
        queue_key=queue_key,
        application=application.model_dump_json(exclude_none=True),
        school=registration.school,
        language=registration.language,
        tracking_hash=registration.tracking_hash,
    )
    for name, value in _keys(
        registration.school_code, registration.status, registration.checks
    ).items():
        setattr(item, name, value)
    guard = child_guard(guard_key(registration))
    if guard.approved_id is not None:
        raise DuplicateApplication("child")
    if any(r is not None and same_family(r) for r in (get(i) for i in guard.open_ids)):
        raise DuplicateApplication("child")
    transaction = Transaction()
    transaction.put("registration", item, RegistrationModel.id.does_not_exist())
    _guard_write(transaction, guard, [*guard.open_ids, registration.id], None, registration.id)
    transaction.put(  # the tracking code alone finds the application (GET by code)
        "tracking",
        bound(RegistrationGuardModel)(
            tracking_key(registration.tracking_hash), registration_id=registration.id
        ),
        RegistrationGuardModel.id.does_not_exist(),
    )
    for term in terms:
        transaction.put(
            "term",
            bound(RegistrationTermModel)(
                registration.school_code,
                f"{term}#{queue_key}",
                registration_id=registration.id,
                terms=terms,
            ),
        )
    add_to_transaction(transaction)
    transaction.commit({"guard": DuplicateApplication("child")})


def guard_key(registration: Registration) -> str:
    from chalicelib.registration.rules import duplicate_key

    return duplicate_key(registration.school_year, registration.application)


def tracking_key(tracking_hash: str) -> str:
    return f"tracking#{tracking_hash}"


def id_by_tracking_hash(tracking_hash: str) -> str | None:
    """The application a tracking code (its digest) belongs to."""
    try:
        item = bound(RegistrationGuardModel).get(tracking_key(tracking_hash), consistent_read=True)
    except DoesNotExist:
        return None
    return str(item.registration_id)


def get(registration_id: str) -> Registration | None:
    if registration_id.startswith(("child#", "tracking#")):
        return None
    try:
        item = bound(RegistrationModel).get(registration_id, consistent_read=True)
    except DoesNotExist:
        return None
    return _to_domain(item)


def _row(item: RegistrationModel) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": item.id,
        "status": item.status,
        "school_code": item.school_code,
        "school_year": item.school_year,
        "child": {"name_ar": item.child_name_ar, "name_lat": item.child_name_lat},
        "gender": item.gender,
        "birth_date": item.birth_date,
        "commune": item.commune,
        "checks": {
            "age_eligible": bool(item.age_eligible),
            "in_catchment": bool(item.in_catchment),
        },
        "submitted_at": item.submitted_at.isoformat(),
    }
    if item.rejection_reason:
        row["rejection_reason"] = item.rejection_reason
    if item.massar_code:
        row["massar_code"] = item.massar_code
    return row


def list_by_status(
    school_code: str,
    status: str,
    age_eligible: bool | None,
    in_catchment: bool | None,
    limit: int,
    cursor: str | None,
) -> Page[dict[str, Any]]:
    """One Query on the index that fits the filters; oldest first."""
    model = bound(RegistrationModel)
    filter_condition = None
    if age_eligible is not None:
        index: Any = model.by_age_check
        partition = {"age_key": f"{school_code}#{status}#{int(age_eligible)}"}
        if in_catchment is not None:
            filter_condition = RegistrationModel.in_catchment == in_catchment
    elif in_catchment is not None:
        index = model.by_catchment_check
        partition = {"catchment_key": f"{school_code}#{status}#{int(in_catchment)}"}
    else:
        index = model.by_status
        partition = {"list_key": f"{school_code}#{status}"}
    (hash_value,) = partition.values()
    result = index.query(
        hash_value,
        filter_condition=filter_condition,
        limit=limit,
        last_evaluated_key=decode_cursor(cursor, partition),
    )
    items = [_row(item) for item in result]
    return Page(items, encode_cursor(result.last_evaluated_key))


def search(
    school_code: str,
    words: list[str],
    keep: Callable[[list[str]], bool],
    status: str | None,
    limit: int,
    cursor: str | None,
) -> Page[dict[str, Any]]:
    """Applications of a school whose names hold every word (as a word prefix): one
    Query on the longest word's prefix, then one BatchGetItem of the matches."""
    result = bound(RegistrationTermModel).query(
        school_code,
        RegistrationTermModel.term_key.startswith(words[0]),
        limit=limit,
        last_evaluated_key=decode_cursor(cursor, {"school_code": school_code}),
    )
    ids = list(dict.fromkeys(t.registration_id for t in result if keep(list(t.terms or []))))
    next_cursor = encode_cursor(result.last_evaluated_key)
    if not ids:
        return Page([], next_cursor)
    found = {item.id: item for item in bound(RegistrationModel).batch_get(ids)}
    rows = [_row(found[i]) for i in ids if i in found]
    if status:
        rows = [row for row in rows if row["status"] == status]
    return Page(rows, next_cursor)


def decide(
    registration: Registration,
    new_status: str,
    changes: dict[str, Any],
    audit: AuditModel,
    add_to_transaction: Callable[[Transaction], None],
) -> None:
    """Record a decision (only on a submitted application) with what goes with it, in
    one transaction. AlreadyDecided when another decision got there first."""
    item = bound(RegistrationModel)(registration.id)
    item.version = registration.version
    actions = [
        RegistrationModel.status.set(new_status),
        *(getattr(RegistrationModel, name).set(value) for name, value in changes.items()),
        *(
            getattr(RegistrationModel, name).set(value)
            for name, value in _keys(
                registration.school_code, new_status, registration.checks
            ).items()
        ),
    ]
    transaction = Transaction()
    transaction.update(
        "registration", item, actions, RegistrationModel.status == registration.status
    )
    transaction.put("audit", audit)
    guard = child_guard(guard_key(registration))
    if new_status == "approved" and guard.approved_id not in (None, registration.id):
        raise DuplicateApplication("child")  # another school approved this child already
    if guard.revision is not None:  # an approval takes the child, a rejection frees it
        _guard_write(
            transaction,
            guard,
            [i for i in guard.open_ids if i != registration.id],
            registration.id if new_status == "approved" else guard.approved_id,
            registration.id,
        )
    add_to_transaction(transaction)
    transaction.commit(
        {
            "registration": AlreadyDecided(registration.id),
            # another application or decision for the child meanwhile
            "guard": DuplicateApplication("child"),
            "pupil": MassarCodeTaken(),
        }
    )


class MassarCodeTaken(Exception):
    """The drawn Massar code exists already: draw another and try again."""


def add_outbox(transaction: Transaction, notifications: list[Any]) -> None:
    from chalicelib.notifications import store as outbox

    for notification in notifications:
        transaction.external_put(
            "outbox", partial(outbox.add_to_transaction, notification=notification)
        )
