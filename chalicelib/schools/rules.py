"""Schools and the residence areas (communes or districts) each one serves."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from chalicelib.core.names import NameProblem, clean_spaces, free_text

SCHOOL_CODE = re.compile(r"^[A-Z0-9]{4,12}$")
AREA_CODE = re.compile(r"^[A-Z0-9][A-Z0-9._-]{0,31}$")
REGION_CODE = re.compile(r"^[A-Z0-9][A-Z0-9._-]{0,39}$")
MAX_CATCHMENT = 40


def _upper_code(pattern: re.Pattern[str], error: str) -> Any:
    def check(value: Any) -> Any:
        if not isinstance(value, str):
            return value  # pydantic reports the type
        code = re.sub(r"\s+", "", value).upper()
        if not pattern.match(code):
            raise PydanticCustomError(error, error)
        return code

    return BeforeValidator(check)


def pydantic_text(max_length: int) -> AfterValidator:
    def check(value: str) -> str:
        try:
            return free_text(value, max_length)
        except NameProblem as problem:
            raise PydanticCustomError(problem.code, problem.code) from None

    return AfterValidator(check)


SchoolCode = Annotated[str, _upper_code(SCHOOL_CODE, "invalid_school_code")]
AreaCode = Annotated[str, _upper_code(AREA_CODE, "invalid_area_code")]
RegionCode = Annotated[str, _upper_code(REGION_CODE, "invalid_region_code")]
SchoolName = Annotated[str, pydantic_text(120)]


class DomainModel(BaseModel):
    """Request-shaped data: unknown fields refused, strings trimmed, built on first use."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)


class SchoolData(DomainModel):
    code: SchoolCode
    name_ar: SchoolName
    name_fr: SchoolName
    cycle: Literal["primary", "middle", "high"]
    sector: Literal["public", "private"]
    academy: RegionCode
    province: RegionCode
    commune: AreaCode
    catchment: list[AreaCode] = Field(default_factory=list, max_length=MAX_CATCHMENT)

    def served_areas(self) -> list[str]:
        """The catchment as declared (deduplicated); the school's own commune when empty."""
        return list(dict.fromkeys(self.catchment)) or [self.commune]

    def name(self, language: str) -> str:
        return self.name_ar if language == "ar" else self.name_fr


def in_catchment(school: SchoolData, commune: str, district: str | None) -> bool:
    areas = set(school.served_areas())
    return commune in areas or (district is not None and district in areas)


def split_catchment(raw: str) -> list[str]:
    """A catchment cell of an import file: codes separated by `;`, `|`, `,` or spaces."""
    return [part for part in re.split(r"[;|,\s]+", clean_spaces(raw)) if part]
