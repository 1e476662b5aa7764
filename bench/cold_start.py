"""Cold start: how much longer `import app` takes than importing the framework alone.

Every import runs in a fresh interpreter (`python -c`, repo root as cwd), the two kinds
alternating, after one warm-up import of each so both sides read warm bytecode caches.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.registry import Section
from bench.stats import median, ms, percentile

ROOT = Path(__file__).resolve().parent.parent

BASELINE_IMPORTS = (
    "from chalice import Chalice, Blueprint; import boto3; "
    "from pynamodb.models import Model; from pydantic import BaseModel"
)
APP_IMPORTS = "import app"
ROUNDS = 20
IMPORTTIME_RUNS = 5
TOP_MODULES = 10
GOAL_RATIO = 1.3
OWN_PACKAGES = frozenset({"chalicelib"})

_TIMED = (
    "import time\n_start = time.perf_counter()\n{imports}\nprint(time.perf_counter() - _start)\n"
)


def subprocess_env() -> dict[str, str]:
    """This environment, minus what would keep bytecode caches from being written."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _python(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    answer = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if answer.returncode != 0:
        raise RuntimeError(
            f"`python {' '.join(args)}` exited {answer.returncode}:\n{answer.stderr.strip()}"
        )
    return answer


@dataclass(frozen=True)
class Timing:
    imports: float  # measured inside the child around the import statement
    process: float  # the child's whole life seen from here: interpreter start, import, exit


def time_import(imports: str, env: dict[str, str]) -> Timing:
    started = time.perf_counter()
    answer = _python(["-c", _TIMED.format(imports=imports)], env)
    process = time.perf_counter() - started
    return Timing(float(answer.stdout.strip().splitlines()[-1]), process)


@dataclass
class ImportNode:
    name: str
    self_us: int
    cumulative_us: int
    children: list[ImportNode] = field(default_factory=list)


def parse_importtime(stderr: str) -> list[ImportNode]:
    """The import tree `-X importtime` prints (children come before their parent)."""
    waiting: dict[int, list[ImportNode]] = {}
    for line in stderr.splitlines():
        if not line.startswith("import time:"):
            continue
        parts = line[len("import time:") :].split("|", 2)
        if len(parts) != 3 or not parts[0].strip().isdigit():
            continue  # the header line
        label = parts[2]
        depth = (len(label) - len(label.lstrip(" ")) - 1) // 2
        node = ImportNode(label.strip(), int(parts[0]), int(parts[1]))
        node.children = waiting.pop(depth + 1, [])
        waiting.setdefault(depth, []).append(node)
    return waiting.get(0, [])


def walk(nodes: list[ImportNode]) -> list[ImportNode]:
    found: list[ImportNode] = []
    stack = list(nodes)
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(node.children)
    return found


def added_us(node: ImportNode, baseline: frozenset[str]) -> int:
    """Cumulative time minus the part spent in modules the baseline imports anyway."""
    own = 0 if node.name in baseline else node.self_us
    return own + sum(added_us(child, baseline) for child in node.children)


def is_reported(module: str, baseline: frozenset[str]) -> bool:
    top = module.split(".", 1)[0]
    if module in baseline or module == "app":
        return False
    return top in OWN_PACKAGES or top not in sys.stdlib_module_names


@dataclass(frozen=True)
class ModuleCost:
    name: str
    added_us: float
    cumulative_us: float
    self_us: float


