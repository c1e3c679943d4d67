"""What every page's <head> carries for the installable, offline-first app.

The manifest and icons, one module script (``assets/khs_page.js``: the device glue every
page needs, and on the field app's pages the field app, ``assets/khs_app.js``, whose
``import``s bring in the IndexedDB store, views and sync loop; the sign-in and office pages
do not load those; a module runs once the page is parsed, as ``defer`` would) and one JSON
block of settings the scripts need: the company's time zone, the service worker's
URL and the rules the field app applies offline, each generated from its Python definition
and never copied by hand: the job workflow table, status labels and which statuses are
closed or upcoming (``services.jobs.workflow``), the office roles (``services.core.access``),
photo tags and their labels (``services.photos.service``), and the input limits of the
materials and photos a phone may queue, with the words for them (``office.limits``).
"""

from __future__ import annotations

import json
from typing import Any

import reflex as rx
from pydantic import BaseModel

from khs_crm.i18n import DEFAULT_LANGUAGE, LANGUAGES
from khs_crm.office.job_page import DEFAULT_PHOTO_TAG
from khs_crm.office.limits import input_rules
from khs_crm.services.core.access import OFFICE_ROLES
from khs_crm.services.jobs.materials import MaterialChanges, MaterialCreate
from khs_crm.services.jobs.workflow import CLOSED, LABELS, UPCOMING, WORKFLOW
from khs_crm.services.photos.images import MAX_PHOTO_BYTES
from khs_crm.services.photos.service import PHOTO_TAGS, PhotoMeta
from khs_crm.settings import get_settings

THEME_COLOUR = "#b45309"
SW_URL = "/api/pwa/sw.js"
# The entry module; the files it imports are found by the browser (and precached by the
# service worker with every other file of the build: khs_crm/api/pwa.py).
APP_MODULE = "/khs_page.js"
# The field app's modules (what /khs_app.js imports, at any depth): a field page asks for
# them all at once (<link rel="modulepreload">, offline/shell.py) instead of one import level
# after another; tests/unit/test_pwa.py keeps this list equal to the import graph.
FIELD_MODULES = (
    "/khs_app.js",
    "/khs_start.js",
    "/khs_edits.js",
    "/khs_photos.js",
    "/khs_store.js",
    "/khs_views.js",
    "/khs_views_jobs.js",
    "/khs_views_job_page.js",
    "/khs_views_change_order.js",
    "/khs_views_sync.js",
    "/khs_views_clock.js",
    "/khs_sync.js",
    "/khs_db.js",
    "/khs_i18n.js",
    "/khs_device.js",
    "/khs_vitals.js",
    "/khs_signing.js",
    "/khs_clock.js",
    "/khs_change_order.js",
    "/khs_first_paint.js",
)
# What a cold start of the Today screen needs to paint the jobs before React and the rest of
# the field app (khs_crm/first_paint.py preloads these there; tests/unit/test_pwa.py keeps
# the list equal to the import graph of khs_first_paint.js and the entry module).
FIRST_PAINT_MODULES = (
    APP_MODULE,
    "/khs_device.js",
    "/khs_db.js",
    "/khs_i18n.js",
    "/khs_first_paint.js",
    "/khs_sync.js",
    *(module for module in FIELD_MODULES if module.startswith("/khs_views")),
)


def workflow_table() -> dict[str, dict[str, list[str]]]:
    """The workflow as JSON: for each status, the moves office staff and workers may make."""
    return {
        status.value: {"office": [s.value for s in office], "worker": [s.value for s in worker]}
        for status, (office, worker) in WORKFLOW.items()
    }


def _rules(model: type[BaseModel]) -> dict[str, dict[str, Any]]:
    """A model's input rules with their words in English (``bounds``, ``empty``) and, under
    ``words``, in each other language, so the phone says them in its person's language."""
    rules = input_rules(model)
    for language in LANGUAGES:
        if language == DEFAULT_LANGUAGE:
            continue
        for name, said in input_rules(model, language).items():
            words = {key: said[key] for key in ("bounds", "empty") if key in said}
            rules[name].setdefault("words", {})[language] = words
    return rules


def limits() -> dict[str, dict[str, Any]]:
    """What a phone checks before it queues an edit, per entity and action (create/update):
    each field's bounds from the service's input model, with the words for a refused value."""
    return {
        "material": {"create": _rules(MaterialCreate), "update": _rules(MaterialChanges)},
        "photo": {"create": _rules(PhotoMeta)},
    }


def client_config() -> dict[str, Any]:
    """Settings the browser-side scripts read from ``<script id="khs-config">``."""
    return {
        "timezone": get_settings().timezone,
        "workflow": workflow_table(),
        "labels": {status.value: label for status, label in LABELS.items()},
        "closed": [status.value for status in CLOSED],
        "upcoming": [status.value for status in UPCOMING],
        "officeRoles": [role.value for role in OFFICE_ROLES],
        "photoTags": {tag.value: label for tag, label in PHOTO_TAGS.items()},
        "photoTag": DEFAULT_PHOTO_TAG,
        "limits": limits(),
        "swUrl": SW_URL,
        "maxPhotoBytes": MAX_PHOTO_BYTES,
    }


def config_json() -> str:
    """The config as JSON that is safe inside a <script> element."""
    return json.dumps(client_config(), separators=(",", ":")).replace("<", "\\u003c")


def head_components() -> list[rx.Component]:
    """Manifest, icons, theme colour, the config block and the field app's entry module."""
    return [
        rx.el.meta(name="theme-color", content=THEME_COLOUR),
        rx.el.link(rel="manifest", href="/manifest.webmanifest"),
        rx.el.link(rel="icon", href="/icons/icon-192.png", type="image/png", sizes="192x192"),
        rx.el.link(rel="apple-touch-icon", href="/icons/apple-touch-icon.png"),
        rx.el.script(config_json(), id="khs-config", type="application/json"),
        rx.el.script(src=APP_MODULE, type="module"),
    ]
