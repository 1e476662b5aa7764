"""Every table of the system, defined once. The CDK stack declares the same keys and
indexes, and tests/test_infra.py compares the two."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.indexes import (
    AllProjection,
    GlobalSecondaryIndex,
    IncludeProjection,
    KeysOnlyProjection,
)
from pynamodb.models import Model

from chalicelib.core.store import TableMeta


class AccountsBySchool(GlobalSecondaryIndex["AccountModel"]):
    """Staff of a school (and, later, its pupils' and parents' accounts)."""

    class Meta:
        index_name = "by_school"
        projection = KeysOnlyProjection()

    school_code = UnicodeAttribute(hash_key=True)
    username = UnicodeAttribute(range_key=True)


class AccountModel(Model):
    class Meta(TableMeta):
        settings_field = "accounts_table"

    username = UnicodeAttribute(hash_key=True)
    role = UnicodeAttribute()
    status = UnicodeAttribute()
    school_code = UnicodeAttribute(null=True)
    academy = UnicodeAttribute(null=True)
    province = UnicodeAttribute(null=True)
    password_hash = UnicodeAttribute(null=True)
    initial_code_hash = UnicodeAttribute(null=True)
    # Bumped to kill every refresh token of the account at once (code restored, disabled).
    token_epoch = NumberAttribute(default=0)
    language = UnicodeAttribute(null=True)
    first_name = UnicodeAttribute(null=True)
    last_name = UnicodeAttribute(null=True)
    first_name_ar = UnicodeAttribute(null=True)
    last_name_ar = UnicodeAttribute(null=True)
    email = UnicodeAttribute(null=True)
    phone = UnicodeAttribute(null=True)
    cin = UnicodeAttribute(null=True)
    address = UnicodeAttribute(null=True)
    birth_date = UnicodeAttribute(null=True)
    school_name = UnicodeAttribute(null=True)
    # A pupil's own Massar code; a parent's linked children (their Massar codes).
    massar_code = UnicodeAttribute(null=True)
    children = ListAttribute(of=UnicodeAttribute, null=True)
    # A recovery password: its hash and when it stops working (epoch seconds).
    recovery_hash = UnicodeAttribute(null=True)
    recovery_expires_at = NumberAttribute(null=True)
    # New contacts waiting for their confirmation code (JSON: field → value, code hash,
    # expiry, misses); one attribute so that a confirmation is conditioned on all of it.
    pending_contacts = UnicodeAttribute(null=True)
    activated_at = UTCDateTimeAttribute(null=True)
    password_changed_at = UTCDateTimeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()

    by_school = AccountsBySchool()


class SessionModel(Model):
    """One sign-in's family of rotating refresh tokens; only the current one is valid."""

    class Meta(TableMeta):
        settings_field = "sessions_table"

    family_id = UnicodeAttribute(hash_key=True)
    username = UnicodeAttribute()
    secret_hash = UnicodeAttribute()
    generation = NumberAttribute(default=0)
    token_epoch = NumberAttribute(default=0)
    revoked = BooleanAttribute(default=False)
    created_at = UTCDateTimeAttribute()
    expires_at = TTLAttribute()


class OutboxByRecipient(GlobalSecondaryIndex["OutboxModel"]):
    """Operators look up the notifications of one recipient."""

    class Meta:
        index_name = "by_recipient"
        projection = AllProjection()

    recipient = UnicodeAttribute(hash_key=True)
    created_at = UTCDateTimeAttribute(range_key=True)


class OutboxByProviderId(GlobalSecondaryIndex["OutboxModel"]):
    """Delivery feedback (SES events, SMS delivery logs) names the provider's message id."""

    class Meta:
        index_name = "by_provider_id"
        projection = KeysOnlyProjection()

    provider_message_id = UnicodeAttribute(hash_key=True)


