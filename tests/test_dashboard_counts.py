"""Issue 14, finding 1: the dashboard's counts come from the registrations stream, exactly
once however the stream redelivers, and no submission's transaction holds an item other
schools' submissions write (DynamoDB cancels overlapping transactions)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from unittest import mock

import pytest
from botocore.client import BaseClient
from botocore.exceptions import ClientError

from tests.conftest import Api
from tests.registration_fixtures import (
    SCHOOL,
    SCHOOL_YEAR,
    application,
    create_school,
    ready,
    staff_token,
    submit,
)

OTHER_SCHOOL = "EP0003"


def board(api: Api, token: str, scope: str = "national") -> dict[str, Any]:
    answer = api.get(
        f"/v1/dashboard/registrations?school_year={SCHOOL_YEAR}&scope={scope}", token=token
    )
    assert answer.status_code == 200, answer.body
    return dict(answer.json_body)


def child(n: int, school: str = SCHOOL) -> dict[str, Any]:
    return application(school_code=school, child__birth_certificate_number=f"{n}/2020")


def registrations_stream(pump: Any) -> Any:
    from chalicelib.core.config import settings

    return next(s for s in pump.streams if s.table == settings().registrations_table)


def submit_decide(api: Api, ops_token: str) -> list[str]:
    ready(api, ops_token)
    create_school(api, ops_token, code=OTHER_SCHOOL)  # same province
    made = []
    for n, school in enumerate([SCHOOL, SCHOOL, SCHOOL, OTHER_SCHOOL]):
        answer = submit(api, child(n, school))
        assert answer.status_code == 201, answer.body
        made.append(answer.json_body["id"])
    director = staff_token()
    assert api.post(f"/v1/registrations/{made[0]}/approve", token=director).status_code == 200
    rejected = api.post(
        f"/v1/registrations/{made[1]}/reject", {"reason": "under_age"}, token=director
    )
    assert rejected.status_code == 200
    return made


EXPECTED = {"submitted": 2, "approved": 1, "rejected": 1, "total": 4}


def test_counts_follow_submissions_and_decisions_once_the_stream_is_read(
    api: Api, ops_token: str, pump: Any
) -> None:
    submit_decide(api, ops_token)
    # Nothing is counted in the requests themselves...
    assert board(api, ops_token)["counts"]["total"] == 0
    pump.drain()
    # ...and everything once the stream handler ran.
    national = board(api, ops_token)
    assert national["counts"] == EXPECTED
    assert sum(h["submissions"] for h in national["hours"]) == 4
    province_code = api.get(f"/v1/schools/{SCHOOL}").json_body["province"]
    province = board(api, ops_token, f"province:{province_code}")
    assert [(r["scope"], r["total"]) for r in province["breakdown"]] == [
        (f"school:{SCHOOL}", 3),
        (f"school:{OTHER_SCHOOL}", 1),
    ]
    school = board(api, staff_token(), f"school:{SCHOOL}")
    assert school["counts"] == {"submitted": 1, "approved": 1, "rejected": 1, "total": 3}


def test_a_replayed_stream_counts_nothing_twice(
    api: Api, ops_token: str, pump: Any, app: Any
) -> None:
    from devserver.pump import LambdaContext

    submit_decide(api, ops_token)
    handed: list[dict[str, Any]] = []
    handler = app.handler_map["count_registrations"]

    def keep(event: dict[str, Any], context: Any) -> Any:
        handed.extend(event["Records"])
        return handler(event, context)

    with mock.patch.dict(app.handler_map, {"count_registrations": keep}):
        pump.drain()
    assert len(handed) >= 6  # 4 new applications and 2 decisions
    assert board(api, ops_token)["counts"] == EXPECTED
    # The whole stream read again from its start, as after a lost checkpoint.
    registrations_stream(pump).shards.clear()
    pump.drain()
    # The same records handed over again, in one batch and one by one (Lambda retries).
    context = LambdaContext("count_registrations")
    assert handler({"Records": handed}, context) == {"batchItemFailures": []}
    for record in reversed(handed):
        assert handler({"Records": [record, record]}, context) == {"batchItemFailures": []}
    assert board(api, ops_token)["counts"] == EXPECTED
    assert sum(h["submissions"] for h in board(api, ops_token)["hours"]) == 4


def test_a_failed_batch_is_retried_from_its_first_change_and_counted_once(
    api: Api, ops_token: str, pump: Any, app: Any
) -> None:
    from chalicelib.registration.dashboard import store as counters

    submit_decide(api, ops_token)
    real = counters._commit_chunk
    calls = {"n": 0}

    def fail_once(chunk: list[counters.Change]) -> None:
        calls["n"] += 1
        real(chunk)  # written, then the invocation "dies" before answering
        if calls["n"] == 1:
            raise RuntimeError("timed out")

    with mock.patch.object(counters, "_commit_chunk", fail_once):
        pump.drain()
    assert calls["n"] >= 2
    assert board(api, ops_token)["counts"] == EXPECTED


def _counter_items(params: dict[str, Any], table: str) -> list[dict[str, Any]]:
    return [
        operation
        for item in params.get("TransactItems", [])
        for operation in item.values()
        if operation.get("TableName") == table
    ]


def test_no_request_transaction_holds_a_counter_item(api: Api, ops_token: str) -> None:
    from chalicelib.core.config import settings

    ready(api, ops_token)
    counters_table = settings().counters_table
    real = BaseClient._make_api_call
    transactions: list[dict[str, Any]] = []

    def spy(client: Any, name: str, params: Any) -> Any:
        if name == "TransactWriteItems":
            transactions.append(params)
        return real(client, name, params)

    director = staff_token()
    with mock.patch.object(BaseClient, "_make_api_call", spy):
        first = submit(api, child(1)).json_body["id"]
        second = submit(api, child(2)).json_body["id"]
        api.post(f"/v1/registrations/{first}/approve", token=director)
        api.post(f"/v1/registrations/{second}/reject", {"reason": "under_age"}, token=director)
    assert len(transactions) >= 4  # two submissions, an approval, a rejection
    assert all(_counter_items(t, counters_table) == [] for t in transactions)


# --- Concurrent submissions ---------------------------------------------------------------


class ConflictingDynamoDB:
    """DynamoDB's rule that moto lacks: a transaction touching an item another transaction
    holds at that moment is cancelled with TransactionConflict. Each transaction holds its
    items while moto (one at a time) writes them, a few milliseconds."""

    def __init__(self, hold_seconds: float = 0.005) -> None:
        self.hold_seconds = hold_seconds
        self.held: dict[str, int] = {}
        self.lock = threading.Lock()
        self.moto = threading.Lock()
        self.conflicts = 0
        self.real = BaseClient._make_api_call

    @staticmethod
    def _keys(params: dict[str, Any]) -> list[str]:
        keys = []
        for item in params.get("TransactItems", []):
            for operation in item.values():
                key = operation.get("Key") or operation.get("Item", {})
                if "Item" in operation:
                    # The table's key attributes are not in the request: the whole item's
                    # id-like attributes stand for them (unique per item in this app).
                    key = {k: v for k, v in key.items() if k in ("id", "pk", "sk", "key")} or key
                keys.append(f"{operation['TableName']}|{sorted(key.items())!r}")
        return keys

    def __call__(self, client: Any, name: str, params: Any) -> Any:
        if name != "TransactWriteItems":
            with self.moto:
                return self.real(client, name, params)
        keys = self._keys(params)
        with self.lock:
            clash = [k in self.held for k in keys]
            if any(clash):
                self.conflicts += 1
                raise ClientError(
                    {
                        "Error": {
                            "Code": "TransactionCanceledException",
                            "Message": "Transaction cancelled",
                        },
                        "CancellationReasons": [
                            {"Code": "TransactionConflict" if c else "None"} for c in clash
                        ],
                    },
                    name,
                )
            for k in keys:
                self.held[k] = self.held.get(k, 0) + 1
        try:
            time.sleep(self.hold_seconds)
            with self.moto:
                return self.real(client, name, params)
        finally:
            with self.lock:
                for k in keys:
                    self.held[k] -= 1
                    if not self.held[k]:
                        del self.held[k]


@pytest.fixture
def one_request_per_thread(app: Any) -> Iterator[None]:
    """Chalice keeps the request being handled on the app: per thread here, as each Lambda
    container handles one request at a time."""
    local = threading.local()

    def get(self: Any) -> Any:
        return getattr(local, "request", None)

    def put(self: Any, value: Any) -> None:
        local.request = value

    with mock.patch.object(type(app), "current_request", property(get, put), create=True):
        yield


def test_many_concurrent_submissions_never_answer_5xx(
    api: Api, ops_token: str, pump: Any, one_request_per_thread: None
) -> None:
    ready(api, ops_token)
    create_school(api, ops_token, code=OTHER_SCHOOL)  # same province
    dynamodb = ConflictingDynamoDB()
    total = 48

    def call(client: Any, name: str, params: Any) -> Any:
        return dynamodb(client, name, params)

    with mock.patch.object(BaseClient, "_make_api_call", call), ThreadPoolExecutor(8) as pool:
        answers = list(
            pool.map(
                lambda n: submit(api, child(n, SCHOOL if n % 2 else OTHER_SCHOOL)), range(total)
            )
        )
    assert [a.status_code for a in answers] == [201] * total, [
        a.body for a in answers if a.status_code != 201
    ][:3]
    pump.drain()
    assert board(api, ops_token)["counts"]["submitted"] == total


def test_a_transaction_conflict_is_retried_and_never_a_500(api: Api, ops_token: str) -> None:
    ready(api, ops_token)
    real = BaseClient._make_api_call
    refusals = {"left": 2}

    def conflict(client: Any, name: str, params: Any) -> Any:
        if name == "TransactWriteItems" and refusals["left"] > 0:
            refusals["left"] -= 1
            raise ClientError(
                {
                    "Error": {"Code": "TransactionCanceledException", "Message": "cancelled"},
                    "CancellationReasons": [
                        {"Code": "TransactionConflict"} for _ in params["TransactItems"]
                    ],
                },
                name,
            )
        return real(client, name, params)

    with mock.patch.object(BaseClient, "_make_api_call", conflict):
        answer = submit(api, child(1))
        assert answer.status_code == 201, answer.body
        refusals["left"] = 100  # conflicts that never end: a 503 to retry, never a 500
        busy = submit(api, child(2))
    assert busy.status_code == 503, busy.body
    assert busy.json_body["error"]["code"] == "busy"
    assert busy.headers["Retry-After"] == "1"


def test_the_campaign_is_read_once_per_container_for_a_while(api: Api, ops_token: str) -> None:
    from chalicelib.core.config import settings

    ready(api, ops_token)
    submit(api, child(0))
    campaigns = settings().campaigns_table
    real = BaseClient._make_api_call
    reads: list[str] = []

    def spy(client: Any, name: str, params: Any) -> Any:
        if campaigns in (params.get("TableName"), *params.get("RequestItems", {})):
            reads.append(name)
        return real(client, name, params)

    with mock.patch.object(BaseClient, "_make_api_call", spy):
        for n in range(1, 4):
            assert submit(api, child(n)).status_code == 201
            assert api.get("/v1/campaigns/current").status_code == 200
    assert reads == []  # within 30 s of the first read, no submission or page reads it again
