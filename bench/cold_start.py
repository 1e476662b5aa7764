"""Cold start: how much longer `import app` takes than importing the framework alone, in
exactly what the Lambda ships.

The packages are a synthesis's (infra/app.py into a temporary cloud assembly, or the one in
$BENCH_CDK_OUT): the API function's zip and its layer, unpacked as Lambda unpacks them and
imported with Lambda's path (the function's folder first, then the layer's site-packages) by
a bare venv of this Python, which has no site-packages of its own. `PYTHONDONTWRITEBYTECODE`
is set, as Lambda's read-only folders would have it: each import reads the bytecode that
ships and compiles whatever has none, at every start.

Every import runs in a fresh interpreter (`python -c`), the two kinds alternating, after one
warm-up import of each (the page cache, not a bytecode cache: nothing is written).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import venv
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench.registry import Section
from bench.stats import median, ms, percentile
from infra.packaging import (
    ShippedFunction,
    bytecode_coverage,
    shipped_functions,
    unpack_as_lambda,
    unzipped_size,
)

ROOT = Path(__file__).resolve().parent.parent

BASELINE_IMPORTS = (
    "from chalice import Chalice, Blueprint; import boto3; "
    "from pynamodb.models import Model; from pydantic import BaseModel"
)
APP_IMPORTS = "import app"
# The goal (issue 14) is a median of 7 from one run.
ROUNDS = 7
IMPORTTIME_RUNS = 5
TOP_MODULES = 10
GOAL_RATIO = 1.3
OWN_PACKAGES = frozenset({"chalicelib"})
# infra/stack.py's API_FUNCTION (not imported: that would start the CDK's Node runtime).
API_FUNCTION = "APIHandler"
STACK_TEMPLATE = "massar-prod.template.json"
SYNTH_TIMEOUT_SECONDS = 900

# Wall time and the child's CPU time around the import: other processes on a shared
# machine stretch the first (it waits for them) much more than the second.
_TIMED = (
    "import time\n_wall, _cpu = time.perf_counter(), time.process_time()\n{imports}\n"
    "print(time.perf_counter() - _wall, time.process_time() - _cpu)\n"
)


@dataclass(frozen=True)
class Runtime:
    """An interpreter with the import path Lambda would give it."""

    python: Path
    cwd: Path
    env: dict[str, str]


def synthesize(outdir: Path) -> None:
    """The cloud assembly, as `make synth` writes it (bytecode compiled in)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CDK_")}
    env.update(CDK_OUTDIR=str(outdir), JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION="1")
    done = subprocess.run(
        [sys.executable, str(ROOT / "infra" / "app.py")],
        cwd=ROOT / "infra",
        env=env,
        capture_output=True,
        text=True,
        timeout=SYNTH_TIMEOUT_SECONDS,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"synthesis failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")


def api_function(outdir: Path) -> ShippedFunction:
    template = json.loads((outdir / STACK_TEMPLATE).read_text(encoding="utf-8"))
    (function,) = shipped_functions(outdir, template, [API_FUNCTION])
    return function


def lambda_runtime(function: ShippedFunction, workdir: Path, *, bytecode: bool = True) -> Runtime:
    """`function` unpacked under `workdir`, run by a bare venv; without `bytecode`, every
    `__pycache__` removed (what shipped before issue 14: compiled at every start)."""
    task, path = unpack_as_lambda(function, workdir)
    if not bytecode:
        for cache in [*task.rglob("__pycache__"), *workdir.joinpath("opt").rglob("__pycache__")]:
            shutil.rmtree(cache)
    interpreter = workdir / "venv"
    if not interpreter.exists():
        venv.EnvBuilder(with_pip=False).create(interpreter)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "PYTHONPATH": os.pathsep.join(str(p) for p in [task, *path]),
        "PYTHONDONTWRITEBYTECODE": "1",
        "AWS_DEFAULT_REGION": "eu-west-3",
    }
    return Runtime(interpreter / "bin" / "python", task, env)