def module_costs(env: dict[str, str]) -> tuple[list[ModuleCost], int, float]:
    """Modules `import app` adds over the baseline: per-module medians over a few runs, how
    many modules the baseline lacks, and the median sum of their self times."""
    baseline_run = _python(["-X", "importtime", "-c", BASELINE_IMPORTS], env)
    baseline = frozenset(n.name for n in walk(parse_importtime(baseline_run.stderr)))
    samples: dict[str, list[tuple[int, int, int]]] = {}
    extra_counts: list[int] = []
    extra_totals: list[int] = []
    for _ in range(IMPORTTIME_RUNS):
        tree = parse_importtime(_python(["-X", "importtime", "-c", APP_IMPORTS], env).stderr)
        nodes = walk(tree)
        extra = [n for n in nodes if n.name not in baseline]
        extra_counts.append(len(extra))
        extra_totals.append(sum(n.self_us for n in extra))
        for node in nodes:
            if is_reported(node.name, baseline):
                samples.setdefault(node.name, []).append(
                    (added_us(node, baseline), node.cumulative_us, node.self_us)
                )
    costs = [
        ModuleCost(
            name,
            median([s[0] for s in runs]),
            median([s[1] for s in runs]),
            median([s[2] for s in runs]),
        )
        for name, runs in samples.items()
    ]
    costs.sort(key=lambda c: c.added_us, reverse=True)
    return costs, round(median(extra_counts)), median(extra_totals)


def _us(value: float) -> str:
    return f"{value / 1000:.1f} ms"


def run() -> Section:
    env = subprocess_env()
    # Warm-up: compile and cache bytecode for both sides; not measured.
    time_import(BASELINE_IMPORTS, env)
    time_import(APP_IMPORTS, env)
    baseline: list[Timing] = []
    app: list[Timing] = []
    for round_number in range(ROUNDS):
        order = [(BASELINE_IMPORTS, baseline), (APP_IMPORTS, app)]
        if round_number % 2:
            order.reverse()
        for imports, timings in order:
            timings.append(time_import(imports, env))
    costs, extra_count, extra_total = module_costs(env)

    base_median = median([t.imports for t in baseline])
    app_median = median([t.imports for t in app])
    ratio = app_median / base_median
    met = ratio <= GOAL_RATIO
    rows = [
        "| import | median | p90 | whole process, median |",
        "|---|---:|---:|---:|",
    ]
    for label, timings in (
        (f"framework baseline: `{BASELINE_IMPORTS}`", baseline),
        (f"`{APP_IMPORTS}` (app.py and chalicelib)", app),
    ):
        values = [t.imports for t in timings]
        rows.append(
            f"| {label} | {ms(median(values))} | {ms(percentile(values, 0.9))} "
            f"| {ms(median([t.process for t in timings]))} |"
        )
    verdict = "**met**" if met else "**not met**"
    top = [
        "| # | module | added | cumulative | self |",
        "|---:|---|---:|---:|---:|",
    ]
    for index, cost in enumerate(costs[:TOP_MODULES], start=1):
        top.append(
            f"| {index} | `{cost.name}` | {_us(cost.added_us)} | {_us(cost.cumulative_us)} "
            f"| {_us(cost.self_us)} |"
        )
    body = f"""
Each import is timed with `time.perf_counter()` around the import statement inside a fresh
`python -c` subprocess (repo root as cwd, `PYTHONDONTWRITEBYTECODE` unset, one warm-up
import of each kind first so both read warm `.pyc` files), the two kinds alternating,
{ROUNDS} rounds each. "Whole process" is the subprocess's wall time seen from the parent
(interpreter start-up + import + exit).

{chr(10).join(rows)}

Ratio of medians (app / baseline): **{ratio:.2f}**, goal ≤ {GOAL_RATIO}: {verdict}.

### What our code adds, top {TOP_MODULES}

From `python -X importtime -c "{APP_IMPORTS}"`, median of {IMPORTTIME_RUNS} runs. Only
`chalicelib.*` and third-party modules that the baseline does not import. *Added* is the
module's cumulative time minus what is spent in modules the baseline imports anyway (what
making this import lazy could save); *cumulative* and *self* are importtime's own figures.
Nested modules are counted in their parent too.

{chr(10).join(top)}

In all, `import app` loads {extra_count} modules the baseline does not (stdlib included);
their self times add up to {_us(extra_total)} (median).
"""
    # A missed goal is a result, not a failure: only errors make the run exit non-zero.
    return Section("Cold start: importing app.py", body)
