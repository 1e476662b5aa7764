"""Dashboard counters: registrations by status per school, province and academy, and
submissions per hour, kept up to date by ADDs inside the transaction of each change.

Layout (table `counters`, keys `pk`/`sk`):
- `pk = reg#<year>#<scope>#<shard>`, `sk = hour#<YYYY-MM-DDTHH>` → `received` (UTC hours);
- `pk = reg#<year>#<parent scope>#<shard>`, `sk = child#<child scope>` → `submitted`,
  `approved`, `rejected` (current status counts of that child: an academy under the
  nation, a province under its academy, a school under its province).
A scope's totals are the sum of its children; a school's are its row under its province.
Each write picks a random shard of the scope's partition (the nation and academies take
every submission of their area); a read sums the shards, one Query per shard.
"""

from __future__ import annotations

import itertools
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from chalicelib.domain.schools import SchoolData
from chalicelib.store.base import bound
from chalicelib.store.models import CounterModel
from chalicelib.store.transactions import Transaction

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


def _update(transaction: Transaction, pk: str, sk: str, changes: dict[str, int]) -> None:
    actions = [getattr(CounterModel, name).add(amount) for name, amount in changes.items()]
    transaction.update("counter", bound(CounterModel)(pk, sk), actions)


def count_submission(
    transaction: Transaction, year: str, school: SchoolData, moment: datetime
) -> None:
    scopes = hierarchy(school)
    for scope in scopes:
        _update(
            transaction, _random_partition(year, scope), f"hour#{hour_of(moment)}", {"received": 1}
        )
    for parent, child in itertools.pairwise(scopes):
        _update(transaction, _random_partition(year, parent), f"child#{child}", {"submitted": 1})


def count_decision(
    transaction: Transaction, year: str, school: SchoolData, old: str, new: str
) -> None:
    scopes = hierarchy(school)
    for parent, child in itertools.pairwise(scopes):
        _update(transaction, _random_partition(year, parent), f"child#{child}", {old: -1, new: 1})


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