def _python(runtime: Runtime, args: list[str]) -> subprocess.CompletedProcess[str]:
    answer = subprocess.run(
        [str(runtime.python), *args],
        cwd=runtime.cwd,
        env=runtime.env,
        capture_output=True,
        text=True,
        check=False,
    )
    if answer.returncode != 0:
        raise RuntimeError(
            f"`python {' '.join(args)}` exited {answer.returncode}:\n{answer.stderr.strip()}"
        )
    return answer


@dataclass(frozen=True)
class Timing:
    imports: float  # wall time measured inside the child around the import statement
    cpu: float  # the child's CPU time (user + system) over the same statement
    process: float  # the child's whole life seen from here: interpreter start, import, exit


def time_import(imports: str, runtime: Runtime) -> Timing:
    started = time.perf_counter()
    answer = _python(runtime, ["-c", _TIMED.format(imports=imports)])
    process = time.perf_counter() - started
    wall, cpu = answer.stdout.strip().splitlines()[-1].split()
    return Timing(float(wall), float(cpu), process)


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


def module_costs(runtime: Runtime) -> tuple[list[ModuleCost], int, float]:
    """Modules `import app` adds over the baseline: per-module medians over a few runs, how
    many modules the baseline lacks, and the median sum of their self times."""
    baseline_run = _python(runtime, ["-X", "importtime", "-c", BASELINE_IMPORTS])
    baseline = frozenset(n.name for n in walk(parse_importtime(baseline_run.stderr)))
    samples: dict[str, list[tuple[int, int, int]]] = {}
    extra_counts: list[int] = []
    extra_totals: list[int] = []
    for _ in range(IMPORTTIME_RUNS):
        tree = parse_importtime(_python(runtime, ["-X", "importtime", "-c", APP_IMPORTS]).stderr)
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


def alternate(runtime: Runtime, rounds: int) -> tuple[list[Timing], list[Timing]]:
    """Baseline and app imports, alternating (which goes first alternates too)."""
    time_import(BASELINE_IMPORTS, runtime)  # warm-up (page cache), not measured
    time_import(APP_IMPORTS, runtime)
    baseline: list[Timing] = []
    app: list[Timing] = []
    for round_number in range(rounds):
        order = [(BASELINE_IMPORTS, baseline), (APP_IMPORTS, app)]
        if round_number % 2:
            order.reverse()
        for imports, timings in order:
            timings.append(time_import(imports, runtime))
    return baseline, app


@dataclass(frozen=True)
class PackageFacts:
    label: str
    zipped: int
    unzipped: int
    sources: int
    compiled: int


def package_facts(function: ShippedFunction) -> list[PackageFacts]:
    facts = []
    for label, path in [("function code", function.code), *(("layer", p) for p in function.layers)]:
        with zipfile.ZipFile(path) as archive:
            coverage = bytecode_coverage(archive)
            facts.append(
                PackageFacts(
                    label,
                    path.stat().st_size,
                    unzipped_size(archive),
                    coverage.sources,
                    coverage.compiled,
                )
            )
    return facts


def _mb(size: int) -> str:
    return f"{size / 2**20:.1f} MiB"


