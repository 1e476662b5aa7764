"""What the numbers were measured on, read from /proc and the interpreter."""

from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _first_value(path: str, key: str) -> str | None:
    try:
        lines = Path(path).read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        name, sep, value = line.partition(":")
        if sep and name.strip() == key:
            return value.strip()
    return None


def cpu_model() -> str:
    return _first_value("/proc/cpuinfo", "model name") or platform.processor() or "unknown"


def cores() -> str:
    logical = os.cpu_count() or 0
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else logical
    physical = _first_value("/proc/cpuinfo", "cpu cores")
    text = f"{logical} logical"
    if physical:
        text += f" ({physical} physical per socket)"
    if usable != logical:
        text += f", {usable} usable by this process"
    return text


def ram() -> str:
    total = _first_value("/proc/meminfo", "MemTotal")
    if not total:
        return "unknown"
    kib = int(total.split()[0])
    return f"{kib / 1024 / 1024:.1f} GiB"


def operating_system() -> str:
    pretty = None
    for line in _read_lines("/etc/os-release"):
        if line.startswith("PRETTY_NAME="):
            pretty = line.split("=", 1)[1].strip().strip('"')
    kernel = f"{platform.system()} {platform.release()} ({platform.machine()})"
    return f"{pretty}, {kernel}" if pretty else kernel


def _read_lines(path: str) -> list[str]:
    try:
        return Path(path).read_text().splitlines()
    except OSError:
        return []


def python_version() -> str:
    return f"{platform.python_implementation()} {platform.python_version()}"


def git_revision() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head} (with uncommitted changes)" if dirty else head


def describe() -> list[tuple[str, str]]:
    return [
        ("CPU", cpu_model()),
        ("Cores", cores()),
        ("RAM", ram()),
        ("Python", python_version()),
        ("OS", operating_system()),
        ("Commit", git_revision()),
    ]
