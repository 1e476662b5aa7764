"""A fresh clone's first `make run` (issue 14, finding 7): what it installs, how long until
`/v1/health` answers, whether it says what it is doing; then what `make test`'s level adds
to the same venv.

The clone is of this repository's last commit (`git clone`), in a temporary folder; its
`make run` runs on a free port and is stopped with Ctrl-C (SIGINT) once healthy. pip's own
cache is left as it is (a machine that already downloaded the wheels installs faster: the
time is a floor, the sizes are not).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.registry import Section

ROOT = Path(__file__).resolve().parent.parent
HEALTH_TIMEOUT_SECONDS = 900
STOP_TIMEOUT_SECONDS = 30
# The toolchain level's stamp (what `make test` and the others depend on): builds it alone,
# without running checks that could fail for reasons of their own.
DEV_LEVEL_TARGET = ".venv/.installed-dev"
# make echoes each command before running it: this one starts once the venv is installed.
DEVSERVER_COMMAND = "python -m devserver"
# What issue 14 measured before the levels were split.
BEFORE = "94 packages, a 1.2 GB `.venv`, 103 s before `/v1/health` answered, pip silent (`-q`)"


@dataclass(frozen=True)
class VenvFacts:
    bytes: int
    distributions: int


def venv_facts(venv: Path) -> VenvFacts:
    size = 0
    for folder, _, files in os.walk(venv):
        for name in files:
            path = Path(folder) / name
            if not path.is_symlink():
                size += path.stat().st_size
    distributions = len(list(venv.glob("lib/python*/site-packages/*.dist-info")))
    return VenvFacts(size, distributions)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/health", timeout=2) as answer:
            return bool(answer.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def _clean_env() -> dict[str, str]:
    """This environment without what points at this checkout's venv."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    venv_bin = str(ROOT / ".venv" / "bin")
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p != venv_bin)
    return env


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Ctrl-C to make's process group (the devserver stops on SIGINT), then harder."""
    for sent in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sent)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=STOP_TIMEOUT_SECONDS)
            return
        except subprocess.TimeoutExpired:
            continue


def _progress_lines(log: str) -> int:
    starts = ("Collecting ", "Downloading ", "Using cached ", "Installing collected", "make: ")
    return sum(line.lstrip().startswith(starts) for line in log.splitlines())


def run() -> Section:
    with tempfile.TemporaryDirectory(prefix="bench-first-run-") as work:
        clone = Path(work) / "clone"
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
        env = _clean_env()
        port = _free_port()
        log_path = Path(work) / "make-run.log"
        started = time.perf_counter()
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                ["make", "run", f"PORT={port}"],
                cwd=clone,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, stopped as one
            )
            installed: float | None = None
            try:
                while not _healthy(port):
                    if installed is None and DEVSERVER_COMMAND in log_path.read_text(
                        errors="replace"
                    ):
                        installed = time.perf_counter() - started
                    if process.poll() is not None:
                        raise RuntimeError(
                            f"make run exited {process.returncode}:\n"
                            + log_path.read_text(errors="replace")[-3000:]
                        )
                    if time.perf_counter() - started > HEALTH_TIMEOUT_SECONDS:
                        raise RuntimeError("make run: /v1/health never answered")
                    time.sleep(0.5)
                to_health = time.perf_counter() - started
            finally:
                _stop(process)
        run_log = log_path.read_text(errors="replace")
        run_level = venv_facts(clone / ".venv")

        started = time.perf_counter()
        done = subprocess.run(
            ["make", DEV_LEVEL_TARGET],
            cwd=clone,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        dev_seconds = time.perf_counter() - started
        if done.returncode != 0:
            raise RuntimeError(
                f"make {DEV_LEVEL_TARGET} exited {done.returncode}:\n" + done.stdout[-3000:]
            )
        dev_level = venv_facts(clone / ".venv")

    install_text = f"installed after {installed:.0f} s" if installed is not None else "?"
    load_1, _, _ = os.getloadavg()
    run_text = f"{installed:.0f} s" if installed is not None else "?"
    both_text = f"{installed + dev_seconds:.0f} s" if installed is not None else "?"
    rows = [
        "| | `make run` (requirements-run.txt) | then `make test`'s level (requirements-dev.txt) |",
        "|---|---:|---:|",
        f"| distributions in `.venv` | {run_level.distributions} | {dev_level.distributions} |",
        f"| `.venv` size | {run_level.bytes / 1e6:.0f} MB | {dev_level.bytes / 1e6:.0f} MB |",
        f"| time | {to_health:.0f} s to `/v1/health` ({install_text}) | {dev_seconds:.0f} s more |",
        f"| progress lines printed | {_progress_lines(run_log)} | {_progress_lines(done.stdout)} |",
    ]
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    body = f"""
Measured {when}. A `git clone` of the last commit into a temporary folder, then `make run`
there on a free port until `GET /v1/health` answers (then Ctrl-C), then
`make {DEV_LEVEL_TARGET}` (the stamp `make test` depends on) in the same clone, which
completes the venv with the toolchain. pip downloads what /opt/wheels lacks: the times move
with the network and with the machine's load (1-minute load average at the end:
{load_1:.1f} on {os.cpu_count()} cores); the sizes are what is installed (file sizes,
symlinks not counted). "Progress lines" counts pip's `Collecting`, `Downloading`, `Using
cached` and `Installing` lines and make's own announcements.

{chr(10).join(rows)}

Before the split, `make run` installed both levels before starting the server: in this run
that is {both_text} of installing, against {run_text} now. Issue 14 measured, before:
{BEFORE}.
"""
    return Section("First run from a fresh clone", body)
