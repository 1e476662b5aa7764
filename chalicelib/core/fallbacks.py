"""405 answers for the methods a path does not have (built once every route is declared)."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib.core.http import operations_by_path, register_method_fallbacks
from chalicelib.features import FEATURES  # noqa: F401 - importing it declares every route

fallbacks_bp = Blueprint(__name__)
register_method_fallbacks(fallbacks_bp, operations_by_path())
