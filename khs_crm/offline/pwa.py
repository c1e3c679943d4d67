"""What every page's <head> carries for the installable app."""

from __future__ import annotations

import reflex as rx


def head_components() -> list[rx.Component]:
    """Theme colour (manifest, icons and the service worker join here)."""
    return [rx.el.meta(name="theme-color", content="#b45309")]
