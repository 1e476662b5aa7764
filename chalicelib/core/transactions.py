"""The one way the stores write several items at once: a TransactWrite that remembers what
each of its items is, to say which condition failed.

DynamoDB reports cancellation reasons in the order of the request's items, and PynamoDB
sends condition checks, then deletes, then puts, then updates; `failed()` maps the
reasons back to the labels given here. `commit(refusals)` turns a failed condition into
the caller's exception; `commit_or_refused()` returns the labels, for callers that write
again without the refused items.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from typing import Any

from pynamodb.exceptions import TransactWriteError
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from chalicelib.core.errors import Busy
from chalicelib.core.store import connection

# What `commit` and `commit_or_refused` raise for a failure that is no refused condition
# (a ClientError or BotoCoreError around TransactWriteItems).
TransactionFailed = TransactWriteError

_KINDS = ("check", "delete", "put", "update")
# A conflicting transaction holds its items for milliseconds: 4 tries over at most
# ~0.35 s of pauses (within the API's 10 s and the gateway's 29 s).
CONFLICT_ATTEMPTS = 4
CONFLICT_BASE_SECONDS = 0.05


def _conflict_only(error: TransactWriteError) -> bool:
    """Cancelled for a concurrent transaction on an item, and for no condition."""
    codes = {reason.code for reason in error.cancellation_reasons or [] if reason is not None}
    return "TransactionConflict" in codes and "ConditionalCheckFailed" not in codes


class Transaction:
    def __init__(self) -> None:
        self.write = TransactWrite(connection=connection())
        self._labels: dict[str, list[str]] = {kind: [] for kind in _KINDS}

    def put(self, label: str, item: Model, condition: Any = None) -> None:
        self.write.save(item, condition=condition)
        self._labels["put"].append(label)

    def update(self, label: str, item: Model, actions: list[Any], condition: Any = None) -> None:
        self.write.update(item, actions=actions, condition=condition)
        self._labels["update"].append(label)

    def delete(self, label: str, item: Model, condition: Any = None) -> None:
        self.write.delete(item, condition=condition)
        self._labels["delete"].append(label)

    def check(self, label: str, model: type[Model], key: Any, condition: Any) -> None:
        self.write.condition_check(model, key, condition=condition)
        self._labels["check"].append(label)

    def external_put(self, label: str, add: Callable[[TransactWrite], None]) -> None:
        """Let another store module put its item (e.g. `outbox.add_to_transaction`)."""
        add(self.write)
        self._labels["put"].append(label)

    def external_update(self, label: str, update: Callable[[TransactWrite], None]) -> None:
        """Let another store module add its update (e.g. a rate-limit counter)."""
        update(self.write)
        self._labels["update"].append(label)

    def size(self) -> int:
        return sum(len(labels) for labels in self._labels.values())

    def commit(
        self,
        refusals: Mapping[str, Exception] | None = None,
        *,
        any_refusal: Exception | None = None,
    ) -> None:
        """Write it all or nothing. When conditions failed, the exception `refusals` gives for
        the first of their labels (in the mapping's order) is raised, else `any_refusal`,
        else the TransactionFailed itself (as is any other failure)."""
        try:
            self._send()
        except TransactWriteError as error:
            refused = self.failed(error)
            for label, exception in (refusals or {}).items():
                if label in refused:
                    raise exception from error
            if refused and any_refusal is not None:
                raise any_refusal from error
            raise

    def commit_or_refused(self) -> set[str]:
        """Write it all or nothing: the labels of the items whose condition failed (empty
        when written). Any other failure raises TransactionFailed."""
        try:
            self._send()
        except TransactWriteError as error:
            refused = self.failed(error)
            if not refused:
                raise
            return refused
        return set()

    def _send(self) -> None:
        """A transaction cancelled only because another one touched one of its items at
        the same moment (TransactionConflict, which botocore never retries) is sent again
        after a short random pause, a few times, before `Busy` (503) is raised."""
        for attempt in range(CONFLICT_ATTEMPTS):
            try:
                self.write._commit()
                return
            except TransactWriteError as error:
                if not _conflict_only(error):
                    raise
                if attempt == CONFLICT_ATTEMPTS - 1:
                    raise Busy("transaction_conflict") from error
                # Full jitter: the colliding writers spread out instead of meeting again.
                time.sleep(random.uniform(0, CONFLICT_BASE_SECONDS * 2**attempt))

    def failed(self, error: TransactWriteError) -> set[str]:
        """Labels of the items whose condition failed (empty for other cancellations)."""
        order = [label for kind in _KINDS for label in self._labels[kind]]
        reasons = error.cancellation_reasons or []
        return {
            label
            for label, reason in zip(order, reasons, strict=False)
            if reason is not None and reason.code == "ConditionalCheckFailed"
        }
