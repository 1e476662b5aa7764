"""DynamoDB capacity units of every request made in a block, from the items themselves.

Every botocore client's `_make_api_call` is wrapped (as `bench.aws_calls` does). For each
DynamoDB data-plane call the items it reads or writes are measured and charged by
DynamoDB's on-demand rules:

- item size: the UTF-8 length of every attribute name plus its value's size (a string's
  UTF-8 length, a number's significant digits / 2 + 1, a binary's length, 1 for a boolean
  or null, a map or list 3 bytes plus 1 per element plus its contents);
- a write costs 1 write unit per started KB of the larger of the item before and after
  (read here, uncounted, from the emulator just before and after the call), twice inside
  TransactWriteItems, and costs the same when its condition fails or the transaction is
  cancelled; each global secondary index the write changes costs 1 unit per started KB of
  the index entry (2 when the entry moves to another index key);
- a read costs 1 read unit per started 4 KB strongly consistent, half eventually
  consistent, twice in TransactGetItems; GetItem and BatchGetItem per item (a missing item
  still costs the minimum), Query and Scan on the sum of the sizes read, rounded up once.

Each charge names its table (without the stage prefix), its index if any, and the
partition key value it lands on, so a benchmark can add them up per partition.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

from botocore.client import BaseClient

READ_UNIT_BYTES = 4096
WRITE_UNIT_BYTES = 1024
TABLE_PREFIX = re.compile(r"^massar-[a-z0-9]+-")


@dataclass(frozen=True)
class Charge:
    """Capacity one call spent on one partition of one table or index."""

    operation: str
    table: str
    index: str | None
    key_name: str
    key: str
    kind: str  # "read" or "write"
    units: float
    size: int


@dataclass
class Recording:
    charges: list[Charge] = field(default_factory=list)
    operations: list[str] = field(default_factory=list)
    aws_seconds: float = 0.0

    def units(self, kind: str) -> float:
        return sum(c.units for c in self.charges if c.kind == kind)


# --- Item sizes ----------------------------------------------------------------------


def number_size(text: str) -> int:
    digits = text.strip().lstrip("+-").replace(".", "")
    digits = digits.split("e")[0].split("E")[0].strip("0") or "0"
    return (len(digits) + 1) // 2 + 1


def value_size(value: dict[str, Any]) -> int:
    ((kind, raw),) = value.items()
    if kind == "S":
        return len(str(raw).encode())
    if kind == "N":
        return number_size(str(raw))
    if kind == "B":
        return len(raw)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "SS":
        return sum(len(str(s).encode()) for s in raw)
    if kind == "NS":
        return sum(number_size(str(n)) for n in raw)
    if kind == "BS":
        return sum(len(b) for b in raw)
    if kind == "L":
        return 3 + sum(1 + value_size(v) for v in raw)
    if kind == "M":
        return 3 + sum(1 + len(k.encode()) + value_size(v) for k, v in raw.items())
    raise ValueError(f"unknown attribute type {kind}")


def item_size(item: dict[str, Any] | None) -> int:
    if not item:
        return 0
    return sum(len(name.encode()) + value_size(value) for name, value in item.items())


def read_units(size: int, consistent: bool, transactional: bool = False) -> float:
    units = max(1, math.ceil(size / READ_UNIT_BYTES)) * (1.0 if consistent else 0.5)
    return units * (2 if transactional else 1)


def write_units(size: int, transactional: bool = False) -> float:
    return float(max(1, math.ceil(size / WRITE_UNIT_BYTES)) * (2 if transactional else 1))


# --- Table descriptions --------------------------------------------------------------


@dataclass(frozen=True)
class Index:
    name: str
    keys: tuple[str, ...]  # hash key first
    projection: str  # ALL | KEYS_ONLY | INCLUDE
    included: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    name: str
    keys: tuple[str, ...]  # hash key first
    indexes: tuple[Index, ...]

    @property
    def short(self) -> str:
        return TABLE_PREFIX.sub("", self.name)

    def index(self, name: str | None) -> Index | None:
        return next((i for i in self.indexes if i.name == name), None)

    def key_of(self, item: dict[str, Any]) -> dict[str, Any]:
        return {k: item[k] for k in self.keys if k in item}

    def entry(self, index: Index, item: dict[str, Any] | None) -> dict[str, Any] | None:
        """The index entry an item makes (None: the item is not in this sparse index)."""
        if not item or any(k not in item for k in index.keys):
            return None
        if index.projection == "ALL":
            return dict(item)
        names = set(self.keys) | set(index.keys)
        if index.projection == "INCLUDE":
            names |= set(index.included)
        return {k: v for k, v in item.items() if k in names}


def _describe(call: Any, client: Any, name: str) -> Table:
    answer = call(client, "DescribeTable", {"TableName": name})["Table"]

    def keys(schema: list[dict[str, str]]) -> tuple[str, ...]:
        ordered = sorted(schema, key=lambda k: 0 if k["KeyType"] == "HASH" else 1)
        return tuple(k["AttributeName"] for k in ordered)

    indexes = tuple(
        Index(
            i["IndexName"],
            keys(i["KeySchema"]),
            i["Projection"]["ProjectionType"],
            tuple(i["Projection"].get("NonKeyAttributes", [])),
        )
        for i in answer.get("GlobalSecondaryIndexes", [])
    )
    return Table(name, keys(answer["KeySchema"]), indexes)


def _text(value: dict[str, Any] | None) -> str:
    if not value:
        return ""
    ((_, raw),) = value.items()
    return str(raw)


_EQUALS = re.compile(r"(#?[A-Za-z0-9_]+)\s*=\s*(:[A-Za-z0-9_]+)")


def _query_key(params: dict[str, Any], hash_name: str) -> str:
    names = params.get("ExpressionAttributeNames", {})
    values = params.get("ExpressionAttributeValues", {})
    for name, placeholder in _EQUALS.findall(params.get("KeyConditionExpression", "")):
        if names.get(name, name) == hash_name:
            return _text(values.get(placeholder))
    for name, condition in (params.get("KeyConditions") or {}).items():
        if name == hash_name:
            return _text(condition["AttributeValueList"][0])
    return ""


# --- The recorder --------------------------------------------------------------------


class _Charger:
    def __init__(self, call: Any, client: Any, tables: dict[str, Table]) -> None:
        self.call = call
        self.client = client
        self.tables = tables

    def table(self, name: str) -> Table:
        if name not in self.tables:
            self.tables[name] = _describe(self.call, self.client, name)
        return self.tables[name]

    def current(self, name: str, key: dict[str, Any]) -> dict[str, Any] | None:
        """The item as stored now (read straight from the emulator: never counted)."""
        answer = self.call(
            self.client, "GetItem", {"TableName": name, "Key": key, "ConsistentRead": True}
        )
        found: dict[str, Any] | None = answer.get("Item")
        return found

    def charge(
        self,
        operation: str,
        table: Table,
        index: Index | None,
        key: str,
        kind: str,
        units: float,
        size: int,
    ) -> Charge:
        key_name = index.keys[0] if index else table.keys[0]
        return Charge(
            operation,
            table.short,
            index.name if index else None,
            key_name,
            key,
            kind,
            units,
            size,
        )

    def writes(
        self,
        operation: str,
        table: Table,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        transactional: bool,
    ) -> list[Charge]:
        image = after or before or {}
        size = max(item_size(before), item_size(after))
        key = _text(image.get(table.keys[0]))
        found = [
            self.charge(
                operation, table, None, key, "write", write_units(size, transactional), size
            )
        ]
        for index in table.indexes:
            old, new = table.entry(index, before), table.entry(index, after)
            if old == new:
                continue
            moved = (
                old is not None and new is not None and any(old[k] != new[k] for k in index.keys)
            )
            for entry in [old, new] if moved else [new or old]:
                if entry is None:
                    continue
                entry_size = item_size(entry)
                found.append(
                    self.charge(
                        operation,
                        table,
                        index,
                        _text(entry.get(index.keys[0])),
                        "write",
                        write_units(entry_size),
                        entry_size,
                    )
                )
        return found


@dataclass
class _Pending:
    """A write's item before the call, and how to find it after."""

    table: Table
    key: dict[str, Any]
    before: dict[str, Any] | None
    new: dict[str, Any] | None  # the whole new item (a put), else read after
    delete: bool = False


