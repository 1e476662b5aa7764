"""The registrations dashboard: counts by status and scope, submissions per hour."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.accounts.rules import Role
from chalicelib.core.fields import query_params
from chalicelib.core.http import Call, route

dashboard_bp = Blueprint(__name__)


@route(
    dashboard_bp,
    "/v1/dashboard/registrations",
    "GET",
    summary="Registrations by status and submissions per hour: `?school_year=` (default: "
    "the open campaign), `?scope=national|academy:<code>|province:<code>|school:<code>`",
    tag="dashboard",
    returns="chalicelib.registration.dashboard.schemas:RegistrationDashboard",
    signed_in=True,
    errors=(403, 404, 422),
)
def registration_dashboard(call: Call) -> dict[str, Any]:
    from chalicelib.registration.dashboard import service as dashboard

    actor = call.require(Role.OPS, Role.STAFF)
    params = query_params(call.request)
    board = dashboard.registrations(actor, params.get("school_year"), params.get("scope"))
    return _named_scopes(board)


def _named_scopes(board: dict[str, Any]) -> dict[str, Any]:
    """An academy's or a province's Arabic and French names beside its code (API.md); a
    school's row stays its code (the counters hold no school names, and reading the schools
    would cost a read per row)."""
    from chalicelib.schools.places.rules import names_of

    def named(row: dict[str, Any]) -> dict[str, Any]:
        kind, _, code = str(row["scope"]).partition(":")
        names = names_of(code) if kind in ("academy", "province") else None
        if names is None:
            return row
        return {**row, "name_ar": names["name_ar"], "name_fr": names["name_fr"]}

    return {**named(board), "breakdown": [named(row) for row in board["breakdown"]]}
