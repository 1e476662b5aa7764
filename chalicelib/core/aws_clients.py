"""boto3 clients with the API path's timeouts, created on first use and reused.

The API Lambda never builds SES or SNS clients: only the notify path does.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

from chalicelib.core.config import settings

_built: set[str] = set()
_lock = threading.Lock()


@lru_cache(maxsize=1)
def _session() -> Any:
    """One boto3 session for all clients: the service descriptions are read once."""
    import boto3

    return boto3.session.Session()


@lru_cache(maxsize=16)
def _client(service: str, region: str, endpoint_url: str | None) -> Any:
    from botocore.config import Config

    config = Config(
        connect_timeout=1,
        read_timeout=2,
        retries={"total_max_attempts": 3, "mode": "standard"},
    )
    _built.add(service)
    with _lock:  # creating clients from one session is not thread-safe
        return _session().client(
            service, region_name=region, endpoint_url=endpoint_url, config=config
        )


def client(service: str) -> Any:
    config = settings()
    return _client(service, config.region, config.endpoint_url)


def built_services() -> frozenset[str]:
    """Which services this process has built clients for (the API path must not build SES/SNS)."""
    return frozenset(_built)


def forget_clients() -> None:
    _client.cache_clear()
    _built.clear()