class OutboxModel(Model):
    """Notifications to send; the table's stream feeds the notify queue."""

    class Meta(TableMeta):
        settings_field = "outbox_table"
        stream_view_type = "NEW_IMAGE"

    id = UnicodeAttribute(hash_key=True)
    template = UnicodeAttribute()
    channel = UnicodeAttribute()
    recipient = UnicodeAttribute()
    language = UnicodeAttribute()
    params = MapAttribute[str, str](default=dict)
    secret_params = MapAttribute[str, str](null=True)
    secret_until = NumberAttribute(null=True)  # the secret's own expiry (epoch seconds)
    status = UnicodeAttribute()
    attempts = NumberAttribute(default=0)
    lease_until = NumberAttribute(null=True)
    provider_message_id = UnicodeAttribute(null=True)
    failure_reason = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    sent_at = UTCDateTimeAttribute(null=True)
    expires_at = TTLAttribute(null=True)
    # The recipient's other channel, tried once after a permanent failure or a bounce.
    fallback_channel = UnicodeAttribute(null=True)
    fallback_recipient = UnicodeAttribute(null=True)
    fallback_id = UnicodeAttribute(null=True)  # set once the fallback is written
    fallback_of = UnicodeAttribute(null=True)
    resend_of = UnicodeAttribute(null=True)
    # What the provider said after the send (DeliveryStatus) and when.
    delivery_status = UnicodeAttribute(null=True)
    delivery_detail = UnicodeAttribute(null=True)
    delivery_at = UTCDateTimeAttribute(null=True)

    by_recipient = OutboxByRecipient()
    by_provider_id = OutboxByProviderId()


class AuditModel(Model):
    """Security events of one account, newest last: who, when, from where."""

    class Meta(TableMeta):
        settings_field = "audit_table"

    subject = UnicodeAttribute(hash_key=True)  # the account key the event is about
    at = UnicodeAttribute(range_key=True)  # ISO 8601 UTC time + a random suffix
    event = UnicodeAttribute()
    actor = UnicodeAttribute()
    source_ip = UnicodeAttribute(null=True)
    user_agent = UnicodeAttribute(null=True)
    detail = MapAttribute[str, str](null=True)
    expires_at = TTLAttribute(null=True)


class ThrottleModel(Model):
    """Counters for brute-force defence and rate limits, one item per key and window."""

    class Meta(TableMeta):
        settings_field = "throttles_table"

    key = UnicodeAttribute(hash_key=True)
    hits = NumberAttribute(default=0)  # not `count`: that name is Model.count()
    window_start = NumberAttribute(default=0)
    locked_until = NumberAttribute(default=0)
    expires_at = TTLAttribute(null=True)


class JobModel(Model):
    """A background job (issuing accounts for a school): the job (`part` JOB) and one item
    per piece of work done (`part` CLASS#<id>), so a redelivered piece is done once."""

    class Meta(TableMeta):
        settings_field = "jobs_table"

    job_id = UnicodeAttribute(hash_key=True)
    part = UnicodeAttribute(range_key=True)
    kind = UnicodeAttribute()
    status = UnicodeAttribute()
    school_code = UnicodeAttribute(null=True)
    requested_by = UnicodeAttribute(null=True)
    total = NumberAttribute(default=0)
    done = NumberAttribute(default=0)
    issued = NumberAttribute(default=0)
    skipped = NumberAttribute(default=0)
    detail = MapAttribute[str, str](null=True)
    created_at = UTCDateTimeAttribute()
    expires_at = TTLAttribute(null=True)


# --- Registration: schools, campaigns, applications, pupils, counters --------------------


class SchoolsByProvince(GlobalSecondaryIndex["SchoolModel"]):
    """Operators list the schools of a province."""

    class Meta:
        index_name = "by_province"
        projection = AllProjection()

    province = UnicodeAttribute(hash_key=True)
    code = UnicodeAttribute(range_key=True)


class SchoolModel(Model):
    class Meta(TableMeta):
        settings_field = "schools_table"

    code = UnicodeAttribute(hash_key=True)
    name_ar = UnicodeAttribute()
    name_fr = UnicodeAttribute()
    cycle = UnicodeAttribute()
    sector = UnicodeAttribute()
    academy = UnicodeAttribute()
    province = UnicodeAttribute()
    commune = UnicodeAttribute()
    catchment = ListAttribute[str](default=list)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    version = VersionAttribute()

    by_province = SchoolsByProvince()


