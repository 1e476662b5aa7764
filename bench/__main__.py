"""`python -m bench`: run every benchmark and rewrite bench/RESULTS.md.

`python -m bench NAME...` runs only the named ones and prints their sections without
touching RESULTS.md (which always holds one complete run on one machine).
`python -m bench --list` names them. Exits 1 when a benchmark or scenario failed.
"""

from __future__ import annotations

import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

from bench.machine import describe
from bench.registry import BENCHMARKS, Benchmark, Section

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def run_one(benchmark: Benchmark) -> Section:
    print(f"bench: {benchmark.name} …", file=sys.stderr, flush=True)
    started = time.perf_counter()
    try:
        section = benchmark.run()
    except Exception:
        detail = traceback.format_exc()
        section = Section(
            benchmark.name,
            f"**The benchmark crashed:**\n\n```\n{detail.strip()}\n```\n",
            failures=[detail.strip().splitlines()[-1]],
        )
    print(
        f"bench: {benchmark.name} done in {time.perf_counter() - started:.1f} s"
        + (f", {len(section.failures)} failure(s)" if section.failures else ""),
        file=sys.stderr,
        flush=True,
    )
    return section


def document(sections: list[Section], started: datetime, seconds: float) -> str:
    machine = "\n".join(f"| {name} | {value} |" for name, value in describe())
    parts = [
        "# Benchmark results\n",
        "Written by `make bench` (`python -m bench`); do not edit by hand.\n",
        "## Machine\n",
        "| | |\n|---|---|\n" + machine,
        f"| Run | {started:%Y-%m-%d %H:%M:%S} UTC, {seconds:.0f} s in all |\n",
        *(section.markdown() for section in sections),
    ]
    return "\n".join(parts)


def main(argv: list[str]) -> int:
    known = {b.name: b for b in BENCHMARKS}
    if "--list" in argv:
        print("\n".join(known))
        return 0
    unknown = [name for name in argv if name not in known]
    if unknown:
        print(
            f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(known)}",
            file=sys.stderr,
        )
        return 2
    chosen = [known[name] for name in argv] if argv else BENCHMARKS
    started = datetime.now(UTC)
    clock = time.perf_counter()
    sections = [run_one(benchmark) for benchmark in chosen]
    failures = [f for section in sections for f in section.failures]
    if argv:
        print("\n".join(section.markdown() for section in sections))
    else:
        RESULTS.write_text(document(sections, started, time.perf_counter() - clock))
        print(f"bench: wrote {RESULTS}")
    for failure in failures:
        print(f"bench: FAILED {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
