"""Rules a reader can check: one folder per feature with its layers inside, layers point
down (pure rules import nothing impure, routes never reach a table), no import cycle, small
files and functions, no Scan on a request path, API-path timeouts fit API Gateway, the API
Lambda's size, and no SES/SNS client on the API path."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

from chalicelib.core.models import ALL_MODELS
from chalicelib.core.store import CONNECT_TIMEOUT_SECONDS, MAX_RETRY_ATTEMPTS, READ_TIMEOUT_SECONDS
from tests.conftest import Api

ROOT = Path(__file__).resolve().parent.parent
INFRASTRUCTURE = {"boto3", "botocore", "pynamodb", "chalice"}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            roots.add(node.module.split(".")[0])
    return roots


APP = ROOT / "chalicelib"
# Pure rules: every feature's `rules.py`, and these shared ones (text, names, codes, errors,
# stored flags).
PURE_SHARED = {
    "chalicelib.core.errors",
    "chalicelib.core.flags",
    "chalicelib.core.text",
    "chalicelib.core.names",
    "chalicelib.core.identifiers",
    "chalicelib.core.throttling",
    "chalicelib.accounts.passwords.common",
    "chalicelib.registration.hijri",
}
# Table access: a feature's `store.py` (or `<what>_store.py`) and the shared table layer.
STORE_SHARED = {"chalicelib.core.models", "chalicelib.core.store", "chalicelib.core.tables"}
MAX_FILE_LINES = 600
MAX_FUNCTION_LINES = 80


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def app_modules() -> dict[str, Path]:
    return {module_name(p): p for p in APP.rglob("*.py") if p.name != "__init__.py"}


def is_pure(module: str) -> bool:
    return module.endswith(".rules") or module in PURE_SHARED


def is_store(module: str) -> bool:
    return (
        module.rsplit(".", 1)[-1] in ("store",)
        or module.endswith("_store")
        or (module in STORE_SHARED)
    )


def imported_modules(path: Path, *, top_level_only: bool = False) -> set[str]:
    """The chalicelib modules a file imports (`from pkg import module` counts as the module)."""
    known = app_modules()
    tree = ast.parse(path.read_text())
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("chalicelib."))
        elif (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.module.startswith("chalicelib")
        ):
            for alias in node.names:
                child = f"{node.module}.{alias.name}"
                found.add(child if child in known else node.module)
    return found


def test_every_feature_is_one_folder_with_its_layers_inside() -> None:
    layers = {"api", "schemas", "service", "store", "rules"}
    features = [d for d in APP.iterdir() if d.is_dir() and d.name not in ("core", "__pycache__")]
    assert {d.name for d in features} >= {"accounts", "registration", "schools", "pupils"}
    for folder in features:
        assert (folder / "__init__.py").exists(), folder
        names = {p.stem for p in folder.rglob("*.py")}
        assert names & layers, f"{folder} has none of the layer files {sorted(layers)}"
    # No layer-first folders any more: a reader never looks for a feature in five places.
    for old in ("handlers", "services", "store", "domain", "notify"):
        assert not (APP / old).exists(), old


def test_pure_rules_import_nothing_impure() -> None:
    modules = app_modules()
    pure = [m for m in modules if is_pure(m)]
    assert len(pure) >= 15
    for module in pure:
        path = modules[module]
        assert not imported_roots(path) & INFRASTRUCTURE, path
        impure = {m for m in imported_modules(path) if not is_pure(m)}
        assert not impure, f"{path} imports {sorted(impure)}"


def test_routes_never_import_a_store_module() -> None:
    for path in APP.rglob("api.py"):
        stores = {m for m in imported_modules(path) if is_store(m)}
        assert not stores, f"{path} reads tables directly: {sorted(stores)}"


def test_only_the_feature_list_imports_route_modules() -> None:
    for module, path in app_modules().items():
        if module in ("chalicelib.features", "chalicelib.core.fallbacks"):
            continue
        routes = {m for m in imported_modules(path) if m.endswith(".api") and m != module}
        assert not routes, f"{path} imports route modules {sorted(routes)}"
    infra = [p for p in (ROOT / "infra").glob("**/*.py") if "cdk.out" not in p.parts]
    for path in infra:
        assert not {m for m in imported_modules(path) if m.endswith(".api")}, path


def test_no_import_cycles_at_module_level() -> None:
    modules = app_modules()
    graph = {m: imported_modules(p, top_level_only=True) & set(modules) for m, p in modules.items()}
    done: set[str] = set()

    def visit(module: str, trail: list[str]) -> None:
        if module in trail:
            cycle = [*trail[trail.index(module) :], module]
            raise AssertionError(" -> ".join(cycle))
        if module in done:
            return
        for child in sorted(graph[module]):
            visit(child, [*trail, module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])


def test_files_and_functions_stay_small() -> None:
    roots = [APP, ROOT / "infra"]
    paths = [
        p for r in roots for p in r.rglob("*.py") if not {"cdk.out", "chalice.out"} & set(p.parts)
    ]
    for path in paths:
        source = path.read_text()
        assert len(source.splitlines()) <= MAX_FILE_LINES, f"{path} is longer than {MAX_FILE_LINES}"
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                assert length <= MAX_FUNCTION_LINES, f"{path}:{node.lineno} {node.name}: {length}"


def test_no_scan_anywhere_in_the_app() -> None:
    for path in (ROOT / "chalicelib").rglob("*.py"):
        tree = ast.parse(path.read_text())
        calls = [
            n
            for n in ast.walk(tree)
            if isinstance(n, ast.Call)
            and isinstance(n.func, ast.Attribute)
            and n.func.attr == "scan"
        ]
        assert not calls, path


def test_dynamodb_timeouts_fit_api_gateway() -> None:
    assert CONNECT_TIMEOUT_SECONDS == 1
    assert READ_TIMEOUT_SECONDS == 2
    assert MAX_RETRY_ATTEMPTS == 2
    for model in ALL_MODELS:
        meta: Any = model.Meta
        assert meta.connect_timeout_seconds == 1
        assert meta.read_timeout_seconds == 2
        assert meta.max_retry_attempts == 2


def test_sdk_clients_have_the_api_path_timeouts(aws: None) -> None:
    from chalicelib.core.aws_clients import client

    config = client("sqs").meta.config
    assert config.connect_timeout == 1
    assert config.read_timeout == 2
    assert config.retries["total_max_attempts"] == 3  # the first try and two retries


def test_the_api_lambda_fits_the_gateway_and_has_cpu_for_argon2() -> None:
    config = json.loads((ROOT / ".chalice" / "config.json").read_text())
    api = config["lambda_functions"]["api_handler"]
    assert api["lambda_timeout"] <= 10
    assert api["lambda_memory_size"] >= 1024


def test_the_api_path_never_builds_ses_or_sns_clients(api: Api, ops_token: str) -> None:
    from chalicelib.core import aws_clients

    aws_clients.forget_clients()
    answer = api.post(
        "/v1/staff",
        {
            "username": "dir.sebti",
            "school_code": "SC0003",
            "first_name": "N",
            "last_name": "S",
            "email": "n@example.ma",
        },
        token=ops_token,
    )
    assert answer.status_code == 201
    assert not aws_clients.built_services() & {"ses", "sesv2", "sns"}