class SchoolAreaModel(Model):
    """One item per (residence area, school serving it): "primary schools serving this
    commune" is one Query. Written in the same transaction as the school."""

    class Meta(TableMeta):
        settings_field = "school_areas_table"

    area = UnicodeAttribute(hash_key=True)
    school_key = UnicodeAttribute(range_key=True)  # <cycle>#<code>
    code = UnicodeAttribute()
    name_ar = UnicodeAttribute()
    name_fr = UnicodeAttribute()
    cycle = UnicodeAttribute()
    sector = UnicodeAttribute()
    commune = UnicodeAttribute()


class CampaignModel(Model):
    class Meta(TableMeta):
        settings_field = "campaigns_table"

    school_year = UnicodeAttribute(hash_key=True)  # 2026-2027
    opens_on = UnicodeAttribute()
    closes_on = UnicodeAttribute()
    birth_date_from = UnicodeAttribute()
    birth_date_to = UnicodeAttribute()
    note = UnicodeAttribute(null=True)
    updated_by = UnicodeAttribute()
    updated_at = UTCDateTimeAttribute()


_REGISTRATION_ROW = [
    "id",
    "status",
    "school_code",
    "school_year",
    "child_name_ar",
    "child_name_lat",
    "gender",
    "birth_date",
    "commune",
    "age_eligible",
    "in_catchment",
    "submitted_at",
    "rejection_reason",
    "massar_code",
]


class RegistrationsByStatus(GlobalSecondaryIndex["RegistrationModel"]):
    """A school's applications in one status, oldest first."""

    class Meta:
        index_name = "by_status"
        projection = IncludeProjection(_REGISTRATION_ROW)

    list_key = UnicodeAttribute(hash_key=True)  # <school>#<status>
    queue_key = UnicodeAttribute(range_key=True)  # <submitted_at>#<id>


class RegistrationsByAge(GlobalSecondaryIndex["RegistrationModel"]):
    class Meta:
        index_name = "by_age_check"
        projection = IncludeProjection(_REGISTRATION_ROW)

    age_key = UnicodeAttribute(hash_key=True)  # <school>#<status>#<0|1>
    queue_key = UnicodeAttribute(range_key=True)


class RegistrationsByCatchment(GlobalSecondaryIndex["RegistrationModel"]):
    class Meta:
        index_name = "by_catchment_check"
        projection = IncludeProjection(_REGISTRATION_ROW)

    catchment_key = UnicodeAttribute(hash_key=True)  # <school>#<status>#<0|1>
    queue_key = UnicodeAttribute(range_key=True)


class RegistrationModel(Model):
    """One application. The same table holds the duplicate guards (`RegistrationGuardModel`,
    id `child#<year>#<certificate>#<birth date>`), which carry no index key."""

    class Meta(TableMeta):
        settings_field = "registrations_table"
        # Feeds the dashboard's counts (handlers/events.py count_registrations): the old
        # image tells a decision from an edit.
        stream_view_type = "NEW_AND_OLD_IMAGES"

    id = UnicodeAttribute(hash_key=True)
    status = UnicodeAttribute()
    school_code = UnicodeAttribute()
    school_year = UnicodeAttribute()
    child_name_ar = UnicodeAttribute()
    child_name_lat = UnicodeAttribute()
    gender = UnicodeAttribute()
    birth_date = UnicodeAttribute()
    commune = UnicodeAttribute()
    age_eligible = BooleanAttribute()
    in_catchment = BooleanAttribute()
    submitted_at = UTCDateTimeAttribute()
    list_key = UnicodeAttribute()
    age_key = UnicodeAttribute()
    catchment_key = UnicodeAttribute()
    queue_key = UnicodeAttribute()
    application = UnicodeAttribute()  # the validated application, JSON
    school = MapAttribute[str, str]()  # code, names, academy, province at submission
    language = UnicodeAttribute()
    tracking_hash = UnicodeAttribute()
    decided_at = UTCDateTimeAttribute(null=True)
    decided_by = UnicodeAttribute(null=True)
    rejection_reason = UnicodeAttribute(null=True)
    rejection_note = UnicodeAttribute(null=True)
    massar_code = UnicodeAttribute(null=True)
    version = VersionAttribute()

    by_status = RegistrationsByStatus()
    by_age_check = RegistrationsByAge()
    by_catchment_check = RegistrationsByCatchment()


