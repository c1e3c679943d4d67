"""Structured logs, request ids and (optionally) Sentry.

Every log line under the ``khs_crm`` logger is one JSON object on stdout. Values whose key
names a secret (password, token, cookie, authorization, ...) are replaced, and strings that
look like bearer tokens or JWTs are masked, so a secret that slips into a message or an
``extra`` still never reaches the log.
"""

from __future__ import annotations

import contextvars
import importlib.util
import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import Any, cast

from starlette.types import ASGIApp, Message, Receive, Scope, Send

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "khs_request_id", default=None
)

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_SECRET_KEY = re.compile(
    r"pass(word|wd)?|secret|token|cookie|authori[sz]ation|session|csrf|api[_-]?key|dsn",
    re.I,
)
_SECRET_VALUE = re.compile(
    r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+"
    r"|eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+"
    r"|((?:__Host-)?khs_session=)[^;\s]+"
)
REDACTED = "[redacted]"
_RECORD_FIELDS = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}
_HANDLER_NAME = "khs-json"


def new_request_id() -> str:
    """A fresh request id (32 hex characters)."""
    return uuid.uuid4().hex


def accept_request_id(incoming: str | None) -> str:
    """The caller's X-Request-ID when it is short and plain; a new id otherwise."""
    if incoming and _REQUEST_ID.fullmatch(incoming):
        return incoming
    return new_request_id()


def mask(text: str) -> str:
    """Hide bearer tokens, JWTs and session cookies inside free text."""

    def _sub(match: re.Match[str]) -> str:
        prefix = match.group(1) or match.group(2) or ""
        return prefix + REDACTED

    return _SECRET_VALUE.sub(_sub, text)


