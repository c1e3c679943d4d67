"""The REST app for in-process tests, built once per configuration."""

from __future__ import annotations

import os

from fastapi import FastAPI

from khs_crm.api import create_api

_APPS: dict[tuple[tuple[str, str], ...], FastAPI] = {}
# Folders and the bucket are looked up when a file is stored or served (the storage is made
# then, ``get_storage``), never when the app is built.
READ_WHEN_USED = {"KHS_DATA_DIR", "KHS_UPLOADS_DIR", "KHS_S3_BUCKET"}


def api_app() -> FastAPI:
    """One app per configuration: building it costs more than most API tests themselves.

    The app reads its settings (limits, origins, Redis) when it is built, and those come only
    from the ``KHS_*`` environment, so an app built under the same variables is the same app.
    """
    key = tuple(
        sorted(
            (k, v)
            for k, v in os.environ.items()
            if k.startswith("KHS_") and k not in READ_WHEN_USED
        )
    )
    if key not in _APPS:
        _APPS[key] = create_api()
    return _APPS[key]
