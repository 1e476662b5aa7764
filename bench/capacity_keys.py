"""Partition-key families: each key the app uses, with its ids replaced by placeholders,
and how many partitions share a peak's load on it (the key design, written down once).

A key no rule names is taken as shared by the whole nation: the capacity section then
shows it as the busiest partition there is, until a rule here says how it spreads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# How a family's load spreads at a peak.
ENTITY = "entity"  # one key per application, pupil, account, session... (millions)
SCHOOL = "school"  # one key per school: the busiest school's share
AREA = "area"  # one key per commune or district: the busiest area's share
SOURCE = "source"  # one key per source address: the busiest carrier address's share
NATIONAL = "national"  # one key for everyone
COUNTER = "counter"  # a dashboard scope's sharded counters, fed in stream batches


@dataclass(frozen=True)
class Rule:
    table: str
    index: str | None
    pattern: str
    family: str
    spread: str
    shards: int = 1
    scope: str = ""  # counters: national, academy, province or school


RULES = [
    Rule("idempotency", None, r"^[^#]+#[A-Z]+ [^#]+#.+$", "<caller>#<route>#<key>", ENTITY),
    Rule("throttles", None, r"^submit-src#[^#]+#\d+$", "submit-src#<ip>#<hour>", SOURCE),
    Rule("throttles", None, r"^track-miss-src#[^#]+#\d+$", "track-miss-src#<ip>#<hour>", SOURCE),
    Rule("throttles", None, r"^signin-src#[^#]+#\d+$", "signin-src#<ip>#<hour>", SOURCE),
    Rule("throttles", None, r"^signin-hot#[^#]+#.+$", "signin-hot#<ip>#<username>", ENTITY),
    Rule("throttles", None, r"^signin#.+$", "signin#<username>", ENTITY),
    Rule("throttles", None, r"^msg-recipient#.+$", "msg-recipient#<digest>", ENTITY),
    Rule("schools", None, r"^.+$", "<school>", SCHOOL),
    Rule("school-areas", None, r"^.+$", "<area>", AREA),
    Rule("campaigns", None, r"^\d{4}-\d{4}$", "<year>", NATIONAL),
    Rule("registrations", None, r"^child#", "child#<year>#<certificate>#<birth date>", ENTITY),
    Rule("registrations", None, r"^tracking#", "tracking#<digest>", ENTITY),
    Rule("registrations", None, r"^[0-9a-f]{12,}$", "<application id>", ENTITY),
    Rule("registrations", "by_status", r"^[^#]+#[a-z]+$", "<school>#<status>", SCHOOL),
    Rule(
        "registrations", "by_age_check", r"^[^#]+#[a-z]+#[01]$", "<school>#<status>#<0|1>", SCHOOL
    ),
    Rule(
        "registrations",
        "by_catchment_check",
        r"^[^#]+#[a-z]+#[01]$",
        "<school>#<status>#<0|1>",
        SCHOOL,
    ),
    Rule("registration-terms", None, r"^.+$", "<school>", SCHOOL),
    Rule("outbox", None, r"^[0-9a-f]{12,}\.", "<application id>.<template>.<channel>", ENTITY),
    Rule("outbox", "by_recipient", r"^.+$", "<phone or email>", ENTITY),
    Rule("outbox", "by_provider_id", r"^.+$", "<provider message id>", ENTITY),
    Rule("accounts", None, r"^.+$", "<username>", ENTITY),
    Rule("sessions", None, r"^.+$", "<session family>", ENTITY),
    Rule("pupils", None, r"^PUPIL#", "PUPIL#<massar>", ENTITY),
    Rule("pupils", None, r"^PARENT#", "PARENT#<username>", ENTITY),
    Rule("counters", None, r"^counted#", "counted#<application id>", ENTITY),
    Rule(
        "counters",
        None,
        r"^reg#\d{4}-\d{4}#national#\d+$",
        "reg#<year>#national#<shard>",
        COUNTER,
        8,
        "national",
    ),
    Rule(
        "counters",
        None,
        r"^reg#\d{4}-\d{4}#academy:[^#]+#\d+$",
        "reg#<year>#academy:<code>#<shard>",
        COUNTER,
        4,
        "academy",
    ),
    Rule(
        "counters",
        None,
        r"^reg#\d{4}-\d{4}#province:[^#]+#\d+$",
        "reg#<year>#province:<code>#<shard>",
        COUNTER,
        2,
        "province",
    ),
    Rule(
        "counters",
        None,
        r"^reg#\d{4}-\d{4}#school:[^#]+#\d+$",
        "reg#<year>#school:<code>#<shard>",
        COUNTER,
        1,
        "school",
    ),
]


def rule_of(table: str, index: str | None, key: str) -> Rule:
    for rule in RULES:
        if rule.table == table and rule.index == index and re.search(rule.pattern, key):
            return rule
    return Rule(table, index, "", f"unclassified ({key[:40]})", NATIONAL)
