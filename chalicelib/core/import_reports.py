"""The totals of a row-by-row import's report (schools, exam candidates and results), as
each feature's answer carries them beside its rows."""

from __future__ import annotations

from typing import Any, Protocol


class CountedReport(Protocol):
    @property
    def dry_run(self) -> bool: ...

    def count(self, status: str) -> int: ...


def import_totals(report: CountedReport) -> dict[str, Any]:
    """`dry_run` and how many rows were created, updated, unchanged and failed."""
    return {
        "dry_run": report.dry_run,
        "created": report.count("created"),
        "updated": report.count("updated"),
        "unchanged": report.count("unchanged"),
        "failed": report.count("error"),
    }
