"""The real API on 127.0.0.1 (granian, as Reflex serves it) for benchmarks/search.py."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from types import TracebackType

import httpx

from khs_crm.models import User
from khs_crm.services.auth.service import issue_access_token


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class HttpServer:
    """``khs_crm.api.create_api`` in a granian subprocess pointed at the benchmark database."""

    def __init__(self, url: str, user: User, *, workers: int = 1) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        token = issue_access_token(user, family_id=uuid.uuid4())
        self.headers = {"Authorization": f"Bearer {token}"}
        env = {
            **os.environ,
            "KHS_DATABASE_URL": url,
            "KHS_API_CALLS_PER_MINUTE": "100000000",
        }
        env.pop("KHS_REDIS_URL", None)
        granian = Path(sys.executable).parent / "granian"
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed in __exit__)
            "w+", prefix="khs-bench-server-", suffix=".log", delete=False
        )
        command = [
            str(granian),
            "--interface", "asgi", "--factory", "--host", "127.0.0.1",
            "--port", str(self.port), "--workers", str(workers),
            "--no-access-log", "--log-level", "warning",
            "khs_crm.api:create_api",
        ]  # fmt: skip
        self.process = subprocess.Popen(  # noqa: S603 (fixed command, our own app)
            command, env=env, stdout=self.log, stderr=subprocess.STDOUT
        )
        self.default = self.client()

    def client(self) -> httpx.Client:
        """A keep-alive client for one thread."""
        return httpx.Client(base_url=self.base, headers=self.headers, timeout=30)

    def __enter__(self) -> HttpServer:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if self.default.get("/api/health").status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        self.process.kill()
        raise RuntimeError("the API server did not start")

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        self.default.close()
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()

    def _get(self, path: str, params: dict, client: httpx.Client | None) -> int:
        response = (client or self.default).get(path, params=params)
        if response.status_code != 200:
            raise RuntimeError(f"{path} {params}: {response.text[:300]} (log: {self.log.name})")
        return response.json()["pagination"]["total"]

    def search(self, q: str, client: httpx.Client | None = None) -> int:
        """GET /api/customers/search; returns the match count."""
        return self._get("/api/customers/search", {"q": q, "pageSize": 25}, client)

    def list(self, page: int, client: httpx.Client | None = None) -> int:
        """GET /api/customers sorted by name; returns the total."""
        return self._get("/api/customers", {"page": page, "sort": "name"}, client)
