"""HTTP front of the local run: the Chalice app through its local gateway, plus `/dev/*`.

Gateway-level refusals are answered in the API's error envelope, as the CDK stack
configures API Gateway's gateway responses to do (infra/stack.py).
"""

from __future__ import annotations

import json
from typing import Any

from chalice import Chalice
from chalice.config import Config
from chalice.local import (
    ChaliceRequestHandler,
    LocalGatewayException,
    NotAuthorizedError,
    RouteMatcher,
    ThreadedHTTPServer,
)

from chalicelib.core.error_texts import language_of
from chalicelib.core.http import error_body
from devserver import web

# The body of a request answered 405 is read (to keep the connection) up to this size.
MAX_IGNORED_BODY_BYTES = 1 << 20


def gateway_error(error: LocalGatewayException) -> tuple[int, str]:
    if isinstance(error, NotAuthorizedError):
        return 401, "not_signed_in"
    if b"Missing Authentication Token" in (error.body or b""):
        return 404, "not_found"
    return 403, "forbidden"


class DevRequestHandler(ChaliceRequestHandler):
    def __init__(
        self, request: Any, client_address: Any, server: Any, app_object: Chalice, config: Config
    ) -> None:
        self.app_object = app_object  # before the base class, which handles the request
        super().__init__(request, client_address, server, app_object=app_object, config=config)

    def __getattr__(self, name: str) -> Any:
        # http.server answers a method it has no `do_` method for (TRACE, CONNECT, any word)
        # with 501 in HTML; the API has no such method on any resource: 405 in its envelope.
        if name.startswith("do_"):
            return self._method_not_allowed
        raise AttributeError(name)

    def _allowed_methods(self, path: str) -> str | None:
        """The methods `path` answers (None: no such resource)."""
        if path == "/dev/outbox" or path.startswith(web.FILES_PATH):
            return "GET"
        if path == web.UPLOAD_PATH:
            return "POST"
        if web.is_static(path):
            return "GET, HEAD"
        routes = self.app_object.routes
        try:
            matched = RouteMatcher(list(routes)).match_route(path)
        except ValueError:
            return None
        entries = routes[matched.route]
        return ", ".join(
            sorted(m for m, e in entries.items() if e.view_name != "method_not_allowed")
        )

    def _method_not_allowed(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        if length > MAX_IGNORED_BODY_BYTES:
            self.close_connection = True  # not worth reading to keep the connection
        elif length:
            self.rfile.read(length)
        language = language_of(self.headers.get("accept-language"))
        allow = self._allowed_methods(self.path.split("?")[0])
        if allow is None:
            self._send_json(404, error_body("not_found", language))
            return
        self._send_json(405, error_body("method_not_allowed", language), {"Allow": allow})

    def _send_json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _generic_handle(self) -> None:
        path = self.path.split("?")[0]
        if path == "/dev/outbox" and self.command == "GET":
            from devserver import outbox

            if not outbox.readable():  # an empty list would read as "nothing was sent"
                self._send_json(503, {"error": {"code": "outbox_off", "message": outbox.OFF_NOTE}})
                return
            self._send_json(200, {"messages": outbox.sent_messages()})
            return
        if path == web.UPLOAD_PATH and self.command == "POST":
            self._receive_upload()
            return
        if path.startswith(web.FILES_PATH) and self.command == "GET":
            self._send_stored(path)
            return
        if web.is_static(path) and self.command in ("GET", "HEAD"):
            self._send_static(path)
            return
        super()._generic_handle()

    def _send_static(self, path: str) -> None:
        found = web.static_file(path)
        if found is None:
            self._send_json(404, error_body("not_found", language_of(None)))
            return
        not_modified = self.headers.get("if-none-match") == found.etag
        gzipped = found.gzipped is not None and "gzip" in self.headers.get("accept-encoding", "")
        body = found.gzipped if gzipped and found.gzipped is not None else found.body
        self.send_response(304 if not_modified else 200)
        self.send_header("Content-Type", found.content_type)
        self.send_header("Cache-Control", "no-cache")  # revalidate: an ETag answer is 304
        self.send_header("ETag", found.etag)
        self.send_header("Vary", "Accept-Encoding")
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
        for name, value in web.security_headers().items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0" if not_modified else str(len(body)))
        self.end_headers()
        if self.command == "GET" and not not_modified:
            self.wfile.write(body)

    def _send_stored(self, path: str) -> None:
        found = web.stored_file(path)
        if found is None:
            self._send_json(404, error_body("not_found", language_of(None)))
            return
        body, content_type = found
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "private, no-store")
        self.end_headers()
        self.wfile.write(body)

    def _receive_upload(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length)
        try:
            web.store_upload(self.headers.get("content-type", ""), body)
        except web.UploadRefused as refused:
            self._send_json(400, {"error": {"code": "upload_refused", "message": str(refused)}})
            return
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = do_PATCH = do_OPTIONS = _generic_handle

    def _send_error_response(self, error: LocalGatewayException) -> None:
        status, code = gateway_error(error)
        language = language_of(self.headers.get("accept-language"))
        request_id = (error.headers or {}).get("x-amzn-RequestId", "local")
        self._send_json(status, error_body(code, language), {"X-Request-Id": request_id})

    def log_message(self, format: str, *args: Any) -> None:
        pass  # request lines would carry query strings (tracking codes): the app logs instead


def make_server(app: Chalice, host: str, port: int) -> ThreadedHTTPServer:
    config = Config.create(chalice_stage="dev", app_name="massar", lambda_timeout=10)

    def handler(request: Any, client_address: Any, server: Any) -> DevRequestHandler:
        return DevRequestHandler(request, client_address, server, app_object=app, config=config)

    ThreadedHTTPServer.allow_reuse_address = True
    return ThreadedHTTPServer((host, port), handler)
