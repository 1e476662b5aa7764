"""DynamoDB tables read from the PynamoDB models (`chalicelib.core.models.ALL_MODELS`): keys,
attribute types, indexes (projection included), stream and TTL."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aws_cdk import RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from constructs import Construct
from pynamodb.attributes import TTLAttribute
from pynamodb.models import Model

_ATTRIBUTE_TYPES = {
    "S": dynamodb.AttributeType.STRING,
    "N": dynamodb.AttributeType.NUMBER,
    "B": dynamodb.AttributeType.BINARY,
}


@dataclass(frozen=True)
class TableSpec:
    """What the stack needs of one PynamoDB model."""

    model: type[Model]
    logical: str  # "accounts": the table is massar-<stage>-accounts
    env_var: str  # "ACCOUNTS_TABLE"
    schema: Mapping[str, Any]
    stream_view_type: str | None
    ttl_attribute: str | None

    @property
    def construct_id(self) -> str:
        return "".join(part.capitalize() for part in self.logical.split("_")) + "Table"

    def table_name(self, stage: str) -> str:
        # The same default as chalicelib.core.config.Settings: massar-<stage>-<logical>.
        return f"massar-{stage}-{self.logical.replace('_', '-')}"


def table_spec(model: type[Model]) -> TableSpec:
    meta: Any = model.Meta
    field = str(meta.settings_field)
    if not field.endswith("_table"):
        raise ValueError(f"{model.__name__}.Meta.settings_field should end with _table")
    ttl = [a.attr_name for a in model.get_attributes().values() if isinstance(a, TTLAttribute)]
    if len(ttl) > 1:
        raise ValueError(f"{model.__name__} has more than one TTLAttribute")
    return TableSpec(
        model=model,
        logical=field.removesuffix("_table"),
        env_var=field.upper(),
        schema=model._get_schema(),
        stream_view_type=getattr(meta, "stream_view_type", None),
        ttl_attribute=ttl[0] if ttl else None,
    )


def _attribute_types(schema: Mapping[str, Any]) -> dict[str, str]:
    types = {d["AttributeName"]: d["AttributeType"] for d in schema["attribute_definitions"]}
    for index in [*schema["global_secondary_indexes"], *schema["local_secondary_indexes"]]:
        types.update(
            {d["AttributeName"]: d["AttributeType"] for d in index["attribute_definitions"]}
        )
    return types


def _keys(
    key_schema: Sequence[Mapping[str, str]], types: Mapping[str, str]
) -> tuple[dynamodb.Attribute, dynamodb.Attribute | None]:
    by_type = {k["KeyType"]: k["AttributeName"] for k in key_schema}

    def attribute(name: str) -> dynamodb.Attribute:
        return dynamodb.Attribute(name=name, type=_ATTRIBUTE_TYPES[types[name]])

    sort = by_type.get("RANGE")
    return attribute(by_type["HASH"]), attribute(sort) if sort else None


def build_table(scope: Construct, spec: TableSpec, stage: str) -> dynamodb.Table:
    """On demand, point-in-time recovery, deletion protection, AWS-managed key, retained."""
    types = _attribute_types(spec.schema)
    partition_key, sort_key = _keys(spec.schema["key_schema"], types)
    table = dynamodb.Table(
        scope,
        spec.construct_id,
        table_name=spec.table_name(stage),
        partition_key=partition_key,
        sort_key=sort_key,
        billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
        point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
            point_in_time_recovery_enabled=True
        ),
        deletion_protection=True,
        encryption=dynamodb.TableEncryption.AWS_MANAGED,
        stream=dynamodb.StreamViewType(spec.stream_view_type) if spec.stream_view_type else None,
        time_to_live_attribute=spec.ttl_attribute,
        removal_policy=RemovalPolicy.RETAIN,
    )
    for index in spec.schema["global_secondary_indexes"]:
        index_pk, index_sk = _keys(index["key_schema"], types)
        projection = index["projection"]
        table.add_global_secondary_index(
            index_name=index["index_name"],
            partition_key=index_pk,
            sort_key=index_sk,
            projection_type=dynamodb.ProjectionType(projection["ProjectionType"]),
            non_key_attributes=projection.get("NonKeyAttributes"),
        )
    for index in spec.schema["local_secondary_indexes"]:
        _, index_sk = _keys(index["key_schema"], types)
        if index_sk is None:
            raise ValueError(f"local index {index['index_name']} has no range key")
        projection = index["projection"]
        table.add_local_secondary_index(
            index_name=index["index_name"],
            sort_key=index_sk,
            projection_type=dynamodb.ProjectionType(projection["ProjectionType"]),
            non_key_attributes=projection.get("NonKeyAttributes"),
        )
    return table
