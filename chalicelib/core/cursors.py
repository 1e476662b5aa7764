"""Opaque cursors for paginated Queries: the last evaluated key, base64url-encoded JSON
(compact, sorted keys, unpadded). Every paginated store encodes and checks its cursors here.

A cursor is checked before use: one that does not decode, or that points into another
partition than the one queried, is refused as a field error (never a 5xx).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from chalicelib.core.errors import InvalidFields

T = TypeVar("T")
DEFAULT_LIMIT = 50
MAX_LIMIT = 200


@dataclass
class Page(Generic[T]):
    items: list[T] = field(default_factory=list)
    next_cursor: str | None = None


def encode_cursor(key: dict[str, Any] | None) -> str | None:
    if not key:
        return None
    raw = json.dumps(key, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(
    cursor: str | None,
    partition: dict[str, str],
    attributes: Mapping[str, str] | None = None,
) -> dict[str, Any] | None:
    """The key to start after; `partition` is {attribute: value} the key must carry, and
    `attributes`, when given, the key's exact attributes and their types ({"at": "S"}).
    Cursors written padded (as the audit's were) read as well."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, binascii.Error, UnicodeDecodeError) as error:
        raise InvalidFields("cursor", {"cursor": "invalid_cursor"}) from error
    valid = isinstance(key, dict) and all(
        isinstance(v, dict) and set(v) <= {"S", "N"} and all(isinstance(x, str) for x in v.values())
        for v in key.values()
    )
    if valid and attributes is not None:
        valid = {name: set(value) for name, value in key.items()} == {
            name: {kind} for name, kind in attributes.items()
        }
    if not valid or any(key.get(name) != {"S": value} for name, value in partition.items()):
        raise InvalidFields("cursor", {"cursor": "invalid_cursor"})
    return dict(key)
