"""`make run`: the whole system on one machine.

    PORT=8000 python -m devserver

moto runs in this process unless AWS_ENDPOINT_URL points at another emulator.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from contextlib import ExitStack
from types import FrameType

from devserver.stage import apply_stage_environment

DEFAULT_OPS_USERNAME = "ops.admin"
DEFAULT_OPS_PASSWORD = "Massar-dev-2026!"
PUMP_INTERVAL_SECONDS = 0.2


def main() -> int:
    external = bool(os.environ.get("AWS_ENDPOINT_URL"))
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "8000"))
    # Browsers cannot reach in-process moto's S3: the devserver takes uploads, gives files.
    os.environ.setdefault("MEDIA_UPLOAD_URL", f"http://{host}:{port}/dev/uploads")
    os.environ.setdefault("MEDIA_DOWNLOAD_URL", f"http://{host}:{port}/dev/files")
    apply_stage_environment(
        "dev", fake_credentials=not external or "AWS_ACCESS_KEY_ID" not in os.environ
    )
    username = os.environ.get("MASSAR_BOOTSTRAP_USERNAME", DEFAULT_OPS_USERNAME)
    password = os.environ.get("MASSAR_BOOTSTRAP_PASSWORD", DEFAULT_OPS_PASSWORD)

    with ExitStack() as stack:
        if not external:
            from moto import mock_aws

            stack.enter_context(mock_aws())
        from chalice.local import LocalChalice

        from app import app
        from chalicelib.accounts.sign_in.service import bootstrap_ops_account
        from devserver.pump import EventPump
        from devserver.resources import create_local_resources
        from devserver.server import make_server

        app.__class__ = LocalChalice  # thread-local current_request, as `chalice local` does
        create_local_resources()
        created = bootstrap_ops_account(username, password)
        demo = []
        if os.environ.get("MASSAR_DEMO", "1") != "0":
            from datetime import datetime
            from zoneinfo import ZoneInfo

            from devserver.demo import load_demo_data

            demo = load_demo_data(datetime.now(ZoneInfo("Africa/Casablanca")).date())
        server = make_server(app, host, port)
        # Delivery status as SES/SNS report it, played from what in-process moto received:
        # an outside emulator keeps what it sent to itself (see devserver.outbox).
        pump = EventPump(app, feedback=not external)
        stop = threading.Event()

        def pump_forever() -> None:
            while not stop.is_set():
                try:
                    if pump.pump_once() == 0:
                        stop.wait(PUMP_INTERVAL_SECONDS)
                except Exception as error:  # keep pumping: a handler bug must not stop the run
                    print(f"event pump: {type(error).__name__}: {error}", file=sys.stderr)
                    stop.wait(1)

        def shut_down(signum: int, frame: FrameType | None) -> None:
            stop.set()
            threading.Thread(target=server.shutdown, daemon=True).start()

        signal.signal(signal.SIGINT, shut_down)
        signal.signal(signal.SIGTERM, shut_down)
        pump_thread = threading.Thread(target=pump_forever, name="event-pump", daemon=True)
        pump_thread.start()
        where = os.environ.get("AWS_ENDPOINT_URL") or "moto, in process"
        print(f"Massar devserver on http://{host}:{port}  (AWS: {where})", flush=True)
        print(f"web client: http://{host}:{port}/   API: http://{host}:{port}/v1/", flush=True)
        shown = password if password == DEFAULT_OPS_PASSWORD else "(MASSAR_BOOTSTRAP_PASSWORD)"
        state = "created" if created else "already there"
        print(f"ops account: {username} / {shown} ({state})", flush=True)
        for account in demo:
            kind = "password" if account.active else "initial code"
            print(
                f"demo {account.what}: {account.username} / {account.secret} ({kind})", flush=True
            )
        if external:
            from devserver.outbox import OFF_NOTE

            print(f"{OFF_NOTE}   stop: Ctrl-C", flush=True)
        else:
            print("sent email/SMS: GET /dev/outbox   stop: Ctrl-C", flush=True)
        server.serve_forever(poll_interval=0.2)
        stop.set()
        pump_thread.join(timeout=5)
        server.server_close()
        time.sleep(0)
    print("devserver stopped", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
