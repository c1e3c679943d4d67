"""An in-process HTTP client for the REST app that runs the app in the test's own thread.

Starlette's ``TestClient`` runs the app on an event loop in a second thread and hands every
ASGI message across (a lock, a socket wake-up and a future each time): about 4 ms of CPU a
request, several times what most of the app's answers cost (BENCHMARKS.md). This client
sends the same requests through httpx to the same app, but runs the app on an event loop it
owns in the calling thread, one request at a time, so nothing crosses threads but what the
app itself sends to its thread pool (sync endpoints and dependencies, as under a server).

What a test sees is what ``TestClient`` gives it: the base URL ``http://testserver``, the
client address ``testclient:50000``, the ``testclient`` user agent, cookies kept by httpx,
redirects followed, the app's lifespan run on entering and leaving, and with
``raise_server_exceptions=False`` an exception the app lets out answered as a bare 500.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import httpx

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[MutableMapping[str, Any], Receive, Send], Awaitable[None]]
CLIENT = ("testclient", 50000)
DEFAULT_PORTS = {"http": 80, "https": 443}


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


class _InThread(httpx.BaseTransport):
    """Each request is one run of the app on ``loop``, its body read whole before it returns.
    A request from another thread (a test sending two at once) runs on a loop of its own."""

    def __init__(self, app: App, loop: asyncio.AbstractEventLoop, raise_errors: bool) -> None:
        self.app = app
        self.loop = loop
        self.owner = threading.get_ident()
        self.raise_errors = raise_errors

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if _loop_running():
            raise RuntimeError("AppClient cannot run inside a running event loop")
        if threading.get_ident() == self.owner:
            return self.loop.run_until_complete(self._send(request))
        loop = asyncio.new_event_loop()
        try:
            return loop.run_until_complete(self._send(request))
        finally:
            loop.close()

    async def _send(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": request.method,
            "scheme": url.scheme,
            "path": url.path,
            "raw_path": url.raw_path.split(b"?", 1)[0],
            "query_string": url.query,
            "root_path": "",
            "headers": [(name.lower(), value) for name, value in request.headers.raw],
            "client": CLIENT,
            "server": (url.host, url.port or DEFAULT_PORTS.get(url.scheme, 80)),
        }
        body = request.read()  # the whole body, as the app's first receive() gets it
        sent_body = False
        done = asyncio.Event()
        status: int | None = None
        headers: list[tuple[bytes, bytes]] = []
        parts: list[bytes] = []

        async def receive() -> Message:
            nonlocal sent_body
            if sent_body:
                await done.wait()
                return {"type": "http.disconnect"}
            sent_body = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: Message) -> None:
            nonlocal status, headers
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                if request.method != "HEAD":
                    parts.append(message.get("body", b""))
                if not message.get("more_body", False):
                    done.set()

        try:
            await self.app(scope, receive, send)
        except Exception:
            if self.raise_errors:
                raise
            if status is None:
                status, headers, parts = 500, [], []
        done.set()
        if status is None:
            raise RuntimeError(f"the app sent no response to {request.method} {url.path}")
        return httpx.Response(status, headers=headers, stream=httpx.ByteStream(b"".join(parts)))


class AppClient(httpx.Client):
    """``with AppClient(app) as client:`` as ``with TestClient(app) as client:``."""

    def __init__(
        self,
        app: App,
        base_url: str = "http://testserver",
        raise_server_exceptions: bool = True,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.app = app
        self._loop = asyncio.new_event_loop()
        self._lifespan: _Lifespan | None = None
        super().__init__(
            transport=_InThread(app, self._loop, raise_server_exceptions),
            base_url=base_url,
            headers={"user-agent": "testclient", **(headers or {})},
            follow_redirects=True,
        )

    def __enter__(self) -> AppClient:
        super().__enter__()
        self._lifespan = _Lifespan(self.app, self._loop)
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if self._lifespan is not None:
                self._lifespan.stop()
        finally:
            super().__exit__(*exc)
            self._loop.close()

    def close(self) -> None:
        """Without ``with``, as ``TestClient``, the lifespan is not run; this ends the loop."""
        super().close()
        if not self._loop.is_closed():
            self._loop.close()


class _Lifespan:
    """The app's lifespan on ``loop``: started at once, waiting between requests, stopped."""

    def __init__(self, app: App, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.to_app: asyncio.Queue[Message] = asyncio.Queue()
        self.from_app: asyncio.Queue[Message] = asyncio.Queue()
        scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
        self.task = loop.create_task(app(scope, self.to_app.get, self.from_app.put))
        self._step("lifespan.startup")

    def stop(self) -> None:
        self._step("lifespan.shutdown")
        self.loop.run_until_complete(self.task)

    def _step(self, kind: str) -> None:
        self.to_app.put_nowait({"type": kind})
        answer = self.loop.run_until_complete(self._answer())
        if answer["type"].endswith(".failed"):
            raise RuntimeError(f"{kind} failed: {answer.get('message', '')}")

    async def _answer(self) -> Message:
        getting = asyncio.ensure_future(self.from_app.get())
        finished, _ = await asyncio.wait({getting, self.task}, return_when=asyncio.FIRST_COMPLETED)
        if getting in finished:
            return getting.result()
        getting.cancel()
        self.task.result()  # the lifespan ended without answering: its error, if any
        raise RuntimeError("the app's lifespan ended without answering")
