"""The field screens' own words, in the phone's language, switched without a reload.

Reflex compiles a screen's literal text into the page, so a field screen says its words
through ``t("Sign out")``: a JS expression reading the message from the ``khsWords`` client
state, which the field app (assets/khs_app.js) fills with the person's language's catalog
(``/i18n/<lang>.json``, precached) and empties for English, the source language: a message
missing there is its own English text. ``scripts/i18n`` extracts every ``t("...")`` into the
catalogs, so each one has its Spanish (tests/unit/test_i18n.py).
"""

from __future__ import annotations

import json

from reflex_base.vars.base import Var

from khs_crm.offline.views import obj


def t(message: str) -> Var:
    """``message`` in the phone's language (a string Var; English until the catalog is in)."""
    found = obj("words")[message]
    return Var(
        _js_expr=f"({found} ?? {json.dumps(message)})",
        _var_type=str,
        _var_data=found._get_all_var_data(),
    )
