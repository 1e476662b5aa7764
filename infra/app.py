"""CDK app: `cd infra && ../.venv/bin/python app.py` (what `make synth` runs) writes the
cloud assembly to infra/cdk.out/; `npx cdk synth|deploy -c stage=prod` does the same
through the CDK CLI (cdk.json).

Context: `stage` (default prod), `region` (default $CDK_DEFAULT_REGION, else eu-west-3),
`notify_concurrency` (default: the prod stage's NOTIFY_MAX_CONCURRENCY), `alarm_email`
(optional subscription to the alarm topic).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

INFRA = Path(__file__).resolve().parent
ROOT = INFRA.parent
# Chalice imports the Chalice app as the module `app`: the repository root must come first
# on the path, ahead of this directory (whose app.py is this file).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != INFRA]
sys.path.insert(0, str(ROOT))

import aws_cdk as cdk  # noqa: E402

from infra.stack import DEFAULT_NOTIFY_CONCURRENCY, MassarStack  # noqa: E402

DEFAULT_STAGE = "prod"
DEFAULT_REGION = "eu-west-3"


def _cdk_json_context() -> dict[str, Any]:
    """cdk.json's context, so `python app.py` synthesizes what the CDK CLI would."""
    path = INFRA / "cdk.json"
    if not path.exists():
        return {}
    context: dict[str, Any] = json.loads(path.read_text(encoding="utf-8")).get("context", {})
    return context


def _forget_old_packages(chalice_out: Path, older_than_seconds: float = 3600) -> None:
    """Working copies an interrupted synthesis left behind (a concurrent one is younger)."""
    if not chalice_out.is_dir():
        return
    limit = time.time() - older_than_seconds
    for entry in chalice_out.iterdir():
        if entry.stat().st_mtime < limit:
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)


def main() -> None:
    # The Chalice construct packages into ./chalice.out: keep it inside infra/.
    os.chdir(INFRA)
    _forget_old_packages(INFRA / "chalice.out")
    cli_outdir = os.environ.get("CDK_OUTDIR")
    outdir = Path(cli_outdir) if cli_outdir else INFRA / "cdk.out"
    if not cli_outdir:
        # Every synthesis stages a new deployment zip; keep only the latest.
        shutil.rmtree(outdir, ignore_errors=True)

    app = cdk.App(outdir=str(outdir), context=_cdk_json_context())
    stage = str(app.node.try_get_context("stage") or DEFAULT_STAGE)
    region = str(
        app.node.try_get_context("region") or os.environ.get("CDK_DEFAULT_REGION") or DEFAULT_REGION
    )
    # `chalice package` builds boto3 clients while packaging; they need a region.
    os.environ.setdefault("AWS_DEFAULT_REGION", region)
    alarm_email = app.node.try_get_context("alarm_email")
    stack = MassarStack(
        app,
        f"massar-{stage}",
        stage=stage,
        notify_concurrency=int(
            app.node.try_get_context("notify_concurrency") or DEFAULT_NOTIFY_CONCURRENCY
        ),
        alarm_email=str(alarm_email) if alarm_email else None,
        env=cdk.Environment(account=os.environ.get("CDK_DEFAULT_ACCOUNT"), region=region),
        description=f"Massar e-services ({stage})",
    )
    app.synth()
    # The deployment zip is now staged in the cloud assembly: drop chalice's working copy.
    package_dir = getattr(stack.chalice, "_sam_package_dir", None)
    if package_dir:
        shutil.rmtree(package_dir, ignore_errors=True)
        Path(f"{package_dir}.sam_with_assets.json").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
