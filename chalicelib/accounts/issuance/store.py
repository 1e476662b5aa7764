"""Jobs table: background jobs and the record of each piece done, for progress and replay."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from pynamodb.exceptions import DoesNotExist, PutError

from chalicelib.core.clock import now
from chalicelib.core.models import JobModel
from chalicelib.core.store import bound

JOB = "JOB"
RETENTION = timedelta(days=30)


@dataclass(frozen=True)
class Job:
    job_id: str
    kind: str
    status: str
    school_code: str | None
    requested_by: str | None
    total: int
    done: int
    issued: int
    skipped: int
    created_at: datetime
    parts: list[dict[str, Any]] = field(default_factory=list)


def create_job(
    job_id: str, kind: str, school_code: str, requested_by: str, detail: dict[str, str]
) -> None:
    stamp = now()
    bound(JobModel)(
        job_id,
        JOB,
        kind=kind,
        status="queued",
        school_code=school_code,
        requested_by=requested_by,
        detail=detail,
        created_at=stamp,
        expires_at=stamp + RETENTION,
    ).save(condition=JobModel.job_id.does_not_exist())


def get_job(job_id: str) -> Job | None:
    """The job and the pieces done so far (one Query)."""
    items = list(bound(JobModel).query(job_id, consistent_read=True))
    head = next((i for i in items if i.part == JOB), None)
    if head is None:
        return None
    return Job(
        job_id=head.job_id,
        kind=head.kind,
        status=head.status,
        school_code=head.school_code,
        requested_by=head.requested_by,
        total=int(head.total or 0),
        done=int(head.done or 0),
        issued=int(head.issued or 0),
        skipped=int(head.skipped or 0),
        created_at=head.created_at,
        parts=[
            {
                "part": i.part,
                "issued": int(i.issued or 0),
                "skipped": int(i.skipped or 0),
                **(i.detail.as_dict() if i.detail else {}),
            }
            for i in items
            if i.part != JOB
        ],
    )


def job_detail(job_id: str) -> dict[str, str]:
    try:
        item = bound(JobModel).get(job_id, JOB, consistent_read=True)
    except DoesNotExist:
        return {}
    return item.detail.as_dict() if item.detail else {}


def start(job_id: str, total: int) -> None:
    bound(JobModel)(job_id, JOB).update(
        actions=[JobModel.status.set("running"), JobModel.total.set(total)],
        condition=JobModel.job_id.exists(),
    )


def claim_part(job_id: str, part: str) -> bool:
    """Mark a piece as taken; False when it was done (or taken) already."""
    stamp = now()
    try:
        bound(JobModel)(
            job_id,
            part,
            kind="part",
            status="running",
            created_at=stamp,
            expires_at=stamp + RETENTION,
        ).save(condition=JobModel.part.does_not_exist())
    except PutError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def finish_part(job_id: str, part: str, issued: int, skipped: int, detail: dict[str, str]) -> None:
    bound(JobModel)(job_id, part).update(
        actions=[
            JobModel.status.set("done"),
            JobModel.issued.set(issued),
            JobModel.skipped.set(skipped),
            JobModel.detail.set(detail),
        ]
    )
    head = bound(JobModel)(job_id, JOB)
    head.update(
        actions=[
            JobModel.done.add(1),
            JobModel.issued.add(issued),
            JobModel.skipped.add(skipped),
        ]
    )
    if int(head.done or 0) >= int(head.total or 0):
        head.update(actions=[JobModel.status.set("done")], condition=JobModel.status == "running")


def release_part(job_id: str, part: str) -> None:
    """Let a piece that crashed be taken again on the next delivery."""
    bound(JobModel)(job_id, part).delete(condition=JobModel.status == "running")


def fail(job_id: str, reason: str) -> None:
    detail = {**job_detail(job_id), "error": reason[:300]}
    bound(JobModel)(job_id, JOB).update(
        actions=[JobModel.status.set("failed"), JobModel.detail.set(detail)]
    )
