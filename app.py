"""The Chalice app: registers the features (`chalicelib/features.py`) and their fallbacks."""

from chalice import Chalice

from chalicelib.core.fallbacks import fallbacks_bp
from chalicelib.core.http import request_id_middleware
from chalicelib.features import FEATURES

app = Chalice(app_name="massar")
app.register_middleware(request_id_middleware, "http")
for blueprint in (*FEATURES, fallbacks_bp):
    app.register_blueprint(blueprint)
