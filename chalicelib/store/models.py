"""Every table of the system, defined once. The CDK stack declares the same keys and
indexes, and tests/test_infra.py compares the two."""

from __future__ import annotations

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, KeysOnlyProjection
from pynamodb.models import Model

from chalicelib.store.base import TableMeta


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
    status = UnicodeAttribute()
    attempts = NumberAttribute(default=0)
    lease_until = NumberAttribute(null=True)
    provider_message_id = UnicodeAttribute(null=True)
    failure_reason = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    sent_at = UTCDateTimeAttribute(null=True)
    expires_at = TTLAttribute(null=True)

    by_recipient = OutboxByRecipient()


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
    count = NumberAttribute(default=0)
    window_start = NumberAttribute(default=0)
    locked_until = NumberAttribute(default=0)
    expires_at = TTLAttribute(null=True)


ALL_MODELS: tuple[type[Model], ...] = (
    AccountModel,
    SessionModel,
    OutboxModel,
    AuditModel,
    ThrottleModel,
)