def _timing_rows(sides: list[tuple[str, list[Timing]]]) -> list[str]:
    rows = [
        "| import | CPU, median | wall, median | wall, p90 | whole process, median |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, timings in sides:
        values = [t.imports for t in timings]
        rows.append(
            f"| {label} | {ms(median([t.cpu for t in timings]))} | {ms(median(values))} "
            f"| {ms(percentile(values, 0.9))} | {ms(median([t.process for t in timings]))} |"
        )
    return rows


def ratio_of_medians(app: list[Timing], baseline: list[Timing], *, cpu: bool = True) -> float:
    if cpu:
        return median([t.cpu for t in app]) / median([t.cpu for t in baseline])
    return median([t.imports for t in app]) / median([t.imports for t in baseline])


def run() -> Section:
    with tempfile.TemporaryDirectory(prefix="bench-cold-start-") as work:
        workdir = Path(work)
        given = os.environ.get("BENCH_CDK_OUT")
        outdir = Path(given) if given else workdir / "cdk.out"
        if not given:
            synthesize(outdir)
        function = api_function(outdir)
        facts = package_facts(function)
        shipped = lambda_runtime(function, workdir / "shipped")
        baseline, app = alternate(shipped, ROUNDS)
        costs, extra_count, extra_total = module_costs(shipped)
        # The same packages without their bytecode: what every cold start paid before.
        uncompiled = lambda_runtime(function, workdir / "uncompiled", bytecode=False)
        bare_baseline, bare_app = alternate(uncompiled, ROUNDS)

    ratio = ratio_of_medians(app, baseline)
    wall_ratio = ratio_of_medians(app, baseline, cpu=False)
    # Met only when both are: CPU time is the steadier figure here, wall time what a
    # caller waits for.
    verdict = "**met**" if max(ratio, wall_ratio) <= GOAL_RATIO else "**not met**"
    rows = _timing_rows(
        [
            (f"framework baseline: `{BASELINE_IMPORTS}`", baseline),
            (f"`{APP_IMPORTS}` (app.py and chalicelib)", app),
        ]
    )
    bare_rows = _timing_rows(
        [
            ("framework baseline, no `.pyc`", bare_baseline),
            (f"`{APP_IMPORTS}`, no `.pyc`", bare_app),
        ]
    )
    bytecode_gain = median([t.cpu for t in bare_app]) / median([t.cpu for t in app])
    sizes = [
        "| package | zipped | unzipped | `.py` | with `.pyc` |",
        "|---|---:|---:|---:|---:|",
        *(
            f"| {f.label} | {_mb(f.zipped)} | {_mb(f.unzipped)} | {f.sources} "
            f"| {f.compiled} ({f.compiled / max(f.sources, 1):.0%}) |"
            for f in facts
        ),
    ]
    top = [
        "| # | module | added | cumulative | self |",
        "|---:|---|---:|---:|---:|",
    ]
    for index, cost in enumerate(costs[:TOP_MODULES], start=1):
        top.append(
            f"| {index} | `{cost.name}` | {_us(cost.added_us)} | {_us(cost.cumulative_us)} "
            f"| {_us(cost.self_us)} |"
        )
    source = f"`$BENCH_CDK_OUT` ({given})" if given else "a synthesis made for this run"
    # Stated here too: `python -m bench cold_start` alone prints this section without the
    # document's machine table and run date.
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    body = f"""
Measured {when} in exactly what the API function ships, from {source}:
its zip and its layer unpacked as Lambda unpacks them, imported with Lambda's path (function
folder, then the layer's site-packages) by a bare venv of this Python,
`PYTHONDONTWRITEBYTECODE=1` as Lambda's read-only folders would have it. Each import is timed
with `time.perf_counter()` around the import statement, and its CPU time with
`time.process_time()`, inside a fresh `python -c` subprocess, the two kinds alternating,
{ROUNDS} rounds each after one warm-up of each. The goal holds when both ratios meet it: on
this shared machine other processes stretch wall times (see p90) far more than CPU times.
"Whole process" is the subprocess's wall time seen from the parent (interpreter start-up +
import + exit).

{chr(10).join(sizes)}

{chr(10).join(rows)}

Ratio of medians of {ROUNDS} (app / baseline): CPU time **{ratio:.2f}**, wall time
**{wall_ratio:.2f}**; goal ≤ {GOAL_RATIO} for both: {verdict}.

The same packages with every `__pycache__` removed (what shipped before: Lambda compiles
every module at every cold start, its folders being read-only) — `import app` takes
**{bytecode_gain:.1f}×** as long as with the shipped bytecode:

{chr(10).join(bare_rows)}

### What our code adds, top {TOP_MODULES}

From `python -X importtime -c "{APP_IMPORTS}"` in the shipped packages, median of
{IMPORTTIME_RUNS} runs. Only `chalicelib.*` and third-party modules that the baseline does
not import. *Added* is the module's cumulative time minus what is spent in modules the
baseline imports anyway (what making this import lazy could save); *cumulative* and *self*
are importtime's own figures. Nested modules are counted in their parent too.

{chr(10).join(top)}

In all, `import app` loads {extra_count} modules the baseline does not (stdlib included);
their self times add up to {_us(extra_total)} (median).
"""
    # A missed goal is a result, not a failure: only errors make the run exit non-zero.
    return Section("Cold start: importing app.py", body)
