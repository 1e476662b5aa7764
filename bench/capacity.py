"""Capacity at the national peaks (issue 14): what the campaign's opening and a results day
ask of DynamoDB per table and per partition, of Lambda and of API Gateway, from the
capacity units measured per request (`bench.capacity_runs`) and the key design
(`bench.capacity_keys`). A partition above DynamoDB's on-demand limit is a failure."""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass, field, replace

from bench.capacity_keys import AREA, COUNTER, ENTITY, NATIONAL, SCHOOL, SOURCE, Rule, rule_of
from bench.capacity_runs import (
    AREA_SCHOOLS,
    FULL_YEAR_SUBJECTS,
    FULL_YEAR_TESTS,
    Measured,
    Runs,
    run_all,
)
from bench.capacity_units import Recording
from bench.registry import Section
from bench.space import (
    LAMBDA_GB,
    PRICE_PER_GB_SECOND,
    PRICE_PER_MILLION_API_CALLS,
    PRICE_PER_MILLION_LAMBDA_REQUESTS,
    PRICE_PER_MILLION_READ_UNITS,
    PRICE_PER_MILLION_WRITE_UNITS,
)

# The two peaks.
OPENING_SUBMISSIONS_PER_SECOND = 2_000
OPENING_SECONDS = 5 * 60
RESULTS_VISITS_PER_SECOND = 10_000  # each visit: sign in, /v1/me, marks, results
RESULTS_SECONDS = 10 * 60
# Assumptions on how the load spreads (stated in the section).
BUSIEST_SHARE = 0.01  # of national traffic: the busiest school, area or carrier address
ENTITY_REQUESTS_PER_SECOND = 3  # on one application, pupil or account at most
ENTRANTS, PRIMARY_SCHOOLS = 585_000, 7_800
ACADEMIES = 12
# DynamoDB on-demand limits.
PARTITION_READS, PARTITION_WRITES = 3_000, 1_000
TABLE_DEFAULT_MAX = 40_000  # read and write units per second per table (and per index)
# Lambda and API Gateway (account defaults in a region, both adjustable).
LAMBDA_CONCURRENCY_DEFAULT = 1_000
API_REQUESTS_PER_SECOND_DEFAULT = 10_000
LAMBDA_CPU_FACTOR = 1769 / 1024  # a 1 GB function gets ~0.58 of a vCPU
CALL_SECONDS, TRANSACTION_SECONDS = 0.010, 0.025  # DynamoDB round trips from Lambda
CAMPAIGN_CACHE_SECONDS = 30
STREAM_POLLS_PER_SECOND = 4  # Lambda polls each stream shard 4 times a second
RECORDS_PER_APPLICATION = 3  # the application, its child guard, its tracking guard
COUNTER_ITEM_UNITS = 2.0  # a counter item (< 1 KB) in a transaction
PROVINCES_PER_ACADEMY_MAX = 17  # Casablanca-Settat, préfectures d'arrondissements included
# Busiest scope's share of the applications: Casablanca-Settat has ~20 % of the population,
# the préfecture of Casablanca ~9 %.
SCOPE_SHARES = {"national": 1.0, "academy": 0.25, "province": 0.10, "school": BUSIEST_SHARE}
SCOPE_CHILDREN = {
    "national": ACADEMIES,
    "academy": PROVINCES_PER_ACADEMY_MAX,
    "province": 100,
    "school": 0,
}


def _own_seconds(measured: Measured | None) -> float:
    """The median request's CPU time outside botocore and moto: the app's own work (CPU,
    not wall time, so that other processes on this shared machine do not count)."""
    if measured is None or not measured.cpu:
        return 0.0
    return statistics.median(c - a for c, a in zip(measured.cpu, measured.aws_cpu, strict=True))


@dataclass
class Load:
    peak: str
    name: str
    rate: float  # per second
    recording: Recording
    api: bool = True  # an API Gateway request (else a background function's work)
    measured: Measured | None = None

    def lambda_seconds(self) -> float:
        """The request's duration on Lambda: this machine's own CPU time scaled to a 1 GB
        function's share of a vCPU, plus DynamoDB's round trips."""
        if self.measured is None or not self.measured.wall:
            return 0.0
        own = _own_seconds(self.measured)
        trips = sum(
            TRANSACTION_SECONDS if op.startswith("Transact") else CALL_SECONDS
            for op in self.recording.operations
        )
        return own * LAMBDA_CPU_FACTOR + trips


