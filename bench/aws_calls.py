"""Recording the AWS API calls made in a block, whichever botocore client makes them.

Every botocore client, boto3's and the ones PynamoDB creates for itself, sends each
operation through `BaseClient._make_api_call`; it is wrapped for the duration of the
block. One call is one API operation as the code asked for it: retries botocore makes
inside that call are not counted again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

from botocore.client import BaseClient

DYNAMODB = "dynamodb"


@dataclass
class AwsCalls:
    """(service, operation) of each call, in the order they were made."""

    calls: list[tuple[str, str]] = field(default_factory=list)

    def of(self, service: str) -> list[str]:
        return [operation for name, operation in self.calls if name == service]

    def other_than(self, service: str) -> list[str]:
        return [f"{name} {operation}" for name, operation in self.calls if name != service]

    def extend(self, other: AwsCalls) -> None:
        self.calls.extend(other.calls)


def breakdown(operations: list[str]) -> str:
    """'GetItem ×1, PutItem ×1' in order of first use, or '—'."""
    counts = Counter(operations)
    return ", ".join(f"{name} ×{count}" for name, count in counts.items()) or "—"


@contextmanager
def recording_aws_calls() -> Iterator[AwsCalls]:
    recorded = AwsCalls()
    original = BaseClient._make_api_call

    def recording(client: Any, operation_name: str, api_params: Any) -> Any:
        recorded.calls.append((str(client.meta.service_model.service_name), operation_name))
        return original(client, operation_name, api_params)

    with mock.patch.object(BaseClient, "_make_api_call", recording):
        yield recorded
