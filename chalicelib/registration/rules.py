"""The preliminary registration of a child entering school (seeds 001 and 003).

A parent fills in the application; each field is checked on its own (script of names,
formats) by the pydantic types below, and the fields that depend on each other (the
Hijri and Gregorian birth dates, the guardian's block, a reachable contact, siblings
under school age) by `application_problems`. The two checks a director reviews
(`age_eligible`, `in_catchment`) are computed at submission; an application that fails
them is still accepted, for the director to decide.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, EmailStr, Field
from pydantic_core import PydanticCustomError

from chalicelib.core.identifiers import CIN, normalise_cin, normalise_phone
from chalicelib.core.names import NameProblem, arabic_name, latin_name
from chalicelib.registration.campaigns.rules import Campaign
from chalicelib.registration.hijri import HijriProblem, hijri_matches, parse_hijri
from chalicelib.schools.rules import AreaCode, DomainModel, SchoolCode, pydantic_text


class RegistrationStatus(StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"


class RejectionReason(StrEnum):
    UNDER_AGE = "under_age"
    OUT_OF_CATCHMENT = "out_of_catchment"
    OTHER = "other"


# --- Field types -------------------------------------------------------------------------


def _empty_is_none(value: Any) -> Any:
    """Forms send "" for a field left blank: it means absent."""
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _with_code(check: Any) -> AfterValidator:
    def validate(value: str) -> str:
        try:
            result: str = check(value)
        except (NameProblem, HijriProblem) as problem:
            raise PydanticCustomError(problem.code, problem.code) from None
        return result

    return AfterValidator(validate)


def _cin(value: str) -> str:
    cin = normalise_cin(value)
    if not CIN.match(cin):
        raise PydanticCustomError("invalid_cin", "invalid_cin")
    return cin


def _mobile(value: str) -> str:
    phone = normalise_phone(value) if len(value) <= 24 else None
    if phone is None:
        raise PydanticCustomError("invalid_phone", "invalid_phone")
    return phone


def _hijri(value: str) -> str:
    year, month, day = parse_hijri(value)
    return f"{year:04d}-{month:02d}-{day:02d}"


_CERTIFICATE = re.compile(r"^[0-9A-Z][0-9A-Z/.-]{0,23}$")


def _certificate_number(value: str) -> str:
    number = re.sub(r"\s+", "", value).upper()
    if not _CERTIFICATE.match(number):
        raise PydanticCustomError("invalid_certificate_number", "invalid_certificate_number")
    return number


# An upload's key, or (in a stored application) the copy kept at submission.
_PHOTO_KEY = re.compile(r"^photos(-kept)?/[0-9a-f]{32}$")


def _photo_key(value: str) -> str:
    if not _PHOTO_KEY.match(value):
        raise PydanticCustomError("invalid_photo_key", "invalid_photo_key")
    return value


ArabicName = Annotated[str, _with_code(arabic_name)]
LatinName = Annotated[str, _with_code(latin_name)]
OptionalArabicName = Annotated[ArabicName | None, BeforeValidator(_empty_is_none)]
OptionalLatinName = Annotated[LatinName | None, BeforeValidator(_empty_is_none)]
Cin = Annotated[
    str | None,
    BeforeValidator(_empty_is_none),
    AfterValidator(lambda v: None if v is None else _cin(v)),
]
Mobile = Annotated[
    str | None,
    BeforeValidator(_empty_is_none),
    AfterValidator(lambda v: None if v is None else _mobile(v)),
]
Email = Annotated[EmailStr | None, BeforeValidator(_empty_is_none)]
Text80 = Annotated[str, pydantic_text(80)]
Text200 = Annotated[str, pydantic_text(200)]
OptionalText80 = Annotated[Text80 | None, BeforeValidator(_empty_is_none)]
OptionalText200 = Annotated[Text200 | None, BeforeValidator(_empty_is_none)]
HijriDate = Annotated[str, _with_code(_hijri)]
CertificateNumber = Annotated[str, AfterValidator(_certificate_number)]
PhotoKey = Annotated[
    str | None,
    BeforeValidator(_empty_is_none),
    AfterValidator(lambda v: None if v is None else _photo_key(v)),
]


# --- The application ---------------------------------------------------------------------


class Person(DomainModel):
    """Father, mother or guardian. `filiation_*` is the "son of / daughter of" name of
    the civil status (the person's own father's first name)."""

    first_name_ar: ArabicName
    last_name_ar: ArabicName
    first_name_lat: LatinName
    last_name_lat: LatinName
    filiation_ar: OptionalArabicName = None
    filiation_lat: OptionalLatinName = None
    cin: Cin = None
    profession: OptionalText80 = None
    address: OptionalText200 = None
    phone: Mobile = None
    email: Email = None

    def reachable(self) -> bool:
        return bool(self.phone or self.email)


class Child(DomainModel):
    first_name_ar: ArabicName
    last_name_ar: ArabicName
    first_name_lat: LatinName
    last_name_lat: LatinName
    gender: Literal["F", "M"]
    birth_date: date
    birth_date_hijri: HijriDate
    birth_place: Text80
    birth_certificate_number: CertificateNumber
    birth_certificate_date: date

    def name(self, language: str) -> str:
        if language == "ar":
            return f"{self.first_name_ar} {self.last_name_ar}"
        return f"{self.first_name_lat} {self.last_name_lat}"


class Sibling(DomainModel):
    first_name_ar: ArabicName
    last_name_ar: ArabicName
    first_name_lat: LatinName
    last_name_lat: LatinName
    birth_date: date


class Residence(DomainModel):
    commune: AreaCode
    district: Annotated[AreaCode | None, BeforeValidator(_empty_is_none)] = None
    address: Text200


# The data-protection notice (law 09-08) the form shows next to the consent box; a new
# wording gets a new version, and each application keeps the one its guardian accepted.
CONSENT_NOTICE_VERSION = "09-08/2026-12"


class Consent(DomainModel):
    """The guardian's explicit consent to the data-protection notice of law 09-08, stored
    with the application; `given_at` is the server's time of the submission (any value
    sent is replaced)."""

    data_protection: bool = Field(description="the guardian ticked the consent box")
    version: Annotated[str, Field(pattern=r"^[0-9A-Za-z./-]{1,20}$")] = Field(
        description="the notice's version the guardian read, e.g. " + CONSENT_NOTICE_VERSION
    )
    given_at: datetime | None = None


class Application(DomainModel):
    school_code: SchoolCode
    child: Child
    father: Person
    mother: Person
    guardian_role: Literal["father", "mother", "guardian"]
    guardian: Person | None = None
    siblings: list[Sibling] = Field(default_factory=list, max_length=12)
    residence: Residence
    photo_key: PhotoKey = None
    language: Literal["ar", "fr"] | None = Field(
        default=None, description="language of the notifications (else Accept-Language)"
    )
    consent: Consent | None = Field(
        default=None,
        description="required: the guardian's consent to the data-protection notice "
        "(law 09-08), `{data_protection: true, version}`; 422 when missing or false",
    )

    def responsible(self) -> Person | None:
        """The person the school deals with and notifies (the guardian's capacity)."""
        if self.guardian_role == "father":
            return self.father
        if self.guardian_role == "mother":
            return self.mother
        return self.guardian


def application_problems(
    application: Application, today: date, campaign: Campaign | None
) -> dict[str, str]:
    """The fields that are wrong together (JSON path → problem code); empty when fine."""
    problems: dict[str, str] = {}
    if application.consent is None:  # optional in the model only for stored applications
        problems["consent"] = "consent_required"
    elif not application.consent.data_protection:
        problems["consent.data_protection"] = "consent_required"
    child = application.child
    if child.birth_date > today:
        problems["child.birth_date"] = "in_future"
    if child.birth_certificate_date > today:
        problems["child.birth_certificate_date"] = "in_future"
    elif child.birth_certificate_date < child.birth_date:
        problems["child.birth_certificate_date"] = "before_birth"
    try:
        if not hijri_matches(child.birth_date, child.birth_date_hijri):
            problems["child.birth_date_hijri"] = "hijri_mismatch"
    except HijriProblem as problem:
        problems["child.birth_date_hijri"] = problem.code
    role = application.guardian_role
    if role == "guardian" and application.guardian is None:
        problems["guardian"] = "guardian_required"
    if role != "guardian" and application.guardian is not None:
        problems["guardian"] = "guardian_not_expected"
    responsible = application.responsible()
    if responsible is not None and not responsible.reachable():
        problems[f"{role}.phone"] = "contact_required"
    for index, sibling in enumerate(application.siblings):
        where = f"siblings.{index}.birth_date"
        if sibling.birth_date > today:
            problems[where] = "in_future"
        elif campaign is not None and not campaign.under_school_age(sibling.birth_date):
            problems[where] = "not_under_school_age"
    problems.update(residence_problems(application.residence))
    return problems


def residence_problems(residence: Residence) -> dict[str, str]:
    """Where the family lives, against the official divisions (HCP codes): a commune or an
    arrondissement and, in a city divided into them, the arrondissement (`district`) of
    that commune. Checked at submission only: a stored application is never re-judged
    against a later edition of the divisions."""
    from chalicelib.schools.places.rules import index  # the divisions are read on first use

    places = index()
    problems: dict[str, str] = {}
    commune = places.of_kind(residence.commune, "commune", "arrondissement")
    if commune is None:
        problems["residence.commune"] = "unknown_commune"
    if residence.district is not None and residence.district != residence.commune:
        district = places.of_kind(residence.district, "arrondissement")
        if district is None:
            problems["residence.district"] = "unknown_commune"
        elif commune is not None and district.commune != commune.code:
            problems["residence.district"] = "district_not_in_commune"
    return problems


@dataclass(frozen=True)
class Checks:
    age_eligible: bool
    in_catchment: bool


def duplicate_key(school_year: str, application: Application) -> str:
    """One application per child per campaign: the birth certificate and the birth date."""
    child = application.child
    return f"child#{school_year}#{child.birth_certificate_number}#{child.birth_date.isoformat()}"


# --- Codes ------------------------------------------------------------------------------

# Typed from an SMS: no 0/O, 1/I/L.
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_MASSAR_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def new_tracking_code() -> str:
    """12 symbols of 31 (about 59 bits), shown as XXXX-XXXX-XXXX."""
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_tracking_code(raw: str) -> str:
    compact = re.sub(r"[\s-]+", "", raw).upper()
    return f"{compact[:4]}-{compact[4:8]}-{compact[8:]}" if len(compact) == 12 else compact


def new_application_id() -> str:
    return secrets.token_hex(10)


def new_massar_code() -> str:
    """A letter and nine digits; uniqueness is the store's conditional put."""
    letter = secrets.choice(_MASSAR_LETTERS)
    return letter + "".join(secrets.choice("0123456789") for _ in range(9))
