"""What the stack reads from `.chalice/config.json`: the functions, their settings, and the
chalice stage configuration the `Chalice` construct packages with.

The functions are the entries of the top-level `lambda_functions` (each one's timeout and
memory): one declaration, the one chalice reads. A function the app declares without an
entry there stops the synthesis (`check_functions`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from chalice.utils import to_cfn_resource_name

ROOT = Path(__file__).resolve().parents[2]
CHALICE_CONFIG = ROOT / ".chalice" / "config.json"
# The stage of .chalice/config.json every deployed stack starts from (never "dev": it
# carries a signing key in clear).
CONFIG_STAGE = "prod"

# Chalice must be told a role to package with `manage_iam_role: false`; every function's
# `Role` is then overridden with the role the stack makes for it (api.py).
ROLE_PLACEHOLDER_ARN = "arn:aws:iam::000000000000:role/set-by-the-cdk-stack"
CONFIG_PLACEHOLDER = "set-by-the-cdk-stack"
# Environment variables whose values are CloudFormation references: they cannot go through
# chalice's packaging (it writes plain JSON), so they are set as overrides afterwards.
TOKEN_VARIABLES = ("NOTIFY_QUEUE_URL", "MEDIA_BUCKET", "JWT_SECRET_ARN", "SECRET_HASH_KEY_ARN")


def load_chalice_config() -> dict[str, Any]:
    config: dict[str, Any] = json.loads(CHALICE_CONFIG.read_text(encoding="utf-8"))
    return config


def stage_settings(config: Mapping[str, Any]) -> dict[str, Any]:
    """The `prod` stage of config.json."""
    settings: dict[str, Any] = config["stages"][CONFIG_STAGE]
    return settings


def stage_variable(config: Mapping[str, Any], name: str, default: str = "") -> str:
    return str(stage_settings(config).get("environment_variables", {}).get(name, default))


def api_stage(config: Mapping[str, Any]) -> str:
    """API Gateway's stage name (the path prefix of the execute-api URL)."""
    return str(stage_settings(config).get("api_gateway_stage", "api"))


# ---------------------------------------------------------------------------------------
# The functions
# ---------------------------------------------------------------------------------------
def function_logical_id(key: str) -> str:
    """The function's logical id in the SAM template `chalice package` writes."""
    return "APIHandler" if key == "api_handler" else to_cfn_resource_name(key)


# Logical id → the function's key in `lambda_functions` (its handler's name).
FUNCTIONS: dict[str, str] = {
    function_logical_id(key): key for key in load_chalice_config()["lambda_functions"]
}


def declared(key: str) -> str:
    """The logical id of a function the stack configures by name (it must be declared)."""
    logical = function_logical_id(key)
    if logical not in FUNCTIONS:
        raise ValueError(f"{key} is not in the lambda_functions of {CHALICE_CONFIG}")
    return logical


API_FUNCTION = declared("api_handler")
AUTHORIZER_FUNCTION = declared("jwt_authorizer")
RELAY_FUNCTION = declared("relay_outbox")
DELIVER_FUNCTION = declared("deliver_notifications")
# Notifications (issue 5): delivery feedback, and the account's SMS settings (a custom
# resource served by the app: CloudFormation has none for them).
FEEDBACK_FUNCTION = declared("notification_feedback")
SMS_SETTINGS_FUNCTION = declared("sms_account_settings")
# Accounts (issue 3): the job runner that issues initial codes and letters, one class at a
# time, from the jobs queue.
JOBS_FUNCTION = declared("run_jobs")
# Issue 14: the dashboard's counts, summed from the registrations stream in batches.
COUNTS_FUNCTION = declared("count_registrations")


def function_name(stage: str, logical: str) -> str:
    return f"massar-{stage}-{FUNCTIONS[logical].replace('_', '-')}"


def function_timeout(config: Mapping[str, Any], logical: str) -> int:
    functions = config.get("lambda_functions", {})
    key = FUNCTIONS[logical]
    return int(functions.get(key, {}).get("lambda_timeout") or config.get("lambda_timeout") or 60)


def check_functions(packaged: Iterable[str]) -> None:
    """Every function chalice packaged is declared (else it would keep the placeholder role)."""
    undeclared = sorted(set(packaged) - set(FUNCTIONS))
    if undeclared:
        raise ValueError(
            f"functions without an entry in the lambda_functions of {CHALICE_CONFIG}: "
            f"{', '.join(undeclared)}"
        )


# The prod stage's NOTIFY_MAX_CONCURRENCY: the deliver path splits each channel's rate
# between this many invocations (chalicelib/notifications/delivery.py), so the two agree.
DEFAULT_NOTIFY_CONCURRENCY = int(
    stage_variable(load_chalice_config(), "NOTIFY_MAX_CONCURRENCY", "10")
)


# ---------------------------------------------------------------------------------------
# Chalice stage configuration
# ---------------------------------------------------------------------------------------
# Never in a deployed stage's configuration: these come from Secrets Manager.
CLEAR_SECRETS = {
    "MASSAR_JWT_SECRET": "its signing keys",
    "MASSAR_SECRET_HASH_KEY": "its secret-hash key",
    "EDGE_SECRET": "the edge secret",
}


def chalice_stage_config(stage: str, region: str, table_names: Mapping[str, str]) -> dict[str, Any]:
    """The `prod` stage of .chalice/config.json as chalice "user parameters".

    The chalice stage the construct packages is named after the stack, so config.json's
    stages do not apply by themselves: the prod stage is handed over here, with its
    environment overridden by this stack's names. Per-function settings (timeouts, memory)
    stay in config.json's top-level `lambda_functions`, which chalice still reads.
    """
    source = dict(stage_settings(load_chalice_config()))
    if "lambda_functions" in source:
        raise ValueError(
            f"stages.{CONFIG_STAGE}.lambda_functions in .chalice/config.json would be ignored "
            "by the CDK stack: move those settings to the top-level lambda_functions"
        )
    environment = dict(source.pop("environment_variables", {}))
    for name, what in CLEAR_SECRETS.items():
        if name in environment:
            raise ValueError(f"a deployed stage reads {what} from Secrets Manager only")
    environment.update({"MASSAR_STAGE": stage, "MASSAR_REGION": region, **table_names})
    for name in TOKEN_VARIABLES:
        environment[name] = CONFIG_PLACEHOLDER  # replaced by an override, see api.py
    return {
        **source,
        "environment_variables": environment,
        # Dependencies in a layer keyed on requirements.txt alone: chalice then reuses it
        # from .chalice/deployments/ across code changes instead of running pip again (the
        # function's own zip is keyed on the app files, which change at every commit).
        "automatic_layer": True,
        "manage_iam_role": False,
        "iam_role_arn": ROLE_PLACEHOLDER_ARN,
        # Not chalice's `log_retention_in_days`: chalice 1.34 names the API function's log
        # group after `${ApiHandler}` where the function is `APIHandler`. The ChaliceApp
        # construct makes the log groups.
    }