@dataclass
class Usage:
    """One key family's units at one peak."""

    rule: Rule
    read: float = 0.0  # units per second, all partitions of the family
    write: float = 0.0
    key_read: float = 0.0  # units per second on one key, at one entity's own rate
    key_write: float = 0.0
    busiest_read: float = 0.0
    busiest_write: float = 0.0
    note: str = ""


Family = tuple[str, str | None, str]  # table, index, partition-key family


def _per_request(recording: Recording) -> dict[Family, dict[str, float]]:
    """Units of one request per family: in all and on its busiest key, read and write."""
    found: dict[Family, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    per_key: dict[tuple[Family, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for charge in recording.charges:
        rule = rule_of(charge.table, charge.index, charge.key)
        family = (charge.table, charge.index, rule.family)
        found[family][charge.kind] += charge.units
        per_key[(family, charge.key)][charge.kind] += charge.units
    for (family, _), units in per_key.items():
        row = found[family]
        for kind in ("read", "write"):
            row[f"key_{kind}"] = max(row[f"key_{kind}"], units[kind])
    return found


def _usage(loads: list[Load]) -> dict[Family, Usage]:
    """Each family's units per second at the peak, and on its busiest partition."""
    usage: dict[Family, Usage] = {}
    for load in loads:
        for family, units in _per_request(load.recording).items():
            if family not in usage:
                key = next(
                    c.key
                    for c in load.recording.charges
                    if (c.table, c.index) == family[:2]
                    and rule_of(c.table, c.index, c.key).family == family[2]
                )
                usage[family] = Usage(rule_of(family[0], family[1], key))
            row = usage[family]
            row.read += load.rate * units["read"]
            row.write += load.rate * units["write"]
            own_rate = min(load.rate, ENTITY_REQUESTS_PER_SECOND)
            row.key_read += own_rate * units["key_read"]
            row.key_write += own_rate * units["key_write"]
    for row in usage.values():
        spread = row.rule.spread
        if spread == ENTITY:
            row.busiest_read, row.busiest_write = row.key_read, row.key_write
        elif spread in (SCHOOL, AREA, SOURCE):
            row.busiest_read = max(row.key_read, BUSIEST_SHARE * row.read)
            row.busiest_write = max(row.key_write, BUSIEST_SHARE * row.write)
        else:
            row.busiest_read, row.busiest_write = row.read, row.write
    return usage


@dataclass
class Stream:
    """The dashboard's counting from the registrations stream at the opening."""

    shards: int = 0
    batches_per_second: float = 0.0
    applications_per_batch: float = 0.0
    transactions_per_batch: int = 1
    measured: dict[str, float] = field(default_factory=dict)  # scope → WRU a batch, busiest
    items: dict[str, float] = field(default_factory=dict)  # scope → items/s, busiest value
    total_items: dict[str, float] = field(default_factory=dict)  # scope → items/s, all


def _stream(runs: Runs, registrations_writes: float) -> Stream:
    """Counters: each batch writes every counter item it touches once per transaction
    (≤ 100 items), so a scope's items per second are bounded twice: by its applications
    (an application adds an hour row and a child row to each of its scopes, only the hour
    row to its school's) and by the batches (each transaction writes the scope's hour row
    once and at most one row per child scope)."""
    stream = Stream()
    stream.shards = 2 * max(1, math.ceil(registrations_writes / PARTITION_WRITES))
    stream.batches_per_second = stream.shards * STREAM_POLLS_PER_SECOND
    applications = float(OPENING_SUBMISSIONS_PER_SECOND)
    records = applications * RECORDS_PER_APPLICATION
    stream.applications_per_batch = (
        min(100.0, records / stream.batches_per_second) / RECORDS_PER_APPLICATION
    )
    by_scope: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    transactions = 0
    for batch in runs.batches:
        transactions += batch.recording.operations.count("TransactWriteItems")
        for charge in batch.recording.charges:
            rule = rule_of(charge.table, charge.index, charge.key)
            if rule.spread == COUNTER:
                scope_value = charge.key.rsplit("#", 1)[0]
                by_scope[rule.scope][scope_value] += charge.units / len(runs.batches)
    stream.measured = {scope: max(values.values()) for scope, values in by_scope.items()}
    stream.transactions_per_batch = max(1, round(transactions / len(runs.batches)))
    chunks = stream.transactions_per_batch
    apps = stream.applications_per_batch
    for scope, share in SCOPE_SHARES.items():
        per_application = 1 if scope == "school" else 2
        children = min(SCOPE_CHILDREN[scope] * chunks, apps if SCOPE_CHILDREN[scope] else 0)
        by_batches = stream.batches_per_second * (chunks + children)
        stream.items[scope] = min(per_application * share * applications, by_batches)
        stream.total_items[scope] = per_application * applications
    return stream


def _stream_usage(stream: Stream, usage: dict[Family, Usage]) -> None:
    from bench.capacity_keys import RULES

    for rule in RULES:
        if rule.spread != COUNTER:
            continue
        row = Usage(rule)
        row.write = stream.total_items[rule.scope] * COUNTER_ITEM_UNITS
        row.busiest_write = stream.items[rule.scope] * COUNTER_ITEM_UNITS / rule.shards
        share = SCOPE_SHARES[rule.scope]
        whose = "the nation" if share >= 1 else f"the busiest {rule.scope} (≤ {share:.0%})"
        row.note = (
            f"{rule.shards} shard(s) of each {rule.scope}'s counters; {whose}: "
            f"{stream.items[rule.scope]:,.0f} item writes/s, from the stream's batches"
        )
        usage[("counters", None, rule.family)] = row


@dataclass
class Peak:
    name: str
    seconds: int
    loads: list[Load]
    usage: dict[Family, Usage] = field(default_factory=dict)
    stream: Stream | None = None
    concurrency: float = 0.0
    authorizer_concurrency: float = 0.0


def _opening(runs: Runs) -> Peak:
    found = runs.opening
    rate = OPENING_SUBMISSIONS_PER_SECOND
    loads = [
        Load(
            "opening",
            "the open campaign (form)",
            rate,
            found["campaign"].recording,
            measured=found["campaign"],
        ),
        Load(
            "opening",
            f"schools serving an area ({AREA_SCHOOLS})",
            rate,
            found["schools"].recording,
            measured=found["schools"],
        ),
        Load(
            "opening",
            "submit, with Idempotency-Key",
            rate,
            found["submit"].recording,
            measured=found["submit"],
        ),
        Load(
            "opening",
            "follow with the tracking code",
            rate,
            found["track"].recording,
            measured=found["track"],
        ),
    ]
    peak = Peak("Campaign opening", OPENING_SECONDS, loads)
    peak.concurrency = sum(load.rate * load.lambda_seconds() for load in loads)
    refills = max(1.0, peak.concurrency) / CAMPAIGN_CACHE_SECONDS
    loads.append(
        Load(
            "opening",
            "campaign cache refill (per container, every 30 s)",
            refills,
            found["campaign_cold"].recording,
            api=False,
        )
    )
    notifications = sum(n for name, n, _ in runs.handlers if name == "deliver_notifications")
    delivered = Recording()
    for name, _, recording in runs.handlers:
        if name == "deliver_notifications":
            delivered.charges.extend(recording.charges)
            delivered.operations.extend(recording.operations)
    loads.append(
        Load(
            "opening",
            "receipt delivery (per notification, prod notify rates)",
            _notify_rate(),
            _scaled(delivered, 1 / max(1, notifications)),
            api=False,
        )
    )
    markers = Recording()
    for batch in runs.batches:
        markers.charges.extend(
            c for c in batch.recording.charges if rule_of(c.table, c.index, c.key).spread != COUNTER
        )
    applications = sum(b.applications for b in runs.batches)
    loads.append(
        Load(
            "opening",
            "counted markers (stream, per application)",
            rate,
            _scaled(markers, 1 / max(1, applications)),
            api=False,
        )
    )
    peak.usage = _usage(loads)
    registrations = sum(
        u.write
        for (table, index, _), u in peak.usage.items()
        if table == "registrations" and index is None
    )
    peak.stream = _stream(runs, registrations)
    _stream_usage(peak.stream, peak.usage)
    return peak


def _scaled(recording: Recording, factor: float) -> Recording:
    """A share of a recording's charges (per notification, per application)."""
    charges = [replace(c, units=c.units * factor) for c in recording.charges]
    return Recording(charges, recording.operations[: round(len(recording.operations) * factor)])


def _notify_rate() -> float:
    from devserver.stage import stage_environment

    prod = stage_environment("prod")
    return float(prod.get("NOTIFY_EMAIL_RATE", "0")) + float(prod.get("NOTIFY_SMS_RATE", "0"))


def _results_day(runs: Runs) -> Peak:
    found = runs.results_day
    rate = RESULTS_VISITS_PER_SECOND
    loads = [
        Load("results", "sign in", rate, found["login"].recording, measured=found["login"]),
        Load(
            "results",
            "the account and its children",
            rate,
            found["me"].recording,
            measured=found["me"],
        ),
        Load(
            "results",
            "marks of the semester (a full year's pupil)",
            rate,
            found["grades"].recording,
            measured=found["grades"],
        ),
        Load(
            "results",
            "results of the year (a full year's pupil)",
            rate,
            found["results"].recording,
            measured=found["results"],
        ),
    ]
    peak = Peak("Results day", RESULTS_SECONDS, loads)
    peak.usage = _usage(loads)
    peak.concurrency = sum(load.rate * load.lambda_seconds() for load in loads)
    check = statistics.median(runs.authorizer_seconds) if runs.authorizer_seconds else 0.0
    peak.authorizer_concurrency = rate * check * LAMBDA_CPU_FACTOR * 2  # 512 MB
    return peak


# --- Report --------------------------------------------------------------------------


def _units(value: float) -> str:
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def _money(value: float) -> str:
    return f"${value:,.2f}" if value < 100 else f"${value:,.0f}"


def _table_name(table: str, index: str | None) -> str:
    return f"`{table}`" + (f" (index `{index}`)" if index else "")


def _per_request_rows(runs: Runs) -> str:
    lines = [
        "| request | route | DynamoDB calls | RRU | WRU | units by table |",
        "|---|---|---|---:|---:|---|",
    ]
    for measured in [*runs.opening.values(), *runs.results_day.values()]:
        recording = measured.recording
        tables: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
        for charge in recording.charges:
            name = charge.table + (f"/{charge.index}" if charge.index else "")
            tables[name][0 if charge.kind == "read" else 1] += charge.units
        split = ", ".join(
            f"{name} "
            + " + ".join(f"{v:g} {kind}" for v, kind in zip(units, ("R", "W"), strict=True) if v)
            for name, units in tables.items()
        )
        calls = ", ".join(
            f"{op} ×{recording.operations.count(op)}" for op in dict.fromkeys(recording.operations)
        )
        lines.append(
            f"| {measured.name} | `{measured.route}` | {calls or '— (cached)'} "
            f"| {recording.units('read'):g} | {recording.units('write'):g} | {split or '—'} |"
        )
    return "\n".join(lines)


def _table_rows(peak: Peak) -> tuple[str, float, list[str]]:
    per_table: dict[tuple[str, str | None], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for (table, index, _), usage in peak.usage.items():
        per_table[(table, index)][0] += usage.read
        per_table[(table, index)][1] += usage.write
    lines = [
        "| table | RRU/s at the peak | WRU/s at the peak | RRU over the window "
        "| WRU over the window | on-demand cost | vs the 40,000/s table default |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    total = 0.0
    over: list[str] = []
    for (table, index), (read, write) in sorted(per_table.items(), key=lambda x: -sum(x[1])):
        cost = (
            (read * PRICE_PER_MILLION_READ_UNITS + write * PRICE_PER_MILLION_WRITE_UNITS)
            * peak.seconds
            / 1e6
        )
        total += cost
        if max(read, write) > TABLE_DEFAULT_MAX:
            verdict = "**over: raise the table's quota and pre-warm it**"
            over.append(
                f"{peak.name}: {_table_name(table, index)} takes {read:,.0f} RRU/s and "
                f"{write:,.0f} WRU/s, above the on-demand default maximum of "
                f"{TABLE_DEFAULT_MAX:,}/s per table: raise the table's maximum (Service Quotas, "
                "table-level throughput) and set its warm throughput the day before"
            )
        else:
            verdict = f"within ({max(read, write) / TABLE_DEFAULT_MAX:.0%})"
        lines.append(
            f"| {_table_name(table, index)} | {_units(read)} | {_units(write)} "
            f"| {read * peak.seconds:,.0f} | {write * peak.seconds:,.0f} | {_money(cost)} "
            f"| {verdict} |"
        )
    return "\n".join(lines), total, over


SPREADS = {
    ENTITY: f"one per application, pupil or account: ≤ {ENTITY_REQUESTS_PER_SECOND} requests/s "
    "on one",
    SCHOOL: f"one per school: the busiest takes ≤ {BUSIEST_SHARE:.0%}",
    AREA: f"one per commune or district: the busiest takes ≤ {BUSIEST_SHARE:.0%}",
    SOURCE: f"one per source address: the busiest carrier NAT takes ≤ {BUSIEST_SHARE:.0%}",
    NATIONAL: "one for the nation",
}


def _family_rows(peak: Peak) -> tuple[str, list[str]]:
    lines = [
        "| table | partition key | partitions sharing the load | busiest partition RRU/s "
        "| busiest partition WRU/s | limit | verdict |",
        "|---|---|---|---:|---:|---|---|",
    ]
    failures: list[str] = []
    rows = sorted(
        peak.usage.items(),
        key=lambda x: (
            -max(x[1].busiest_read / PARTITION_READS, x[1].busiest_write / PARTITION_WRITES)
        ),
    )
    for (table, index, family), usage in rows:
        rule = usage.rule
        spread = SPREADS.get(rule.spread, "")
        if rule.spread == COUNTER:
            spread = usage.note
        elif table == "campaigns":
            spread = "one per school year, read once per container every 30 s (cached)"
        load = max(usage.busiest_read / PARTITION_READS, usage.busiest_write / PARTITION_WRITES)
        verdict = f"ok ({load:.1%} of the limit)"
        if load > 1:
            verdict = f"**over the limit ({load:.0%})**"
            failures.append(
                f"{peak.name}: {_table_name(table, index)} `{family}` partition at "
                f"{usage.busiest_read:,.0f} RRU/s, {usage.busiest_write:,.0f} WRU/s"
            )
        lines.append(
            f"| {_table_name(table, index)} | `{family}` | {spread} "
            f"| {_units(usage.busiest_read)} | {_units(usage.busiest_write)} "
            f"| 3,000 R / 1,000 W | {verdict} |"
        )
    return "\n".join(lines), failures


def _lambda_rows(peak: Peak) -> tuple[str, float, float]:
    lines = [
        "| request | per second | wall here (moto) | own CPU here | on Lambda (1 GB) "
        "| concurrency |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    requests = 0.0
    lambda_cost = 0.0
    for load in peak.loads:
        if not load.api:
            continue
        requests += load.rate
        seconds = load.lambda_seconds()
        lambda_cost += (
            load.rate
            * peak.seconds
            * (seconds * LAMBDA_GB * PRICE_PER_GB_SECOND + PRICE_PER_MILLION_LAMBDA_REQUESTS / 1e6)
        )
        measured = load.measured
        wall = statistics.median(measured.wall) if measured and measured.wall else 0.0
        own = _own_seconds(measured)
        lines.append(
            f"| {load.name} | {load.rate:,.0f} | {wall * 1000:.1f} ms | {own * 1000:.1f} ms "
            f"| {seconds * 1000:.0f} ms | {load.rate * seconds:,.0f} |"
        )
    return "\n".join(lines), requests, lambda_cost


def _peak_body(peak: Peak, title: str) -> tuple[str, list[str], list[str]]:
    tables, dynamodb_cost, over = _table_rows(peak)
    families, failures = _family_rows(peak)
    functions, requests, lambda_cost = _lambda_rows(peak)
    api_cost = requests * peak.seconds * PRICE_PER_MILLION_API_CALLS / 1e6
    concurrency = peak.concurrency + peak.authorizer_concurrency
    quotas = []
    if concurrency > LAMBDA_CONCURRENCY_DEFAULT:
        heaviest = max(peak.loads, key=lambda load: load.rate * load.lambda_seconds())
        quotas.append(
            f"{peak.name}: about {concurrency:,.0f} concurrent Lambda executions, above the "
            f"default {LAMBDA_CONCURRENCY_DEFAULT:,} per region: request the quota (and "
            f"provisioned concurrency for the first minutes); {heaviest.name} takes "
            f"{heaviest.rate * heaviest.lambda_seconds():,.0f} of them"
        )
    if requests > API_REQUESTS_PER_SECOND_DEFAULT:
        quotas.append(
            f"{peak.name}: {requests:,.0f} API requests/s, above API Gateway's default "
            f"account throttle of {API_REQUESTS_PER_SECOND_DEFAULT:,}/s per region: request "
            "a higher one (and keep the stage's own throttle above the peak)"
        )
    authorizer = (
        f"+ {peak.authorizer_concurrency:,.0f} for the authorizer: one token check a visit, "
        "cached 60 s"
        if peak.authorizer_concurrency
        else "anonymous routes: no authorizer"
    )
    body = f"""
### {title}

Per table (index writes and reads are their own rows: each index has its own partitions
and its own on-demand maximum):

{tables}

DynamoDB over the window: **{_money(dynamodb_cost)}**.

Per partition-key family, the busiest partition at the peak:

{families}

Lambda (API function; duration on Lambda = this machine's own time × {LAMBDA_CPU_FACTOR:.2f}
for a 1 GB function's share of a vCPU, + {CALL_SECONDS * 1000:.0f} ms per DynamoDB call and
{TRANSACTION_SECONDS * 1000:.0f} ms per transaction; *wall here* includes moto):

{functions}

API function: **{peak.concurrency:,.0f}** concurrent executions at the peak
({authorizer}); the account's default is {LAMBDA_CONCURRENCY_DEFAULT:,} per region. API Gateway:
**{requests:,.0f} requests/s**, {requests * peak.seconds:,.0f} over the window (default
account throttle {API_REQUESTS_PER_SECOND_DEFAULT:,}/s per region). Over the window: Lambda
≈ {_money(lambda_cost)}, API Gateway ≈ {_money(api_cost)}.
"""
    return body, failures, over + quotas


def _stream_text(stream: Stream) -> str:
    measured = ", ".join(f"{scope} {units:g}" for scope, units in stream.measured.items())
    national = stream.items["national"] * COUNTER_ITEM_UNITS / 8
    return f"""
**The dashboard's counters at the opening.** `count_registrations` reads the registrations
table's stream ({RECORDS_PER_APPLICATION} records per application, batches of ≤ 100) and
adds the batch up: one `counted#` marker per application and each counter item the batch
touches once per transaction, on a random shard of its scope ({{SHARDS}} shards for the
nation, academy, province, school). Measured, a batch of 33 applications from the
{ACADEMIES} academies: {stream.transactions_per_batch} transaction(s), WRU on the busiest
scope (all its shards): {measured}. At the peak: Lambda polls each stream shard
{STREAM_POLLS_PER_SECOND} times a second and stream shards follow the table's partitions,
taken as twice the opening's base-table writes / 1,000 = **{stream.shards} shards**, ≤
**{stream.batches_per_second:g} batches/s** of ~{stream.applications_per_batch:.0f}
applications. A scope's item writes per second are the smaller of what its applications
bring (2 rows each, 1 for a school) and what the batches can write (a transaction writes
its hour row once and one row per child scope): the nation's 8 shards get
{national:,.0f} WRU/s each. More stream shards mean smaller batches and more writes, up to
{2 * OPENING_SUBMISSIONS_PER_SECOND * COUNTER_ITEM_UNITS / 8:,.0f} WRU/s per national shard
(every application its own batch).
""".replace("{SHARDS}", "8, 4, 2, 1")


def run() -> Section:
    runs = run_all()
    opening = _opening(runs)
    results = _results_day(runs)
    failures: list[str] = []
    warnings: list[str] = []
    opening_text, found, over = _peak_body(
        opening,
        f"(a) Campaign opening: {OPENING_SUBMISSIONS_PER_SECOND:,} submissions/s for "
        f"{OPENING_SECONDS // 60} minutes",
    )
    failures += found
    warnings += over
    results_text, found, over = _peak_body(
        results,
        f"(b) Results day: {RESULTS_VISITS_PER_SECOND:,} visits/s for "
        f"{RESULTS_SECONDS // 60} minutes",
    )
    failures += found
    warnings += over
    assert opening.stream is not None
    actions = "\n".join(f"- {w}" for w in warnings) or "- none"
    body = f"""
Every DynamoDB request of the peaks' requests, made in process under moto
(`chalice.test.Client`, dev stage) and charged from the items it read and wrote by
DynamoDB's on-demand rules (`bench/capacity_units.py`: 1 WRU per started KB of the larger
of the item before and after, ×2 in transactions, refused conditions charged; index entries
1 WRU per KB; 1 RRU per started 4 KB strongly consistent, half eventually consistent;
Query on the sum of the sizes read). Keys are grouped by family with their ids replaced
(`bench/capacity_keys.py`); a partition above 3,000 RRU/s or 1,000 WRU/s fails the run.

**The peaks.** (a) {OPENING_SUBMISSIONS_PER_SECOND:,} parents a second for
{OPENING_SECONDS // 60} minutes, each loading the form's campaign and the schools of their
area, submitting with an Idempotency-Key and following the application with its tracking
code: {OPENING_SUBMISSIONS_PER_SECOND * OPENING_SECONDS:,} applications, the whole cohort
(~{ENTRANTS:,} first-year entrants in ~{PRIMARY_SCHOOLS:,} primary schools,
~{ENTRANTS // PRIMARY_SCHOOLS} a school). (b) {RESULTS_VISITS_PER_SECOND:,} visits a second
for {RESULTS_SECONDS // 60} minutes, each signing in, asking `/v1/me` (the web app's shell
does) and reading the semester's marks and the year's results of a pupil with a full
year of marks ({FULL_YEAR_SUBJECTS} subjects × {FULL_YEAR_TESTS} tests × 2 semesters +
the demo's = {runs.marks.get("full", 0)} marks; the demo pupil's
{runs.marks.get("demo", 0)} cost less, see the table below). Read as visits, not views,
the conservative reading: if the 10,000/s counts views (two a visit), halve (b).

**Assumptions on the spread.** A key per application, pupil, account or session spreads
over millions of partitions: its busiest is one entity at ≤ {ENTITY_REQUESTS_PER_SECOND}
requests/s. A key per school, per area or per source address takes the busiest one's
share, ≤ {BUSIEST_SHARE:.0%} of national traffic (generous: the average school has
{1 / PRIMARY_SCHOOLS:.3%}); the busiest academy ≤ {SCOPE_SHARES["academy"]:.0%} and the
busiest province ≤ {SCOPE_SHARES["province"]:.0%} of the applications. A national key
takes everything unless cached: the campaign is read once per container every
{CAMPAIGN_CACHE_SECONDS} s, and the dashboard's counters are added up from the stream in
batches onto sharded keys. Prices: on-demand list prices as in the space section
(${PRICE_PER_MILLION_READ_UNITS}/M RRU, ${PRICE_PER_MILLION_WRITE_UNITS}/M WRU,
${PRICE_PER_GB_SECOND}/GB-s, ${PRICE_PER_MILLION_API_CALLS}/M REST calls; eu-west-3).

### Measured units per request

{_per_request_rows(runs)}

{opening_text}
{_stream_text(opening.stream)}
{results_text}
### To do before a peak (quotas, not partitions)

{actions}

Receipts: each application queues its receipts (email and SMS) in the outbox in its own
transaction; they go out at the prod stage's notify rates ({_notify_rate():g}/s in all),
so the opening's receipts arrive over hours, not minutes (the SES and SNS quotas decide).
Counters: batches from different stream shards update the same counter items; one that
meets another's transaction (TransactionConflict) is retried by the event source and the
markers keep the counts exact: watch the `count_registrations` function's IteratorAge.
"""
    return Section("Capacity at the national peaks", body, failures)
