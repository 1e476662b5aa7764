"""Classes and their pupils, in the pupils table: one Query lists a school's classes, one
Query lists a class's pupils.

- `SCHOOL#<school>` / `CLASS#<class_id>`: the class (label, level, school year);
- `CLASS#<school>#<class_id>` / `PUPIL#<massar>`: a pupil of the class, with the names and
  the guardian fields a credential letter needs.
"""

from __future__ import annotations

from chalicelib.core.clock import now
from chalicelib.core.models import PupilModel
from chalicelib.core.store import bound
from chalicelib.core.transactions import Transaction
from chalicelib.pupils.store import data_of
from chalicelib.pupils.store import new_item as _item


def _school_pk(school_code: str) -> str:
    return f"SCHOOL#{school_code}"


def _class_pk(school_code: str, class_id: str) -> str:
    return f"CLASS#{school_code}#{class_id}"


def save_class(school_code: str, class_id: str, data: dict[str, str]) -> None:
    # Every field kept as given, empty ones too (as classes always were).
    bound(PupilModel)(
        _school_pk(school_code),
        f"CLASS#{class_id}",
        kind="class",
        massar_code="-",
        data={"class_id": class_id, **data},
        created_at=now(),
    ).save()


def save_member(school_code: str, class_id: str, massar_code: str, data: dict[str, str]) -> None:
    _member_item(school_code, class_id, massar_code, data).save()


def classes_of_school(school_code: str) -> list[dict[str, str]]:
    items = bound(PupilModel).query(_school_pk(school_code), PupilModel.sk.startswith("CLASS#"))
    return [item.data.as_dict() for item in items]


def get_class(school_code: str, class_id: str) -> dict[str, str] | None:
    return data_of(_school_pk(school_code), f"CLASS#{class_id}")


def members_of_class(school_code: str, class_id: str) -> list[dict[str, str]]:
    # The class partition also holds its timetable: members are the `PUPIL#` items only.
    items = bound(PupilModel).query(
        _class_pk(school_code, class_id), PupilModel.sk.startswith("PUPIL#")
    )
    return [{"massar_code": item.massar_code, **item.data.as_dict()} for item in items]


def _member_item(
    school_code: str, class_id: str, massar_code: str, data: dict[str, str]
) -> PupilModel:
    pk = _class_pk(school_code, class_id)
    return _item(pk, f"PUPIL#{massar_code}", "class_member", massar_code, data)


def add_member(
    transaction: Transaction,
    school_code: str,
    class_id: str,
    massar_code: str,
    data: dict[str, str],
) -> None:
    transaction.put("member", _member_item(school_code, class_id, massar_code, data))


def remove_member(
    transaction: Transaction, school_code: str, class_id: str, massar_code: str
) -> None:
    """The pupil's former class (another class, or the school it left)."""
    transaction.delete("old_member", _member_item(school_code, class_id, massar_code, {}))


# `SCHOOL#<school>` / `AWAITING#<massar>`: a pupil of the school with no class yet (approved
# pre-registration, released transfer), one Query lists them for the director.
def _awaiting_item(school_code: str, massar_code: str, data: dict[str, str]) -> PupilModel:
    pk = _school_pk(school_code)
    return _item(pk, f"AWAITING#{massar_code}", "awaiting_class", massar_code, data)


def add_awaiting(
    transaction: Transaction, school_code: str, massar_code: str, data: dict[str, str]
) -> None:
    transaction.put("awaiting", _awaiting_item(school_code, massar_code, data))


def remove_awaiting(transaction: Transaction, school_code: str, massar_code: str) -> None:
    transaction.delete("awaiting", _awaiting_item(school_code, massar_code, {}))


def awaiting_of_school(school_code: str) -> list[dict[str, str]]:
    items = bound(PupilModel).query(_school_pk(school_code), PupilModel.sk.startswith("AWAITING#"))
    return [{"massar_code": item.massar_code, **item.data.as_dict()} for item in items]
