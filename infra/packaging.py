"""What the Lambda ships: bytecode compiled into the code packages, and the checks on them.

Lambda unpacks a function's zip in /var/task and its layers in /opt, both read-only: a
package without `.pyc` files is compiled again at every cold start (2.9–3.8× the import time).
`compile_package` compiles every `.py` of a zip chalice wrote, with the Lambda's
Python version, as *unchecked-hash* `.pyc` (valid whatever the files' timestamps, which zips
do not keep faithfully), and rewrites the zip byte for byte the same for the same input (so
the CDK asset, hashed on its content, changes only when the code does).

The rest reads what a synthesis shipped (`shipped_packages`) and what the Lambda could not
run: wheels built on this machine (`incompatible_distributions`), missing bytecode
(`bytecode_coverage`), sizes (`unzipped_size`). This module imports nothing from the CDK, so
the tests and the benchmarks can use it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# The Lambda runtime chalice packages for (`python3.11`: the version packaging runs under)
# and the Linux it runs on: Amazon Linux 2, glibc 2.26, x86_64.
LAMBDA_PYTHON = (3, 11)
LAMBDA_RUNTIME = f"python{LAMBDA_PYTHON[0]}.{LAMBDA_PYTHON[1]}"
LAMBDA_GLIBC = (2, 26)
LAMBDA_MACHINE = "x86_64"
# Where Lambda unpacks the function's zip and its layers: compiled into the `.pyc` files as
# their file names, so tracebacks name the files as they are on the Lambda.
FUNCTION_ROOT = "/var/task"
LAYER_ROOT = "/opt"
# The layer's site-packages inside its zip (and under /opt).
LAYER_SITE_PACKAGES = f"python/lib/{LAMBDA_RUNTIME}/site-packages"
# AWS Lambda quotas: a zip as uploaded, and a function's code with all its layers unpacked.
MAX_ZIPPED_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED_BYTES = 250 * 1024 * 1024
MIN_BYTECODE_SHARE = 0.9
# botocore ships the API model of every AWS service (~420 of them, a third of the layer
# zipped, which then went over the 50 MiB quota): the layer keeps those of the services the
# app calls (chalicelib.core.aws_clients.client(...), PynamoDB's dynamodb) and STS. A service
# missing here fails with UnknownServiceError: tests/test_packaging.py checks that every
# client the code names is kept, and creates each one from the shipped layer.
BOTOCORE_SERVICES = frozenset(
    {"dynamodb", "dynamodbstreams", "s3", "secretsmanager", "sesv2", "sns", "sqs", "sts"}
)
BOTOCORE_DATA = f"{LAYER_SITE_PACKAGES}/botocore/data"

# Chalice writes its zips with this date (the zip format's earliest): kept, so that the same
# files always make the same zip.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
# Compiled layers are kept here, keyed on the zip chalice wrote: the layer only changes with
# requirements.txt, and compiling its ~2,300 files takes ~10 s on two cores.
CACHE_PREFIX = "compiled-"
CACHE_KEEP_SECONDS = 7 * 24 * 3600
# Part of the cache key: bump when compile_package's output changes for the same input.
COMPILER_VERSION = "1"

_LEGACY_MANYLINUX = {"manylinux1": (2, 5), "manylinux2010": (2, 12), "manylinux2014": (2, 17)}
_PERENNIAL = re.compile(r"manylinux_(\d+)_(\d+)_(\w+)")


class PackagingError(RuntimeError):
    """What the Lambda would not run: the synthesis stops with it."""


# ---------------------------------------------------------------------------------------
# Bytecode
# ---------------------------------------------------------------------------------------
def check_interpreter(runtime: str = LAMBDA_RUNTIME) -> None:
    """`.pyc` files only load in the Python version that wrote them."""
    here = f"python{sys.version_info[0]}.{sys.version_info[1]}"
    if here != runtime:
        raise PackagingError(
            f"packaging runs under {here} but the Lambda runs {runtime}: its bytecode would "
            f"be ignored; synthesize with {runtime}"
        )


def compile_package(
    zip_path: Path,
    runtime_root: str,
    cache_dir: Path | None = None,
    botocore_services: frozenset[str] | None = None,
) -> None:
    """Rewrite `zip_path` with a `.pyc` beside every `.py` (in `__pycache__/`, as the import
    system looks for them), compiled as they will be found under `runtime_root`; with
    `botocore_services`, botocore's models of the other services left out."""
    check_interpreter()
    pruned = ",".join(sorted(botocore_services)) if botocore_services is not None else "-"
    key = _cache_key(zip_path, f"{runtime_root}|{pruned}")
    cached = cache_dir / f"{CACHE_PREFIX}{key}.zip" if cache_dir else None
    if cached is not None and cached.is_file():
        shutil.copyfile(cached, zip_path)
        os.utime(cached)  # still in use: not pruned
        return
    with tempfile.TemporaryDirectory(dir=zip_path.parent, prefix="compile-") as work:
        tree = Path(work) / "tree"
        with zipfile.ZipFile(zip_path) as archive:
            archive.extractall(tree)
            modes = {i.filename: i.external_attr >> 16 for i in archive.infolist()}
        for stale in tree.rglob("__pycache__"):
            shutil.rmtree(stale)  # never ship bytecode another interpreter wrote
        if botocore_services is not None:
            keep_botocore_services(tree, botocore_services)
        _compileall(tree, runtime_root)
        rewritten = Path(work) / "package.zip"
        write_zip(tree, rewritten, modes)
        if cached is not None:
            cached.parent.mkdir(parents=True, exist_ok=True)
            staged = cached.with_suffix(f".{os.getpid()}.tmp")
            shutil.copyfile(rewritten, staged)
            staged.replace(cached)  # atomic: a concurrent synthesis reads all or nothing
            _prune(cached.parent, keep=cached)
        rewritten.replace(zip_path)


