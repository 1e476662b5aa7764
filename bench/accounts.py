"""Accounts: the cost of argon2id at production parameters, and how many accounts (with
their credential letters) one core issues per second."""

from __future__ import annotations

import os
import statistics
import time
from typing import Any

from bench.registry import Section

HASH_ROUNDS = 15
PUPILS_IN_CLASS = 40


def _hash_times() -> list[float]:
    from chalicelib.config import reset_settings
    from chalicelib.services import secrets

    os.environ.pop("ARGON2_MEMORY_KIB", None)
    reset_settings()
    secrets.hash_secret("warm-up-password-1!")
    times = []
    for n in range(HASH_ROUNDS):
        started = time.perf_counter()
        secrets.hash_secret(f"Bench-password-{n}!")
        times.append(time.perf_counter() - started)
    return times


def _issue_one_class() -> tuple[int, float, float]:
    """Issue accounts and letters for one class in process under moto: (accounts, wall s,
    CPU s of this process)."""
    from moto import mock_aws

    from chalicelib.config import reset_settings
    from devserver.resources import create_local_resources
    from devserver.stage import apply_stage_environment

    saved = dict(os.environ)
    try:
        with mock_aws():
            apply_stage_environment("dev")
            reset_settings()
            create_local_resources()
            from chalicelib.domain.accounts import Role, Scope
            from chalicelib.domain.schools import SchoolData
            from chalicelib.services.issuance import issue_class
            from chalicelib.services.school_classes import RosterRow, enrol
            from chalicelib.services.tokens import Principal
            from chalicelib.store import classes, jobs
            from chalicelib.store.schools import save_school

            save_school(
                SchoolData(
                    code="CL0001",
                    name_ar="إعدادية المسيرة",
                    name_fr="Collège Al Massira",
                    cycle="middle",
                    sector="public",
                    academy="04",  # official HCP codes: Rabat-Salé-Kénitra,
                    province="04.421",  # préfecture de Rabat,
                    commune="04.421.01.01",  # arrondissement Agdal Riyad
                ),
                None,
                create_only=True,
            )
            classes.save_class("CL0001", "1AC-1", {"label": "1AC-1", "level": "1AC"})
            rows = []
            for n in range(PUPILS_IN_CLASS):
                pupil: dict[str, Any] = {
                    "first_name_lat": "Amina",
                    "last_name_lat": f"Bench{n}",
                    "first_name_ar": "أمينة",
                    "last_name_ar": "العلوي",
                    "guardian_cin": f"BE{100000 + n}",
                    "guardian_first_name_ar": "كريم",
                    "guardian_last_name_ar": "العلوي",
                }
                pupil["massar_code"] = f"B{130000000 + n}"
                rows.append(RosterRow(f"pupils.{n}", "1AC-1", pupil))
            # Enrolled as schools enrol them: the class roster writes the pupil records.
            director = Principal("dir.cl0001", Role.STAFF, Scope(school_code="CL0001"))
            enrol(director, "CL0001", rows)
            jobs.create_job("bench-job", "issue_accounts", "CL0001", "bench", {"class_id": "1AC-1"})
            jobs.start("bench-job", 1)
            wall, cpu = time.perf_counter(), time.process_time()
            issue_class("bench-job", "1AC-1")
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            job = jobs.get_job("bench-job")
            issued = job.issued if job else 0
    finally:
        os.environ.clear()
        os.environ.update(saved)
        reset_settings()
    return issued, wall, cpu


def run() -> Section:
    from chalicelib.services.secrets import ARGON2_PARALLELISM, ARGON2_TIME_COST

    times = _hash_times()
    median_ms = statistics.median(times) * 1000
    issued, wall, cpu = _issue_one_class()
    failures = [] if issued == 2 * PUPILS_IN_CLASS else [f"issued {issued} accounts"]
    body = f"""
Password and initial-code hashing: **argon2id**, memory 47,104 KiB (46 MiB), time cost
{ARGON2_TIME_COST}, parallelism {ARGON2_PARALLELISM} (OWASP's second recommended profile).
One hash, median of {HASH_ROUNDS}: **{median_ms:.1f} ms** (p90
{sorted(times)[int(0.9 * len(times)) - 1] * 1000:.1f} ms) on this machine; a 1,024 MB
Lambda has about 0.6 of a vCPU, so expect roughly 1.5× that there.

Issuing one class of {PUPILS_IN_CLASS} middle-school pupils (a student and a parent
account each, the initial codes hashed, one PDF of {2 * PUPILS_IN_CLASS} letters rendered
and stored in S3), in process under moto, one thread:

| accounts issued | wall time | CPU time | accounts per second per core (CPU) |
|---:|---:|---:|---:|
| {issued} | {wall:.2f} s | {cpu:.2f} s | **{issued / cpu:.1f}** |

A school of 1,500 pupils is about 3,000 accounts: {3000 / (issued / cpu):.0f} s of CPU,
spread over one queue message per class.
"""
    return Section("Accounts: hashing and bulk issuing", body, failures)
