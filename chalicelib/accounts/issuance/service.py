"""Issuing initial codes in bulk, with credential letters per class (seed 000).

A request creates a job and queues it; the job runner splits it into one piece per class,
and each piece issues the accounts of one class and stores one PDF of letters. Pieces are
claimed once (a redelivered message finds its piece taken) and a job's progress is the
count of pieces done.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from chalicelib.accounts import store as account_store
from chalicelib.accounts.audit import store as audit_store
from chalicelib.accounts.audit.rules import AuditEntry, Origin, SecurityEvent
from chalicelib.accounts.issuance import store as job_store
from chalicelib.accounts.issuance.letters import letter_for, store_letters
from chalicelib.accounts.issuance.rules import Holder, IssueDecision, decide, holders_for_pupil
from chalicelib.accounts.rules import Account, AccountStatus, Role, Scope
from chalicelib.accounts.sign_in.tokens import Principal
from chalicelib.accounts.store import AccountUpdate, Changes, update_fields
from chalicelib.core.access import operator_covers_school, staff_of_school
from chalicelib.core.aws_clients import client
from chalicelib.core.config import settings
from chalicelib.core.errors import NotFound
from chalicelib.core.models import AccountModel
from chalicelib.core.secrets import hash_random_secret, new_id, new_initial_code
from chalicelib.schools.classes import store as class_store

JOB_KIND = "issue_accounts"


@dataclass(frozen=True)
class School:
    code: str
    cycle: str
    name: str
    academy: str | None
    province: str | None


def _school(code: str) -> School:
    from chalicelib.schools.store import get_school

    school = get_school(code)
    if school is None:
        raise NotFound("school")
    return School(school.code, school.cycle, school.name_fr, school.academy, school.province)


def _may_issue(principal: Principal, school: School) -> bool:
    """The school's staff, or an operator over the school (core/access)."""
    return staff_of_school(principal, school.code) or operator_covers_school(principal, school)


def _send(message: dict[str, str]) -> None:
    client("sqs").send_message(QueueUrl=settings().jobs_queue_url, MessageBody=json.dumps(message))


def request_batch(principal: Principal, school_code: str, class_id: str | None) -> str:
    """Queue the issuing of a school's (or one class's) accounts; returns the job id."""
    school = _school(school_code)
    if not _may_issue(principal, school):
        raise NotFound("school")
    if class_id is not None and class_store.get_class(school_code, class_id) is None:
        raise NotFound("class")
    job_id = new_id()
    job_store.create_job(
        job_id, JOB_KIND, school_code, principal.username, {"class_id": class_id or ""}
    )
    try:
        _send({"job_id": job_id, "step": "plan"})
    except Exception:
        job_store.fail(job_id, "could not queue the job")
        raise
    return job_id


def plan(job_id: str) -> None:
    """Split the job into one piece per class and queue them."""
    job = job_store.get_job(job_id)
    if job is None or job.status != "queued" or job.school_code is None:
        return
    wanted = job_store.job_detail(job_id).get("class_id")
    class_ids = (
        [wanted]
        if wanted
        else [c["class_id"] for c in class_store.classes_of_school(job.school_code)]
    )
    job_store.start(job_id, len(class_ids))
    if not class_ids:
        job_store.finish_part(job_id, "CLASS#-", 0, 0, {})
        return
    for class_id in class_ids:
        _send({"job_id": job_id, "step": "class", "class_id": class_id})


def _ensure_account(
    holder: Holder, school: School, existing: Account | None, code: str, audit: AuditEntry
) -> Account:
    """Create the account, or give a pending one a new initial code; link the child."""
    code_hash = hash_random_secret(code)  # random: an HMAC, not argon2 (services/secrets.py)
    if existing is None:
        account = Account(
            username=holder.key,
            role=holder.role,
            status=AccountStatus.PENDING_ACTIVATION,
            scope=Scope(school_code=school.code, academy=school.academy, province=school.province),
            initial_code_hash=code_hash,
            profile={
                k: v
                for k, v in {
                    "first_name": holder.first_name,
                    "last_name": holder.last_name,
                    "first_name_ar": holder.first_name_ar,
                    "last_name_ar": holder.last_name_ar,
                    "cin": holder.cin or "",
                    "school_name": school.name,
                }.items()
                if v
            },
            massar_code=holder.massar_code if holder.role is Role.STUDENT else None,
            children=(holder.massar_code,) if holder.role is Role.PARENT else (),
        )
        account_store.create_account(account, audits=[audit])
        return account
    update = update_fields(
        holder.key,
        {"initial_code_hash": code_hash},
        AccountModel.status == AccountStatus.PENDING_ACTIVATION.value,
    )
    if holder.role is Role.PARENT and holder.massar_code not in existing.children:
        update.actions.append(account_store.link_child(holder.massar_code, bool(existing.children)))
    account_store.commit(Changes(update=update, audits=[audit]))
    return existing


