"""Dashboard counters: registrations by status per school, province and academy, and
submissions per hour, kept up to date from the registrations table's stream.

Layout (table `counters`, keys `pk`/`sk`):
- `pk = reg#<year>#<scope>#<shard>`, `sk = hour#<YYYY-MM-DDTHH>` → `received` (UTC hours);
- `pk = reg#<year>#<parent scope>#<shard>`, `sk = child#<child scope>` → `submitted`,
  `approved`, `rejected` (current status counts of that child: an academy under the
  nation, a province under its academy, a school under its province);
- `pk = counted#<registration id>`, `sk = <status>`: the marker that this registration's
  move into that status was counted (see `count_changes`).
A scope's totals are the sum of its children; a school's are its row under its province.
Each write picks a random shard of the scope's partition (the nation and academies take
every submission of their area); a read sums the shards, one Query per shard.

Why from the stream and not in the request's transaction: the nation's `hour#<H>` item
was in every submission's transaction of that hour, and DynamoDB cancels transactions
that overlap on an item (TransactionConflict): at the campaign's opening most submissions
would have failed. The stream handler adds up a whole batch and writes each item once.
"""

from __future__ import annotations

import itertools
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from chalicelib.core.models import CounterModel
from chalicelib.core.store import bound
from chalicelib.core.transactions import Transaction
from chalicelib.schools.rules import SchoolData

NATION = "national"
SHARDS = {"national": 8, "academy": 4, "province": 2, "school": 1}
STATUSES = ("submitted", "approved", "rejected")


def scope_id(kind: str, value: str | None = None) -> str:
    return NATION if kind == NATION else f"{kind}:{value}"


def _kind(scope: str) -> str:
    return scope.split(":", 1)[0]


def _partition(year: str, scope: str, shard: int) -> str:
    return f"reg#{year}#{scope}#{shard}"


def _random_partition(year: str, scope: str) -> str:
    return _partition(year, scope, secrets.randbelow(SHARDS[_kind(scope)]))


def hierarchy(school: SchoolData) -> list[str]:
    """The school's scopes from the nation down."""
    return [
        NATION,
        scope_id("academy", school.academy),
        scope_id("province", school.province),
        scope_id("school", school.code),
    ]


def hour_of(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H")


@dataclass(frozen=True)
class Change:
    """One registration's move into a status, as its stream record tells it."""

    sequence_number: str
    registration_id: str
    school_year: str
    school: SchoolData
    new: str  # "submitted" (a new application), "approved" or "rejected"
    old: str | None = None  # the status it left (None for a new application)
    moment: datetime | None = None  # submitted_at, for the hour row


# TransactWriteItems takes at most 100 items: a chunk of changes is cut before its
# markers and distinct counter items would pass that.
MAX_TRANSACTION_ITEMS = 100


def _deltas(change: Change) -> dict[tuple[str, str, str], dict[str, int]]:
    """What one change adds, by (year, scope whose partition holds the item, sort key)."""
    year = change.school_year
    scopes = hierarchy(change.school)
    found: dict[tuple[str, str, str], dict[str, int]] = {}
    if change.old is None:
        if change.moment is not None:
            for scope in scopes:
                found[(year, scope, f"hour#{hour_of(change.moment)}")] = {"received": 1}
        for parent, child in itertools.pairwise(scopes):
            found[(year, parent, f"child#{child}")] = {change.new: 1}
    else:
        for parent, child in itertools.pairwise(scopes):
            found[(year, parent, f"child#{child}")] = {change.old: -1, change.new: 1}
    return found


def _marker(change: Change) -> CounterModel:
    return bound(CounterModel)(f"counted#{change.registration_id}", change.new)


def _chunks(changes: list[Change]) -> list[list[Change]]:
    """Consecutive runs of changes whose markers and summed counter items fit in one
    transaction."""
    chunks: list[list[Change]] = []
    current: list[Change] = []
    keys: set[tuple[str, str, str]] = set()
    for change in changes:
        more = set(_deltas(change))
        if current and len(current) + 1 + len(keys | more) > MAX_TRANSACTION_ITEMS:
            chunks.append(current)
            current, keys = [], set()
        current.append(change)
        keys |= more
    if current:
        chunks.append(current)
    return chunks


def _commit_chunk(chunk: list[Change]) -> None:
    """The chunk's markers (each only if absent) and its summed counts in one transaction;
    changes whose marker exists were counted by an earlier delivery and are dropped, and
    the rest committed again."""
    remaining = list({(c.registration_id, c.new): c for c in chunk}.values())
    while remaining:
        sums: dict[tuple[str, str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for change in remaining:
            for key, changes in _deltas(change).items():
                for name, amount in changes.items():
                    sums[key][name] += amount
        transaction = Transaction()
        for index, change in enumerate(remaining):
            transaction.put(f"marker#{index}", _marker(change), CounterModel.pk.does_not_exist())
        for (year, scope, sk), changes in sums.items():
            actions = [
                getattr(CounterModel, name).add(amount)
                for name, amount in changes.items()
                if amount
            ]
            if actions:
                item = bound(CounterModel)(_random_partition(year, scope), sk)
                transaction.update("counter", item, actions)
        # Only the markers carry a condition: every refused label is `marker#<index>`.
        counted = {int(label.removeprefix("marker#")) for label in transaction.commit_or_refused()}
        if not counted:
            return
        remaining = [c for i, c in enumerate(remaining) if i not in counted]


def count_changes(changes: list[Change]) -> list[str]:
    """Count a batch of stream changes exactly once, however often the stream hands them
    over. Returns the sequence numbers not counted (from the first failure on, as Lambda's
    ReportBatchItemFailures retries the batch from the first one reported)."""
    from chalicelib.core.logs import logger

    done = 0
    for chunk in _chunks(changes):
        try:
            _commit_chunk(chunk)
        except Exception:
            # Retried by the event source (the markers keep what was counted counted once).
            logger.exception("dashboard counts not written", extra={"changes": len(chunk)})
            return [c.sequence_number for c in changes[done:]]
        done += len(chunk)
    return []


@dataclass
class ScopeCounts:
    totals: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    children: dict[str, dict[str, int]] = field(default_factory=dict)
    hours: dict[str, int] = field(default_factory=dict)


def read_scope(year: str, scope: str, parent: str | None = None) -> ScopeCounts:
    """A scope's hours and children, summed over its shards; for a school (no children),
    its totals are read from its row under `parent` (its province)."""
    counts = ScopeCounts()
    children: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(STATUSES, 0))
    hours: dict[str, int] = defaultdict(int)
    for shard in range(SHARDS[_kind(scope)]):
        for item in bound(CounterModel).query(_partition(year, scope, shard)):
            if item.sk.startswith("hour#"):
                hours[item.sk.removeprefix("hour#")] += int(item.received or 0)
            elif item.sk.startswith("child#"):
                row = children[item.sk.removeprefix("child#")]
                for status in STATUSES:
                    row[status] += int(getattr(item, status) or 0)
    if parent is not None:
        for shard in range(SHARDS[_kind(parent)]):
            for item in bound(CounterModel).query(
                _partition(year, parent, shard), CounterModel.sk == f"child#{scope}"
            ):
                for status in STATUSES:
                    counts.totals[status] += int(getattr(item, status) or 0)
    for row in children.values():
        for status in STATUSES:
            counts.totals[status] += row[status]
    counts.children = dict(sorted(children.items()))
    counts.hours = dict(sorted(hours.items()))
    return counts
