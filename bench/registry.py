"""The benchmarks `python -m bench` runs, in order. Add one: write a module with a
`run() -> Section` function and append a `Benchmark` line here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Section:
    """One benchmark's part of RESULTS.md. A non-empty `failures` makes the run exit 1."""

    title: str
    body: str
    failures: list[str] = field(default_factory=list)

    def markdown(self) -> str:
        return f"## {self.title}\n\n{self.body.strip()}\n"


@dataclass(frozen=True)
class Benchmark:
    name: str
    run: Callable[[], Section]


def _cold_start() -> Section:
    from bench import cold_start

    return cold_start.run()


def _dynamodb_calls() -> Section:
    from bench import dynamodb_calls

    return dynamodb_calls.run()


def _accounts() -> Section:
    from bench import accounts

    return accounts.run()


def _registration() -> Section:
    from bench import registration

    return registration.run()


def _notifications() -> Section:
    from bench import notifications

    return notifications.run()


def _space() -> Section:
    from bench import space

    return space.run()


def _exams() -> Section:
    from bench import exams

    return exams.run()


def _web() -> Section:
    from bench import web

    return web.run()


def _capacity() -> Section:
    from bench import capacity

    return capacity.run()


def _first_run() -> Section:
    from bench import first_run

    return first_run.run()


BENCHMARKS: list[Benchmark] = [
    Benchmark("cold_start", _cold_start),
    Benchmark("dynamodb_calls", _dynamodb_calls),
    Benchmark("accounts", _accounts),
    Benchmark("registration", _registration),
    Benchmark("notifications", _notifications),
    Benchmark("space", _space),
    Benchmark("exams", _exams),
    Benchmark("web", _web),
    Benchmark("capacity", _capacity),
    Benchmark("first_run", _first_run),
]
