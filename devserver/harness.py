"""The local system as a whole, for the tests and the benchmarks: `python -m devserver` (what
`make run` runs) as a real process on a free port, a small HTTP client for it, and Debian's
Chromium as Playwright launches it (Playwright never downloads a browser here)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium keeps dialling Google on a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def launch_chromium(playwright: Any) -> Any:
    """Headless Debian Chromium through Playwright (`playwright.sync_api`)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Http:
    def __init__(self, base: str) -> None:
        self.base = base

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], Any]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                raw = answer.read()
                return answer.status, dict(answer.headers), _json(raw)
        except urllib.error.HTTPError as error:
            raw = error.read()
            return error.code, dict(error.headers), _json(raw)

    def token(self, username: str, password: str) -> str:
        status, _, body = self.call(
            "POST", "/v1/auth/login", {"username": username, "password": password}
        )
        assert status == 200, body
        return str(body["access_token"])

    def outbox(self) -> list[dict[str, Any]]:
        messages: list[dict[str, Any]] = self.call("GET", "/dev/outbox")[2]["messages"]
        return messages

    def wait_for_message(self, to: str, contains: str = "", timeout: float = 20) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in reversed(self.outbox()):
                if message["to"] == to and contains in message["body"]:
                    return dict(message)
            time.sleep(0.2)
        raise AssertionError(f"no message to {to} containing {contains!r}")


def _json(raw: bytes) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode(errors="replace")


@contextmanager
def running_devserver(
    extra_env: dict[str, str] | None = None,
) -> Iterator[tuple[Http, subprocess.Popen[str]]]:
    port = free_port()
    env = {**os.environ, "PORT": str(port), **(extra_env or {})}
    env.pop("AWS_ENDPOINT_URL", None)
    env.pop("MEDIA_UPLOAD_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "devserver"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    http = Http(f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 90
    while True:
        try:
            if http.call("GET", "/v1/health")[0] == 200:
                break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise AssertionError(
                f"devserver did not start: {process.stdout.read() if process.stdout else ''}"
            )
        time.sleep(0.2)
    try:
        yield http, process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