def _pending_writes(charger: _Charger, operation: str, params: dict[str, Any]) -> list[_Pending]:
    def one(
        name: str, item: dict[str, Any] | None, key: dict[str, Any] | None, delete: bool
    ) -> _Pending:
        table = charger.table(name)
        key = key if key is not None else table.key_of(item or {})
        return _Pending(table, key, charger.current(name, key), item, delete)

    if operation == "PutItem":
        return [one(params["TableName"], params["Item"], None, False)]
    if operation in ("UpdateItem", "DeleteItem"):
        return [one(params["TableName"], None, params["Key"], operation == "DeleteItem")]
    if operation == "TransactWriteItems":
        found = []
        for entry in params["TransactItems"]:
            ((kind, body),) = entry.items()
            found.append(
                one(body["TableName"], body.get("Item"), body.get("Key"), kind == "Delete")
                if kind != "ConditionCheck"
                else _Pending(charger.table(body["TableName"]), body["Key"], None, None)
            )
        return found
    if operation == "BatchWriteItem":
        found = []
        for name, requests in params["RequestItems"].items():
            for request in requests:
                if "PutRequest" in request:
                    found.append(one(name, request["PutRequest"]["Item"], None, False))
                else:
                    found.append(one(name, None, request["DeleteRequest"]["Key"], True))
        return found
    return []


