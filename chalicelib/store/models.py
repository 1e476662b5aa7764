"""Every table of the system, defined once. The CDK stack declares the same keys and
indexes, and tests/test_infra.py compares the two."""

from __future__ import annotations

from pynamodb.attributes import (
    BooleanAttribute,
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
    email = UnicodeAttribute(null=True)
    phone = UnicodeAttribute(null=True)
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


ALL_MODELS: tuple[type[Model], ...] = (AccountModel, SessionModel, OutboxModel)