def keep_botocore_services(tree: Path, services: frozenset[str]) -> None:
    """Remove botocore's models of every service but `services` (its shared files stay)."""
    data = tree / BOTOCORE_DATA
    if not data.is_dir():
        return
    for entry in data.iterdir():
        if entry.is_dir() and entry.name not in services:
            shutil.rmtree(entry)


def _cache_key(zip_path: Path, runtime_root: str) -> str:
    digest = hashlib.sha256()
    with zip_path.open("rb") as source:
        for chunk in iter(lambda: source.read(1 << 20), b""):
            digest.update(chunk)
    digest.update(f"|{runtime_root}|{sys.version}|{COMPILER_VERSION}".encode())
    return digest.hexdigest()[:32]


def _compileall(tree: Path, runtime_root: str) -> None:
    # A subprocess so PYTHONHASHSEED can be fixed: set and frozenset constants are marshalled
    # in iteration order, which string hashing randomises (reproducible .pyc files need it).
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    done = subprocess.run(  # noqa: S603 - this interpreter's own compileall
        [
            sys.executable,
            "-m",
            "compileall",
            "-q",
            "-j",
            "0",
            "--invalidation-mode",
            "unchecked-hash",
            "-s",
            str(tree),
            "-p",
            runtime_root,
            str(tree),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    # compileall exits 1 when a file does not compile (a Python 2 example a distribution
    # ships, say): the import system never compiles it either. Only the share matters,
    # which the packaging test checks; anything else is an error.
    if done.returncode not in (0, 1):
        raise PackagingError(f"compileall failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")


def write_zip(tree: Path, destination: Path, modes: Mapping[str, int] | None = None) -> None:
    """Every file under `tree`, sorted, with a fixed date: the same files, the same bytes."""
    modes = modes or {}
    files = sorted(p for p in tree.rglob("*") if p.is_file())
    with zipfile.ZipFile(destination, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in files:
            name = path.relative_to(tree).as_posix()
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (modes.get(name) or 0o100644) << 16
            archive.writestr(info, path.read_bytes(), compresslevel=9)


def _prune(cache_dir: Path, keep: Path) -> None:
    limit = time.time() - CACHE_KEEP_SECONDS
    for old in cache_dir.glob(f"{CACHE_PREFIX}*.zip"):
        if old != keep and old.stat().st_mtime < limit:
            old.unlink(missing_ok=True)


@dataclass(frozen=True)
class BytecodeCoverage:
    sources: int
    compiled: int

    @property
    def share(self) -> float:
        return self.compiled / self.sources if self.sources else 1.0


def bytecode_coverage(archive: zipfile.ZipFile) -> BytecodeCoverage:
    """How many `.py` files have their `__pycache__/<name>.cpython-3XY.pyc`."""
    names = set(archive.namelist())
    cache_tag = f"cpython-{LAMBDA_PYTHON[0]}{LAMBDA_PYTHON[1]}"
    sources = [n for n in names if n.endswith(".py")]
    compiled = 0
    for source in sources:
        folder, _, file = source.rpartition("/")
        pyc = f"{folder + '/' if folder else ''}__pycache__/{file[:-3]}.{cache_tag}.pyc"
        compiled += pyc in names
    return BytecodeCoverage(len(sources), compiled)


# ---------------------------------------------------------------------------------------
# Wheels
# ---------------------------------------------------------------------------------------
def wheel_tags(archive: zipfile.ZipFile) -> dict[str, list[str]]:
    """Distribution (`name-version`) → the tags of the wheel it was installed from."""
    found: dict[str, list[str]] = {}
    for name in archive.namelist():
        if name.endswith(".dist-info/WHEEL"):
            dist = name.rsplit("/", 2)[-2].removesuffix(".dist-info")
            text = archive.read(name).decode("utf-8", "replace")
            found[dist] = [
                line.split(":", 1)[1].strip()
                for line in text.splitlines()
                if line.startswith("Tag:")
            ]
    return found


def is_lambda_compatible(tag: str) -> bool:
    """A wheel tag (`interpreter-abi-platform`) the Lambda's Python and Linux can load."""
    parts = tag.split("-")
    if len(parts) != 3:
        return False
    interpreters, abis, platforms = (p.split(".") for p in parts)
    return (
        any(_interpreter_ok(i) for i in interpreters)
        and any(_abi_ok(a) for a in abis)
        and any(_platform_ok(p) for p in platforms)
    )


def _interpreter_ok(interpreter: str) -> bool:
    major, minor = LAMBDA_PYTHON
    if interpreter in (f"py{major}", f"py{major}{minor}", f"cp{major}{minor}"):
        return True
    # abi3 wheels built for an older CPython 3 (cp310-abi3) load in later ones.
    match = re.fullmatch(r"cp(\d)(\d+)", interpreter)
    return bool(match) and int(match[1]) == major and int(match[2]) <= minor  # type: ignore[index]


def _abi_ok(abi: str) -> bool:
    return abi in ("none", "abi3", f"cp{LAMBDA_PYTHON[0]}{LAMBDA_PYTHON[1]}")


def _platform_ok(platform: str) -> bool:
    if platform == "any":
        return True
    legacy, _, machine = platform.partition("_")
    if legacy in _LEGACY_MANYLINUX:
        return machine == LAMBDA_MACHINE and _LEGACY_MANYLINUX[legacy] <= LAMBDA_GLIBC
    match = _PERENNIAL.fullmatch(platform)
    if match is None:
        return False  # linux_x86_64 (built here, against this machine's libraries), macOS…
    glibc = (int(match[1]), int(match[2]))
    return match[3] == LAMBDA_MACHINE and glibc <= LAMBDA_GLIBC


def incompatible_distributions(archive: zipfile.ZipFile) -> dict[str, list[str]]:
    """Distributions none of whose wheel tags the Lambda can load (or with no tag at all)."""
    return {
        dist: tags
        for dist, tags in wheel_tags(archive).items()
        if not any(is_lambda_compatible(tag) for tag in tags)
    }


def check_layer(zip_path: Path) -> None:
    with zipfile.ZipFile(zip_path) as archive:
        bad = incompatible_distributions(archive)
    if bad:
        listed = "; ".join(f"{d} ({', '.join(t) or 'no tag'})" for d, t in sorted(bad.items()))
        raise PackagingError(
            f"no wheel for the Lambda's Linux ({LAMBDA_RUNTIME}, manylinux <= "
            f"{LAMBDA_GLIBC[0]}_{LAMBDA_GLIBC[1]}, {LAMBDA_MACHINE}): {listed}. Pin a release "
            "that has one in requirements.txt"
        )


def unzipped_size(archive: zipfile.ZipFile) -> int:
    return sum(info.file_size for info in archive.infolist())


# ---------------------------------------------------------------------------------------
# What a synthesis shipped
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ShippedFunction:
    logical_id: str
    code: Path  # the function's zip in the cloud assembly
    layers: tuple[Path, ...]  # its layers' zips, in order


def shipped_functions(
    outdir: Path, template: Mapping[str, Any], function_ids: Iterable[str]
) -> list[ShippedFunction]:
    """The zips in the cloud assembly `outdir` that the functions `function_ids` of
    `template` run (their code, and their layers as the template lists them)."""
    resources: Mapping[str, Any] = template["Resources"]
    found: list[ShippedFunction] = []
    for logical in function_ids:
        properties = resources[logical].get("Properties", {})
        code = properties.get("CodeUri") or properties.get("Code")
        layers = tuple(
            _asset_file(outdir, _layer_key(resources, layer))
            for layer in properties.get("Layers", [])
        )
        found.append(ShippedFunction(logical, _asset_file(outdir, _s3_key(code)), layers))
    return found


def _s3_key(location: Any) -> str:
    if isinstance(location, Mapping):
        key = location.get("Key") or location.get("S3Key")
        if isinstance(key, str):
            return key
    raise PackagingError(f"not an asset location: {json.dumps(location)[:200]}")


def _layer_key(resources: Mapping[str, Any], layer: Any) -> str:
    if isinstance(layer, Mapping) and "Ref" in layer:
        properties = resources[layer["Ref"]].get("Properties", {})
        return _s3_key(properties.get("ContentUri") or properties.get("Content"))
    raise PackagingError(f"a layer that is not this stack's: {json.dumps(layer)[:200]}")


def _asset_file(outdir: Path, key: str) -> Path:
    """CDK stages a file asset as `asset.<hash><ext>` and uploads it as `<hash><ext>`."""
    path = outdir / f"asset.{key}"
    if not path.is_file():
        raise PackagingError(f"{key} is not staged in {outdir}")
    return path


def unpack_as_lambda(function: ShippedFunction, destination: Path) -> tuple[Path, list[Path]]:
    """Unpack a function as Lambda does: its code in `task/`, its layers in `opt/`. Returns
    the code folder and the import path Lambda puts after it (the layers' site-packages)."""
    task = destination / "task"
    opt = destination / "opt"
    with zipfile.ZipFile(function.code) as archive:
        archive.extractall(task)
    for layer in function.layers:
        with zipfile.ZipFile(layer) as archive:
            archive.extractall(opt)
    return task, [opt / LAYER_SITE_PACKAGES, opt / "python"]
