"""405 answers for the methods a path does not have (built once every route is declared)."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.handlers import (  # noqa: F401 - importing them declares their operations
    absences,
    accounts,
    appointments,
    auth,
    campaigns,
    guardians,
    health,
    issuance,
    marks,
    messages,
    notifications,
    registrations,
    school_classes,
    schools,
    staff,
)
from chalicelib.handlers.http import operations_by_path, register_method_fallbacks

fallbacks_bp = Blueprint(__name__)
register_method_fallbacks(fallbacks_bp, operations_by_path())
