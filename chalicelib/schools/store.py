"""Schools table (one item per school) and school-areas table (one item per residence
area a school serves), always written together in one transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pynamodb.exceptions import DoesNotExist

from chalicelib.core.clock import now
from chalicelib.core.cursors import Page, decode_cursor, encode_cursor
from chalicelib.core.errors import AlreadyExists, NotFound
from chalicelib.core.models import SchoolAreaModel, SchoolModel
from chalicelib.core.store import bound
from chalicelib.core.transactions import Transaction
from chalicelib.schools.rules import SchoolData

# Two writers of one school: the version check turns the second into a retryable conflict.
VERSION_CONFLICT = "version_conflict"


def to_domain(item: SchoolModel) -> SchoolData:
    return SchoolData.model_construct(
        code=item.code,
        name_ar=item.name_ar,
        name_fr=item.name_fr,
        cycle=item.cycle,
        sector=item.sector,
        academy=item.academy,
        province=item.province,
        commune=item.commune,
        catchment=list(item.catchment or []),
    )


def _same(item: SchoolModel, school: SchoolData) -> bool:
    return to_domain(item).model_dump() == school.model_dump()


def get_school(code: str, consistent: bool = False) -> SchoolData | None:
    item = get_item(code, consistent)
    return to_domain(item) if item is not None else None


def get_item(code: str, consistent: bool = False) -> SchoolModel | None:
    try:
        return bound(SchoolModel).get(code, consistent_read=consistent)
    except DoesNotExist:
        return None


def get_items(codes: Iterable[str]) -> dict[str, SchoolModel]:
    """Many schools by code (BatchGetItem, 100 keys a call)."""
    unique = list(dict.fromkeys(codes))
    return {item.code: item for item in bound(SchoolModel).batch_get(unique)}


def _area_item(school: SchoolData, area: str) -> SchoolAreaModel:
    return bound(SchoolAreaModel)(
        area,
        f"{school.cycle}#{school.code}",
        code=school.code,
        name_ar=school.name_ar,
        name_fr=school.name_fr,
        cycle=school.cycle,
        sector=school.sector,
        commune=school.commune,
    )


def _school_item(school: SchoolData, existing: SchoolModel | None) -> SchoolModel:
    stamp = now()
    item = bound(SchoolModel)(
        school.code,
        name_ar=school.name_ar,
        name_fr=school.name_fr,
        cycle=school.cycle,
        sector=school.sector,
        academy=school.academy,
        province=school.province,
        commune=school.commune,
        catchment=list(school.catchment),
        created_at=existing.created_at if existing is not None else stamp,
        updated_at=stamp,
    )
    if existing is not None:
        item.version = existing.version
    return item


def _add_writes(
    transaction: Transaction, school: SchoolData, existing: SchoolModel | None, label: str
) -> None:
    """The school (labelled `label`, conditioned on its absence or its version) and its
    area items, old areas deleted."""
    item = _school_item(school, existing)
    if existing is None:
        transaction.put(label, item, SchoolModel.code.does_not_exist())
    else:
        transaction.put(label, item)
        old = to_domain(existing)
        old_key = f"{old.cycle}#{old.code}"
        for area in set(old.served_areas()) - set(school.served_areas()):
            transaction.delete("area", bound(SchoolAreaModel)(area, old_key))
        if old.cycle != school.cycle:
            for area in set(old.served_areas()) & set(school.served_areas()):
                transaction.delete("area", bound(SchoolAreaModel)(area, old_key))
    for area in school.served_areas():
        transaction.put("area", _area_item(school, area))


def _write_count(school: SchoolData, existing: SchoolModel | None) -> int:
    """How many items `_add_writes` puts in a transaction for this school (at most)."""
    areas = set(school.served_areas())
    if existing is not None:
        areas |= set(to_domain(existing).served_areas())
    return 1 + len(areas) + len(set(school.served_areas()))


def save_school(school: SchoolData, existing: SchoolModel | None, *, create_only: bool) -> str:
    """Create or update a school and its area items in one transaction.

    Returns "created", "updated" or "unchanged". `existing` is the item read before (None
    to create): its version guards against a concurrent update.
    """
    if existing is not None and create_only:
        raise AlreadyExists("school")
    if existing is not None and _same(existing, school):
        return "unchanged"
    transaction = Transaction()
    _add_writes(transaction, school, existing, "school")
    transaction.commit(
        {"school": AlreadyExists("school" if existing is None else VERSION_CONFLICT)}
    )
    return "created" if existing is None else "updated"


# TransactWriteItems takes 100 items; an import writes up to 25 schools in each, so a file
# of 500 rows is about 20 transactions instead of 500.
TRANSACTION_ITEMS = 100
SCHOOLS_PER_TRANSACTION = 25
CHANGED_MEANWHILE = "changed_meanwhile"


def save_schools(entries: list[tuple[SchoolData, SchoolModel | None]]) -> dict[str, str]:
    """Create or update many schools (each as `save_school` does), several per transaction.
    Returns code → "created", "updated", "unchanged", or CHANGED_MEANWHILE for a school
    created or updated by someone else since it was read (the others are written)."""
    results: dict[str, str] = {}
    pending: list[tuple[SchoolData, SchoolModel | None]] = []
    for school, existing in entries:
        if existing is not None and _same(existing, school):
            results[school.code] = "unchanged"
        else:
            pending.append((school, existing))
    chunks: list[list[tuple[SchoolData, SchoolModel | None]]] = []
    size = 0
    for entry in pending:
        count = _write_count(*entry)
        if (
            chunks
            and len(chunks[-1]) < SCHOOLS_PER_TRANSACTION
            and size + count <= TRANSACTION_ITEMS
        ):
            chunks[-1].append(entry)
            size += count
        else:
            chunks.append([entry])
            size = count
    for chunk in chunks:
        while chunk:
            transaction = Transaction()
            for index, (school, existing) in enumerate(chunk):
                _add_writes(transaction, school, existing, f"school#{index}")
            # Only the schools carry a condition: every refused label is `school#<index>`.
            refused = {
                int(label.removeprefix("school#")) for label in transaction.commit_or_refused()
            }
            if refused:
                for index in refused:
                    results[chunk[index][0].code] = CHANGED_MEANWHILE
                # The others are written again, without the refused ones.
                chunk = [entry for i, entry in enumerate(chunk) if i not in refused]
                continue
            for school, existing in chunk:
                results[school.code] = "created" if existing is None else "updated"
            break
    return results


def update_school(school: SchoolData) -> str:
    existing = get_item(school.code, consistent=True)
    if existing is None:
        raise NotFound("school")
    return save_school(school, existing, create_only=False)


def _row(item: Any) -> dict[str, str]:
    return {
        "code": item.code,
        "name_ar": item.name_ar,
        "name_fr": item.name_fr,
        "cycle": item.cycle,
        "sector": item.sector,
        "commune": item.commune,
    }


def schools_serving(
    area: str, cycle: str | None, limit: int, cursor: str | None
) -> Page[dict[str, str]]:
    """The schools serving a residence area (one Query), by cycle then code."""
    condition = SchoolAreaModel.school_key.startswith(f"{cycle}#") if cycle else None
    result = bound(SchoolAreaModel).query(
        area,
        range_key_condition=condition,
        limit=limit,
        last_evaluated_key=decode_cursor(cursor, {"area": area}),
    )
    items = [_row(item) for item in result]
    return Page(items, encode_cursor(result.last_evaluated_key))


def schools_of_province(
    province: str, cycle: str | None, limit: int, cursor: str | None
) -> Page[dict[str, str]]:
    filter_condition = SchoolModel.cycle == cycle if cycle else None
    result = bound(SchoolModel).by_province.query(
        province,
        filter_condition=filter_condition,
        limit=limit,
        last_evaluated_key=decode_cursor(cursor, {"province": province}),
    )
    items = [{**_row(item), "province": item.province} for item in result]
    return Page(items, encode_cursor(result.last_evaluated_key))
