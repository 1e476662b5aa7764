"""The one scope rule (chalicelib/core/access.py, issue 12): which schools and accounts an
operator covers, and who is staff of a school.

The meaning kept where the old copies disagreed: a national operator covers everything; an
academy's operator the schools of that academy; a province's operator the schools of that
province; an operator holding both covers only what is in the province (the narrower) and
in the academy — not the rest of the academy (the old "academy wins" and "either matches"
copies let it in), and not a school of that province filed under another academy.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from chalicelib.accounts.rules import Account, AccountStatus, Role, Scope
from chalicelib.accounts.sign_in.tokens import Principal
from chalicelib.core.access import (
    is_national_operator,
    operator_covers_account,
    operator_covers_school,
    scope_covers,
    staff_holds_account,
    staff_of_school,
)
from chalicelib.pupils.rules import PupilRecord


@dataclass(frozen=True)
class School:
    academy: str | None
    province: str | None


RABAT = School("04", "04.421")  # Rabat-Salé-Kénitra, préfecture de Rabat
KENITRA = School("04", "04.281")  # same academy, another province
FES = School("03", "03.231")  # Fès-Meknès, préfecture de Fès
MISFILED = School("03", "04.421")  # Rabat's province under another academy


def operator(academy: str | None = None, province: str | None = None) -> Principal:
    return Principal("ops.x", Role.OPS, Scope(academy=academy, province=province))


NATIONAL = operator()
ACADEMY = operator(academy="04")
PROVINCE = operator(province="04.421")
BOTH = operator(academy="04", province="04.421")


@pytest.mark.parametrize(
    ("who", "school", "covered"),
    [
        (NATIONAL, RABAT, True),
        (NATIONAL, FES, True),
        (NATIONAL, None, True),  # a school not registered yet
        (ACADEMY, RABAT, True),
        (ACADEMY, KENITRA, True),
        (ACADEMY, FES, False),
        (ACADEMY, None, False),
        (PROVINCE, RABAT, True),
        (PROVINCE, KENITRA, False),
        (PROVINCE, FES, False),
        (PROVINCE, None, False),
        (BOTH, RABAT, True),
        (BOTH, KENITRA, False),  # the province decides, not the academy
        (BOTH, MISFILED, False),  # and it must lie in the academy
        (BOTH, FES, False),
        (BOTH, None, False),
    ],
)
def test_operator_covers_school(who: Principal, school: School | None, covered: bool) -> None:
    assert operator_covers_school(who, school) is covered


def test_scope_covers_areas_that_are_not_schools() -> None:
    # A dashboard's academy: its operator, not a province's; the nation: national only.
    assert scope_covers(ACADEMY.scope, "04", None)
    assert not scope_covers(PROVINCE.scope, "04", None)
    assert not scope_covers(ACADEMY.scope, None, None)
    assert scope_covers(NATIONAL.scope, None, None)


@pytest.mark.parametrize(
    "who",
    [
        None,
        Principal("dir.x", Role.STAFF, Scope(school_code="SC0001", academy="04")),
        Principal("AB123456", Role.PARENT, Scope(academy="04", province="04.421")),
        Principal("J130000001", Role.STUDENT, Scope()),
    ],
)
def test_only_operators_cover_anything(who: Principal | None) -> None:
    assert not operator_covers_school(who, RABAT)
    assert not operator_covers_school(who, None)
    assert not is_national_operator(who)


def test_national_operator() -> None:
    assert is_national_operator(NATIONAL)
    assert not is_national_operator(ACADEMY)
    assert not is_national_operator(PROVINCE)
    assert not is_national_operator(BOTH)


def test_operator_covers_account_by_the_accounts_scope() -> None:
    def account(scope: Scope) -> Account:
        return Account("dir.y", Role.STAFF, AccountStatus.ACTIVE, scope)

    rabat = account(Scope(school_code="SC0001", academy="04", province="04.421"))
    kenitra = account(Scope(school_code="SC0002", academy="04", province="04.281"))
    nowhere = account(Scope())
    assert operator_covers_account(NATIONAL, nowhere)
    assert operator_covers_account(ACADEMY, kenitra)
    assert not operator_covers_account(ACADEMY, nowhere)
    assert operator_covers_account(BOTH, rabat)
    assert not operator_covers_account(BOTH, kenitra)  # "either matches" let this in


def test_staff_of_school() -> None:
    staff = Principal("dir.x", Role.STAFF, Scope(school_code="SC0001"))
    assert staff_of_school(staff, "SC0001")
    assert not staff_of_school(staff, "SC0002")
    assert not staff_of_school(staff, "")
    assert not staff_of_school(Principal("dir.z", Role.STAFF, Scope()), "")
    assert not staff_of_school(Principal("ops.x", Role.OPS, Scope(school_code="SC0001")), "SC0001")
    assert not staff_of_school(None, "SC0001")


def test_staff_hold_pupils_accounts_by_the_record() -> None:
    staff = Principal("dir.x", Role.STAFF, Scope(school_code="SC0001"))
    pupil = Account("J130000001", Role.STUDENT, AccountStatus.ACTIVE, Scope(school_code="SC0001"))
    here = PupilRecord("J130000001", {"school_code": "SC0001"})
    gone = PupilRecord("J130000001", {"school_code": "SC0002"})
    assert staff_holds_account(staff, pupil, [here])
    assert not staff_holds_account(staff, pupil, [gone])  # the account's scope does not count
    colleague = Account("dir.y", Role.STAFF, AccountStatus.ACTIVE, Scope(school_code="SC0001"))
    assert staff_holds_account(staff, colleague, [])
    assert not staff_holds_account(NATIONAL, colleague, [])