def issue_class(job_id: str, class_id: str) -> None:
    """Issue the accounts of one class and store its letters (one PDF, pupil then parent)."""
    part = f"CLASS#{class_id}"
    if not job_store.claim_part(job_id, part):
        return  # a redelivery: this class was done (or is being done) already
    try:
        job = job_store.get_job(job_id)
        assert job is not None and job.school_code is not None
        school = _school(job.school_code)
        class_info = class_store.get_class(school.code, class_id) or {}
        letters = []
        issued = skipped = 0
        for pupil, holder in _holders_of_class(school, class_id):
            existing = account_store.get_account(holder.key)
            if existing is not None and not _may_touch(existing, holder, school):
                skipped += 1  # someone else's account: nothing printed, nothing linked
                continue
            decision = decide(existing.status if existing else None)
            if decision is IssueDecision.SKIP:
                skipped += 1
                if holder.role is Role.PARENT and existing and pupil not in existing.children:
                    _link_child(holder)
                continue
            code = new_initial_code()
            audit = AuditEntry(
                holder.key,
                SecurityEvent.LETTERS_ISSUED,
                job.requested_by or "system",
                Origin("job"),
                {"job_id": job_id, "class_id": class_id},
            )
            account = _ensure_account(holder, school, existing, code, audit)
            issued += 1
            letters.append(letter_for(account, code, class_info.get("label", class_id)))
        detail = {"class_id": class_id, "label": class_info.get("label", class_id)}
        if letters:
            stored = store_letters(letters, school.code, f"letters-{class_id}")
            detail["letters_key"] = stored.key
        job_store.finish_part(job_id, part, issued, skipped, detail)
        audit_store.record(
            AuditEntry(
                f"SCHOOL#{school.code}",
                SecurityEvent.LETTERS_ISSUED,
                job.requested_by or "system",
                Origin("job"),
                {"class_id": class_id, "issued": str(issued), "job_id": job_id},
            )
        )
    except Exception:
        job_store.release_part(job_id, part)
        raise


def _holders_of_class(school: School, class_id: str) -> list[tuple[str, Holder]]:
    """The accounts a class's letters are for, from the pupil records of the pupils enrolled
    in it now: each pupil (middle/high school) and the responsible guardian of the record's
    guardian block."""
    from chalicelib.schools.classes.service import enrolled_members, member_view

    members = enrolled_members(school.code, class_id)
    return [
        (massar, holder)
        for massar, record in sorted(members.items())
        for holder in holders_for_pupil(member_view(record), school.cycle)
    ]


def _may_touch(existing: Account, holder: Holder, school: School) -> bool:
    """An existing account a class's batch may re-issue or link: the pupil's own student
    account, or a parent account already tied to this pupil or to another pupil enrolled
    at this school — never an account tied only to pupils of other schools."""
    from chalicelib.pupils import store as pupils

    if existing.role is not holder.role:
        return False
    if holder.role is Role.STUDENT:
        return existing.massar_code == holder.massar_code
    if holder.massar_code in existing.children:
        return True
    records = pupils.get_records(existing.children)
    return any(r.enrolled_at(school.code) for r in records.values())


def _link_child(holder: Holder) -> None:
    """An active parent whose new child appears in a class: link it, print nothing."""
    account_store.commit(
        Changes(
            update=AccountUpdate(
                holder.key,
                [account_store.link_child(holder.massar_code, has_children=True)],
                AccountModel.children.exists(),
            )
        )
    )


def run_job_message(body: str) -> None:
    message = json.loads(body)
    if message.get("step") == "plan":
        plan(str(message["job_id"]))
    elif message.get("step") == "class":
        issue_class(str(message["job_id"]), str(message["class_id"]))


def batch_status(principal: Principal, job_id: str) -> job_store.Job:
    job = job_store.get_job(job_id)
    if job is None or job.school_code is None:
        raise NotFound("job")
    if not _may_issue(principal, _school(job.school_code)):
        raise NotFound("job")
    return job
