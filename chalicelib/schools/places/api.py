"""The official divisions a form offers, one level at a time: régions, a région's provinces,
a province's communes (with their arrondissements). Public and the same for everyone until
the package changes: answers are cacheable for a day, so a browser (and a CDN in front of the
API) asks once."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from chalice import Blueprint, Response

from chalicelib.core.http import ApiError, Call, json_response, route

if TYPE_CHECKING:  # imported where used: a cold start loads only what its route needs
    from pydantic import BaseModel

places_bp = Blueprint(__name__)

# A day in browsers and shared caches, then a revalidation served stale meanwhile.
CACHE_CONTROL = "public, max-age=86400, stale-while-revalidate=604800"
REGION = re.compile(r"^\d{2}$")
PROVINCE = re.compile(r"^\d{2}\.\d{3}(\.\d{2}\.\d{2})?$")


def _cached(answer: BaseModel) -> Response:
    return json_response(
        200, answer.model_dump(mode="json", exclude_none=True), {"Cache-Control": CACHE_CONTROL}
    )


@route(
    places_bp,
    "/v1/places/regions",
    "GET",
    summary="The 12 régions (each one an academy), HCP codes with Arabic and French names",
    tag="places",
    returns="chalicelib.schools.places.schemas:RegionList",
)
def regions(call: Call) -> Response:
    from chalicelib.schools.places.rules import index
    from chalicelib.schools.places.schemas import Region, RegionList

    places = index()
    items = [
        Region(**places.places[code].names())
        for code in sorted(c for c, p in places.places.items() if p.kind == "region")
    ]
    return _cached(RegionList(items=items))


@route(
    places_bp,
    "/v1/places/regions/{code}/provinces",
    "GET",
    summary="A région's provinces and préfectures (the provincial directorates)",
    tag="places",
    returns="chalicelib.schools.places.schemas:ProvinceList",
    errors=(404,),
)
def provinces(call: Call) -> Response:
    from chalicelib.schools.places.rules import index
    from chalicelib.schools.places.schemas import PlaceName, Province, ProvinceList

    code = call.params["code"]
    places = index()
    region = places.of_kind(code, "region") if REGION.match(code) else None
    if region is None:
        raise ApiError(404, "not_found")
    items = [
        Province(**places.places[c].names(), type=places.places[c].type or "province")
        for c in places.provinces_of.get(code, [])
    ]
    return _cached(ProvinceList(region=PlaceName(**region.names()), items=items))


@route(
    places_bp,
    "/v1/places/provinces/{code}/communes",
    "GET",
    summary="A province's communes, each city divided into arrondissements with them (a "
    "préfecture d'arrondissements lists its arrondissements)",
    tag="places",
    returns="chalicelib.schools.places.schemas:CommuneList",
    errors=(404,),
)
def communes(call: Call) -> Response:
    from chalicelib.schools.places.rules import index
    from chalicelib.schools.places.schemas import Commune, CommuneList, PlaceName

    code = call.params["code"]
    places = index()
    province = places.of_kind(code, "province") if PROVINCE.match(code) else None
    if province is None:
        raise ApiError(404, "not_found")
    items = []
    for child in places.communes_of.get(code, []):
        place = places.places[child]
        parts = places.arrondissements_of.get(child)
        items.append(
            Commune(
                **place.names(),
                kind=place.kind,
                type=place.type,
                arrondissements=[PlaceName(**places.places[a].names()) for a in parts]
                if parts
                else None,
            )
        )
    return _cached(CommuneList(province=PlaceName(**province.names()), items=items))
