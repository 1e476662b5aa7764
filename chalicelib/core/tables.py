"""Creating the tables from the models (devserver and tests; production uses the CDK stack)."""

from __future__ import annotations

from chalicelib.core.models import ALL_MODELS
from chalicelib.core.store import bound


def create_missing_tables() -> list[str]:
    created = []
    for model in ALL_MODELS:
        table = bound(model)
        if not table.exists():
            table.create_table(wait=True, billing_mode="PAY_PER_REQUEST")
            created.append(table.Meta.table_name)
    return created