def _write_charges(
    charger: _Charger, operation: str, params: dict[str, Any], pending: list[_Pending], ok: bool
) -> list[Charge]:
    transactional = operation == "TransactWriteItems"
    kinds = (
        [next(iter(e)) for e in params["TransactItems"]]
        if transactional
        else [operation] * len(pending)
    )
    found: list[Charge] = []
    for write, kind in zip(pending, kinds, strict=True):
        if kind == "ConditionCheck":
            current = charger.current(write.table.name, write.key)
            size = item_size(current)
            found.append(
                charger.charge(
                    operation,
                    write.table,
                    None,
                    _text(write.key.get(write.table.keys[0])),
                    "write",
                    write_units(size, True),
                    size,
                )
            )
            continue
        if not ok:  # refused: the item is unchanged, its size is what was charged
            after = write.before
        elif write.delete:
            after = None
        else:
            after = charger.current(write.table.name, write.key)
        charges = charger.writes(operation, write.table, write.before, after, transactional)
        if not ok or (write.before is None and after is None):
            keyed = _text(write.key.get(write.table.keys[0]))
            size = max(item_size(write.before), item_size(write.new))
            charges = [
                charger.charge(
                    operation,
                    write.table,
                    None,
                    keyed,
                    "write",
                    write_units(size, transactional),
                    size,
                )
            ]
        found.extend(charges)
    return found


def _read_charges(
    charger: _Charger, operation: str, params: dict[str, Any], answer: dict[str, Any]
) -> list[Charge]:
    found: list[Charge] = []
    if operation == "GetItem":
        table = charger.table(params["TableName"])
        size = item_size(answer.get("Item"))
        units = read_units(size, bool(params.get("ConsistentRead")))
        key = _text(params["Key"].get(table.keys[0]))
        found.append(charger.charge(operation, table, None, key, "read", units, size))
    elif operation == "BatchGetItem":
        for name, request in params["RequestItems"].items():
            table = charger.table(name)
            returned = answer.get("Responses", {}).get(name, [])
            for key in request["Keys"]:
                item = next((i for i in returned if table.key_of(i) == key), None)
                size = item_size(item)
                units = read_units(size, bool(request.get("ConsistentRead")))
                found.append(
                    charger.charge(
                        operation, table, None, _text(key[table.keys[0]]), "read", units, size
                    )
                )
    elif operation == "TransactGetItems":
        for entry, response in zip(
            params["TransactItems"], answer.get("Responses", []), strict=False
        ):
            body = entry["Get"]
            table = charger.table(body["TableName"])
            size = item_size(response.get("Item"))
            key = _text(body["Key"].get(table.keys[0]))
            found.append(
                charger.charge(
                    operation, table, None, key, "read", read_units(size, True, True), size
                )
            )
    elif operation in ("Query", "Scan"):
        table = charger.table(params["TableName"])
        index = table.index(params.get("IndexName"))
        items = answer.get("Items", [])
        if params.get("ProjectionExpression") and index is None:
            items = [charger.current(table.name, table.key_of(i)) or i for i in items]
        size = sum(item_size(i) for i in items)
        scanned, returned = answer.get("ScannedCount", len(items)), len(items)
        if scanned > returned:  # filtered out: charged too, at the returned items' mean size
            size += (scanned - returned) * (size // returned if returned else 200)
        hash_name = (index or table).keys[0] if index else table.keys[0]
        key = _query_key(params, hash_name) if operation == "Query" else "<scan>"
        units = read_units(size, bool(params.get("ConsistentRead")))
        found.append(charger.charge(operation, table, index, key, "read", units, size))
    return found


READS = {"GetItem", "BatchGetItem", "TransactGetItems", "Query", "Scan"}
WRITES = {"PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem"}


@contextmanager
def recording_units() -> Iterator[Recording]:
    """Every DynamoDB call in the block, charged; other services' calls pass untouched."""
    recorded = Recording()
    original = BaseClient._make_api_call
    tables: dict[str, Table] = {}

    def recording(client: Any, operation: str, params: Any) -> Any:
        service = str(client.meta.service_model.service_name)
        if service != "dynamodb" or operation not in READS | WRITES:
            return original(client, operation, params)
        charger = _Charger(original, client, tables)
        pending = _pending_writes(charger, operation, params) if operation in WRITES else []
        recorded.operations.append(operation)
        started = time.perf_counter()
        try:
            answer = original(client, operation, params)
        except Exception:
            recorded.aws_seconds += time.perf_counter() - started
            if operation in WRITES:  # a refused condition or a cancelled transaction costs
                recorded.charges.extend(_write_charges(charger, operation, params, pending, False))
            raise
        recorded.aws_seconds += time.perf_counter() - started
        if operation in WRITES:
            recorded.charges.extend(_write_charges(charger, operation, params, pending, True))
        else:
            recorded.charges.extend(_read_charges(charger, operation, params, answer))
        return answer

    with mock.patch.object(BaseClient, "_make_api_call", recording):
        yield recorded
