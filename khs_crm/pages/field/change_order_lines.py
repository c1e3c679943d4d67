"""The fields of one change-order line (what, how much, which kind), shared by the form that
writes a change order up on the job page and the one that adds lines to it."""

from __future__ import annotations

import reflex as rx

from khs_crm.components.ui import field, select, text_input
from khs_crm.offline.words import t

# What a line is: the office prices labor, material and other work differently.
KINDS = (("labor", t("Labor")), ("material", t("Material")), ("other", t("Other")))


def line_fields() -> list[rx.Component]:
    return [
        field(t("Work or material"), text_input("lineDescription", id="co-line-description")),
        rx.el.div(
            field(t("Quantity"), text_input("quantity", id="co-quantity", input_mode="decimal")),
            field(t("Unit"), text_input("unit", id="co-unit")),
            class_name="form-row",
        ),
        field(t("Kind"), select("kind", list(KINDS), id="co-kind")),
    ]
