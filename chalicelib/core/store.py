"""Binding models to the stage's tables, lazily, with timeouts that fit API Gateway.

Table names, region and endpoint come from the stage settings, which exist only once a
request or event is being handled; `bound(Model)` applies them on first use and whenever
they change (tests, devserver), and drops the cached connection then.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, TypeVar

from pynamodb.connection import Connection
from pynamodb.models import Model

from chalicelib.core.config import Settings, settings

# API Gateway cuts requests at 29 s: fail fast and retry at most twice (PynamoDB's
# defaults are 15 s / 30 s with 3 retries).
CONNECT_TIMEOUT_SECONDS = 1.0
READ_TIMEOUT_SECONDS = 2.0
MAX_RETRY_ATTEMPTS = 2

M = TypeVar("M", bound=Model)


def _share_botocore_loader() -> None:
    """PynamoDB opens a new botocore session for every table, and each re-reads the DynamoDB
    service description (~70 ms, paid on the first request of a cold Lambda for each table
    it touches). One shared loader makes every table after the first cost ~10 ms."""
    import botocore.session
    import pynamodb.connection.base as pynamodb_connection
    from botocore.loaders import create_loader

    loader = create_loader()

    def session_with_shared_loader() -> botocore.session.Session:
        session = botocore.session.get_session()
        session.register_component("data_loader", loader)
        return session

    setattr(pynamodb_connection, "get_session", session_with_shared_loader)  # noqa: B010


_share_botocore_loader()


class TableMeta:
    """Base of every model's Meta: timeouts fixed, table name bound at run time."""

    table_name = "unbound"
    region: str | None = None
    host: str | None = None
    connect_timeout_seconds = CONNECT_TIMEOUT_SECONDS
    read_timeout_seconds = READ_TIMEOUT_SECONDS
    max_retry_attempts = MAX_RETRY_ATTEMPTS
    billing_mode = "PAY_PER_REQUEST"
    # Name of the Settings field that holds this table's name.
    settings_field = ""


def table_name_for(model: type[Model], config: Settings) -> str:
    field: str = model.Meta.settings_field  # type: ignore[attr-defined]
    return str(getattr(config, field))


def bound(model: type[M]) -> type[M]:
    config = settings()
    meta: Any = model.Meta
    name = table_name_for(model, config)
    if meta.table_name != name or meta.region != config.region or meta.host != config.endpoint_url:
        meta.table_name = name
        meta.region = config.region
        meta.host = config.endpoint_url
        model._connection = None
    _share_connection(model)
    return model


def _share_connection(model: type[Model]) -> None:
    """Every model talks through the one cached Connection (one botocore client): left to
    itself PynamoDB builds a botocore session and client per model, ~0.1 s each, paid on
    each model's first use in a Lambda container."""
    shared = connection()
    table = model._connection
    if table is not None and table.connection is shared:
        return
    table = model._get_connection()
    meta = table.connection.get_meta_table(table.table_name)
    try:
        shared.add_meta_table(meta)
    except ValueError:  # two models on one table (registrations and their guards)
        known = shared.get_meta_table(table.table_name)
        if len(meta.data.get("GlobalSecondaryIndexes", [])) > len(
            known.data.get("GlobalSecondaryIndexes", [])
        ):
            shared._tables[table.table_name] = meta
    table.connection = shared


@lru_cache(maxsize=4)
def _connection(region: str, host: str | None) -> Connection:
    return Connection(
        region=region,
        host=host,
        connect_timeout_seconds=CONNECT_TIMEOUT_SECONDS,
        read_timeout_seconds=READ_TIMEOUT_SECONDS,
        max_retry_attempts=MAX_RETRY_ATTEMPTS,
    )


def connection() -> Connection:
    """A connection for transactions that span tables."""
    config = settings()
    return _connection(config.region, config.endpoint_url)
