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

from chalicelib.config import Settings, settings

# API Gateway cuts requests at 29 s: fail fast and retry at most twice (PynamoDB's
# defaults are 15 s / 30 s with 3 retries).
CONNECT_TIMEOUT_SECONDS = 1.0
READ_TIMEOUT_SECONDS = 2.0
MAX_RETRY_ATTEMPTS = 2

M = TypeVar("M", bound=Model)


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
    return model


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
