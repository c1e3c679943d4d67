"""A plain HTML form that really submits (``rx.el.form`` always prevents the default)."""

from __future__ import annotations

import reflex as rx
from reflex_components_core.el.elements.base import BaseHTML


class NativeForm(BaseHTML):
    """``<form action method>`` posted by the browser itself: works before any JS has run."""

    tag = "form"

    action: rx.Var[str]
    method: rx.Var[str]


native_form = NativeForm.create