def scrub(value: Any, key: str = "") -> Any:
    """Return ``value`` with every secret-named key and secret-looking string redacted."""
    if key and _SECRET_KEY.search(key):
        return REDACTED
    if isinstance(value, dict):
        return {k: scrub(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [scrub(v) for v in value]
    if isinstance(value, str):
        return mask(value)
    if value is None or isinstance(value, bool | int | float):
        return value
    return mask(str(value))


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, request id and extras.

    The keys match Reflex's own JSON records (REFLEX_LOG_JSON=true), whose output supervisor
    then passes these lines through unchanged: the whole process speaks one format.
    """

    def format(self, record: logging.LogRecord) -> str:
        created = datetime.fromtimestamp(record.created, tz=UTC)
        payload: dict[str, Any] = {
            "timestamp": created.isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = request_id_var.get()
        if request_id:
            payload["request_id"] = request_id
        for name, value in vars(record).items():
            if name not in _RECORD_FIELDS and not name.startswith("_"):
                payload[name] = value
        if record.exc_info:
            payload["exc_type"] = record.exc_info[0].__name__ if record.exc_info[0] else None
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(scrub(payload), default=str, separators=(",", ":"))


def configure_logging(level: int = logging.INFO, stream: Any = None) -> logging.Handler:
    """Send the ``khs_crm`` loggers to ``stream`` (stdout) as JSON; safe to call repeatedly."""
    logger = logging.getLogger("khs_crm")
    for handler in logger.handlers:
        if handler.get_name() == _HANDLER_NAME:
            return handler
    handler = logging.StreamHandler(stream or sys.stdout)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(JsonFormatter())
    logger.addHandler(handler)
    logger.setLevel(level)
    return handler


access_log = logging.getLogger("khs_crm.access")
security_log = logging.getLogger("khs_crm.security")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return None


# Path parameters that are secrets in their own right (a calendar feed's token, a customer's
# estimate, invoice or change-order link): the access log shows them as [redacted].
SECRET_PATH_PARAMS = frozenset({"token"})
# The same secrets by the path's shape, for a request no token route matched (a trailing
# slash's redirect, a wrong method, an extra segment). deploy/nginx.conf redacts these too.
_SECRET_SEGMENT = re.compile(
    r"^(/[eic]/|/api/public/[^/]+/|/api/calendar/(?!links(?:/|$)))[^/]+?(\.ics)?(?=/|$)"
)


def logged_path(scope: Scope) -> str:
    """The request path with secret path parameters redacted."""
    path = scope.get("path", "")
    for name, value in (scope.get("path_params") or {}).items():
        if name in SECRET_PATH_PARAMS and value:
            path = path.replace(str(value), REDACTED)
    return _SECRET_SEGMENT.sub(lambda m: m[1] + REDACTED + (m[2] or ""), path)


def route_template(scope: Scope) -> str | None:
    """The matched route with its parameters as ``{name}`` (``/api/jobs/{job_id}``)."""
    if "route" not in scope and "endpoint" not in scope:
        return None
    route = scope.get("path", "")
    params = scope.get("path_params") or {}
    for name, value in sorted(params.items(), key=lambda item: -len(str(item[1]))):
        text = str(value).strip("/")
        head, found, tail = route.rpartition("/" + text)
        if text and found:
            route = f"{head}/{{{name}}}{tail}"
    return route


class RequestContextMiddleware:
    """Give each request an id, echo it as X-Request-ID and log one JSON line per request.

    The id (a sane incoming X-Request-ID, else a new one) replaces the incoming header in the
    scope, so every handler below, the 500 envelope included, reads the same id. The line
    carries method, route, path (never the query string), status, duration, user id and the
    peer address; never headers, cookies or bodies. A 403 is also a security event.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        request_id = accept_request_id(_header(scope, b"x-request-id"))
        scope["headers"] = [
            *((k, v) for k, v in scope.get("headers", ()) if k != b"x-request-id"),
            (b"x-request-id", request_id.encode()),
        ]
        scope.setdefault("state", {})["request_id"] = request_id
        token = request_id_var.set(request_id)
        try:
            if scope["type"] == "http":
                await self._http(scope, receive, send, request_id)
            else:
                await self.app(scope, receive, send)
        finally:
            request_id_var.reset(token)

    async def _http(self, scope: Scope, receive: Receive, send: Send, request_id: str) -> None:
        started = time.perf_counter()
        sent = {"status": 0, "complete": False}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                sent["status"] = message["status"]
                message["headers"] = [
                    *message.get("headers", ()),
                    (b"x-request-id", request_id.encode()),
                ]
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                sent["complete"] = True
            await send(message)

        failed = False
        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            failed = True
            # The 500 envelope has gone out and the error is logged with this request id:
            # re-raising would only make the server print the traceback a second time.
            if not sent["complete"]:
                raise
        finally:
            # no answer at all: 500 after an error, else the client went away (nginx's 499)
            self._log(scope, sent["status"] or (500 if failed else 499), started)

    @staticmethod
    def _log(scope: Scope, status: int, started: float) -> None:
        client = scope.get("client")
        fields = {
            "method": scope.get("method"),
            "route": route_template(scope),
            "path": logged_path(scope),
            "status": status,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            "user_id": (scope.get("state") or {}).get("user_id"),
            "ip": client[0] if client else None,
        }
        forwarded = _header(scope, b"x-forwarded-for")
        if forwarded:
            fields["forwarded_for"] = forwarded.split(",")[-1].strip()
        level = logging.ERROR if status >= 500 else logging.INFO
        access_log.log(level, "request", extra=fields)
        if status == 403:
            security_log.warning("forbidden", extra=fields)


_PERSONAL = re.compile(
    r"[\w.+-]+@[\w-]+\.[\w.-]+"  # email addresses
    r"|\+?\d[\d ().-]{6,}\d"  # phone-like runs of digits
)


def anonymise(text: str) -> str:
    """``mask`` plus email addresses and phone-like numbers (client reports, Sentry)."""
    return _PERSONAL.sub(REDACTED, mask(text))


def _clean_frames(event: dict[str, Any]) -> None:
    for exception in (event.get("exception") or {}).get("values") or []:
        if exception.get("value"):  # may quote anything (a row's values): the log has it
            exception["value"] = REDACTED
        for frame in (exception.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)  # local variables hold bodies, customers, passwords
    for thread in (event.get("threads") or {}).get("values") or []:
        for frame in (thread.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)


def _before_send(event: dict[str, Any], _hint: dict[str, Any]) -> dict[str, Any]:
    """What leaves for Sentry: no request body, cookies, query string, user, local variables,
    exception messages or breadcrumb data (the request id tag finds them in the server's own
    log); secret-named values, tokens, emails and phone numbers redacted."""
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("cookies", "data", "query_string", "env"):
            request.pop(key, None)
        request["headers"] = scrub(request.get("headers") or {})
    event.pop("user", None)
    _clean_frames(event)
    crumbs = (event.get("breadcrumbs") or {}).get("values") or []
    for crumb in crumbs:
        crumb.pop("data", None)
        if crumb.get("message"):
            crumb["message"] = anonymise(str(crumb["message"]))
    entry = event.get("logentry")
    if isinstance(entry, dict):  # the message template stays; the values put into it go
        entry.pop("params", None)
        entry.pop("formatted", None)
    request_id = request_id_var.get()
    if request_id:  # finds the full message and traceback in the server's JSON log
        event.setdefault("tags", {})["request_id"] = request_id
    return scrub(event)


def init_sentry(dsn: str, environment: str) -> bool:
    """Start Sentry when a DSN is configured and ``sentry_sdk`` is installed.

    Personal data stays out: no default PII, no local variables, request bodies or cookies;
    ``_before_send`` drops or redacts the rest before an event leaves the process.
    """
    if not dsn or importlib.util.find_spec("sentry_sdk") is None:
        return False
    import sentry_sdk

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        traces_sample_rate=0.0,
        before_send=cast(Any, _before_send),  # sentry's Event is a TypedDict of this dict
    )
    return True


def report_client_error(report: dict[str, Any]) -> bool:
    """Forward an error the field app reported to Sentry (when it is running): anonymised,
    tagged ``source: field-app``. Returns whether it was sent."""
    if importlib.util.find_spec("sentry_sdk") is None:
        return False
    import sentry_sdk

    if not sentry_sdk.get_client().is_active():
        return False
    event = {
        "level": "error",
        "logger": "khs_crm.client",
        "platform": "javascript",
        "message": anonymise(report.get("message", "")),
        "tags": {"source": "field-app", "kind": report.get("kind"), "page": report.get("page")},
        "extra": {k: anonymise(str(v)) for k, v in report.items() if k not in ("message",)},
    }
    sentry_sdk.capture_event(cast(Any, event))
    return True
