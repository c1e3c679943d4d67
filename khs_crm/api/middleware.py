"""ASGI middleware around the whole app (API and Reflex pages)."""

from __future__ import annotations

from fastapi import FastAPI


def install(api: FastAPI) -> None:
    """Add the app-wide middleware (security headers, logging, limits) to ``api``."""