class RegistrationTermModel(Model):
    """Search words of a child's names (folded), per school: a prefix Query finds them."""

    class Meta(TableMeta):
        settings_field = "registration_terms_table"

    school_code = UnicodeAttribute(hash_key=True)
    term_key = UnicodeAttribute(range_key=True)  # <term>#<submitted_at>#<id>
    registration_id = UnicodeAttribute()
    terms = ListAttribute[str](default=list)


class PendingJustifications(GlobalSecondaryIndex["PupilModel"]):
    """Sparse: only absences whose justification awaits a decision carry `pending_school`
    (set with the justification, removed by the decision or a cancellation), so a school's
    queue is one Query, oldest first."""

    class Meta:
        index_name = "by_pending_justification"
        projection = IncludeProjection(["kind", "massar_code", "data"])

    pending_school = UnicodeAttribute(hash_key=True)  # the absence's school code
    pending_at = UnicodeAttribute(range_key=True)  # the justification's sent_at


class PupilModel(Model):
    """A pupil's partition `PUPIL#<massar>`: the pupil record (`sk` PROFILE: identity in
    `data`, the current enrolment in `data` too, the guardian block in `guardians`), then
    marks, absences, messages... (`<kind>#<school year>#...`). The same table holds parent
    links (`PARENT#<account key>` / `PUPIL#<massar>`), classes and their members, transfers."""

    class Meta(TableMeta):
        settings_field = "pupils_table"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    kind = UnicodeAttribute()
    massar_code = UnicodeAttribute()
    data = MapAttribute[str, str](default=dict)
    # The record's guardian block: role (father, mother, guardian) → that person's fields.
    guardians = MapAttribute[str, Any](null=True)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute(null=True)
    # A class's assessment in its list (`CLASS_ASSESSMENTS#…`): how many marks are entered.
    tally = NumberAttribute(null=True)
    pending_school = UnicodeAttribute(null=True)
    pending_at = UnicodeAttribute(null=True)

    by_pending_justification = PendingJustifications()


class CounterModel(Model):
    """Dashboard counters, added up from the registrations stream in batches, and the
    markers of what was counted (store/counters.py). Hot scopes are sharded: the shard is
    part of the partition key."""

    class Meta(TableMeta):
        settings_field = "counters_table"

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    submitted = NumberAttribute(null=True)
    approved = NumberAttribute(null=True)
    rejected = NumberAttribute(null=True)
    received = NumberAttribute(null=True)


class IdempotencyModel(Model):
    """The first answer to a creating POST, replayed for a retry with the same key."""

    class Meta(TableMeta):
        settings_field = "idempotency_table"

    key = UnicodeAttribute(hash_key=True)  # <caller>#<METHOD path>#<Idempotency-Key>
    body_hash = UnicodeAttribute()
    state = UnicodeAttribute()  # in_progress | done
    lease_until = NumberAttribute()
    status_code = NumberAttribute(null=True)
    response_body = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    expires_at = TTLAttribute()


ALL_MODELS: tuple[type[Model], ...] = (
    JobModel,
    AccountModel,
    SessionModel,
    OutboxModel,
    AuditModel,
    ThrottleModel,
    SchoolModel,
    SchoolAreaModel,
    CampaignModel,
    RegistrationModel,
    RegistrationTermModel,
    PupilModel,
    CounterModel,
    IdempotencyModel,
)
