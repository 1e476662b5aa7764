"""Logical ids and generated names as if every resource were the stack's own child.

The stack is composed of constructs (`Group`s: data, queues, API, alarms, notifications,
web), but its template keeps the logical ids it had when every resource was created in the
stack itself: for CloudFormation, a new logical id is a resource deleted and another one
created (a table, a bucket, a secret lost). `FlatStack` derives logical ids from construct
paths with the groups' ids left out. The few values the CDK derives from a construct's path
itself, in the resources' properties (`Names.uniqueId`, `Names.uniqueResourceName`,
`node.addr`), are computed the same way by `flat_unique_id`, `flat_resource_name` and
`flat_address` where a construct uses them (web.py). Not covered: a construct the CDK
names after *another* construct's path (an SQS subscription's id is its topic's
`Names.nodeUniqueId`): its logical id changes when that other construct moves into a group.
The snapshot test of the template shows such a change.

The algorithms are the CDK's own (aws-cdk-lib `core/lib/private/uniqueid.ts` and
`unique-resource-name.ts`, constructs' `private/node-addr.ts`): the snapshot test of
tests/test_infra.py fails if they ever disagree.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

from aws_cdk import CfnElement, Stack
from constructs import Construct, IConstruct

# Left out of ids and names (a construct's default child: `Resource`, `Default`).
HIDDEN_ID = "Default"
HIDDEN_FROM_HUMAN_ID = "Resource"
HASH_LENGTH = 8
MAX_HUMAN_LENGTH = 240
MAX_ID_LENGTH = 255


class Group(Construct):
    """A construct that groups resources without naming them: its id is in construct paths
    (`cdk.out/tree.json`, the CDK's messages), not in logical ids or generated names."""


class FlatStack(Stack):
    """A stack whose logical ids leave its `Group`s out of construct paths."""

    def _allocate_logical_id(self, cfn_element: CfnElement) -> str:
        # The CDK asks for an element's logical id at every reference: computed once.
        ids: dict[str, str] = self.__dict__.setdefault("_flat_logical_ids", {})
        paths: dict[str, str] = self.__dict__.setdefault("_flat_paths_by_id", {})
        path = cfn_element.node.path
        logical_id = ids.get(path)
        if logical_id is None:
            logical_id = unique_id(flat_components(cfn_element))
            other = paths.setdefault(logical_id, path)
            if other != path:
                raise ValueError(f"{path} and {other} would both have the logical id {logical_id}")
            ids[path] = logical_id
        return logical_id


def flat_components(construct: IConstruct) -> list[str]:
    """The ids from the construct's stack (excluded) down to it, without the groups'."""
    scopes = construct.node.scopes
    stack = Stack.of(construct)
    below = scopes[scopes.index(stack) + 1 :]
    return [scope.node.id for scope in below if not isinstance(scope, Group)]


def flat_unique_id(construct: IConstruct, *below: str) -> str:
    """`Names.uniqueId` of the construct (or of a child path `below` it) without groups."""
    stack = Stack.of(construct)
    above = [scope.node.id for scope in stack.node.scopes[1:]]
    return unique_id([*above, *flat_components(construct), *below])


def flat_resource_name(construct: IConstruct, *, max_length: int = 256) -> str:
    """`Names.uniqueResourceName(construct, {maxLength})` without groups."""
    stack = Stack.of(construct)
    return unique_resource_name([stack.stack_name, *flat_components(construct)], max_length)


def flat_address(construct: IConstruct) -> str:
    """`construct.node.addr` without groups."""
    stack = Stack.of(construct)
    above = [scope.node.id for scope in stack.node.scopes]
    return address([*above, *flat_components(construct)])


# ---------------------------------------------------------------------------------------
# The CDK's algorithms
# ---------------------------------------------------------------------------------------
def unique_id(components: Sequence[str]) -> str:
    """makeUniqueId: the human part of the path, then a hash of the whole path."""
    shown = [c for c in components if c != HIDDEN_ID]
    if not shown:
        raise ValueError("no path components to make an id of")
    if len(shown) == 1:
        # A stack's direct child keeps its id (as CloudFormation templates name resources).
        candidate = _alphanumeric(shown[0])
        if len(candidate) <= MAX_ID_LENGTH:
            return candidate
    human = "".join(_alphanumeric(c) for c in _without_repeats(shown) if c != HIDDEN_FROM_HUMAN_ID)
    return human[:MAX_HUMAN_LENGTH] + _path_hash(shown)


def unique_resource_name(components: Sequence[str], max_length: int = 256) -> str:
    """makeUniqueResourceName, without prefix, separator or special characters."""
    shown = [c for c in components if c != HIDDEN_ID]
    if not shown:
        raise ValueError("no path components to make a name of")
    if len(shown) == 1 and len(_alphanumeric(shown[0])) <= max_length:
        return _alphanumeric(shown[0])
    human = "".join(_alphanumeric(c) for c in _without_repeats(shown) if c != HIDDEN_FROM_HUMAN_ID)
    max_human = max_length - HASH_LENGTH
    if len(human) > max_human:
        half = int(max_human / 2)
        human = human[:half] + human[-half:]
    return human + _path_hash(shown)


def address(components: Sequence[str]) -> str:
    """A construct's `node.addr`: "c8" and the SHA-1 of its path (root's empty id included)."""
    digest = hashlib.sha1(usedforsecurity=False)
    for component in components:
        if component != HIDDEN_ID:
            digest.update(component.encode())
            digest.update(b"\n")
    return "c8" + digest.hexdigest()


def _path_hash(components: Sequence[str]) -> str:
    digest = hashlib.md5("/".join(components).encode(), usedforsecurity=False)
    return digest.hexdigest()[:HASH_LENGTH].upper()


def _alphanumeric(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", text)


def _without_repeats(components: Sequence[str]) -> list[str]:
    """A component that ends the previous one is left out (`Bucket/Bucket` → `Bucket`)."""
    kept: list[str] = []
    for component in components:
        if not kept or not kept[-1].endswith(component):
            kept.append(component)
    return kept
