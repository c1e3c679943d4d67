"""A job's photos for the office: thumbnail grid, full-size links, delete with confirmation,
and a before/after view. Plain ``rx.el`` elements styled by ``assets/khs.css``.

The page's state supplies the data; the builder only draws it. Each photo is a dict shaped
like the API's photo JSON (``id``, ``caption``, ``tag``, ``fileUrl``, ``thumbnailUrl``) plus
an optional display string ``takenText``. ``pair_before_after`` (plain Python, for the
state) turns the list into before/after pairs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx
from reflex_base.vars.base import Var

from khs_crm.components.ui import dialog, empty_state
from khs_crm.i18n import N_
from khs_crm.office.job_page import PHOTO_TAG_LABELS as TAG_LABELS


def pair_before_after(photos: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pair the n-th "before" photo with the n-th "after" one, in the order given.

    Returns ``[{"before": photo | None, "after": photo | None}, ...]``; a side without a
    partner is None (shown as "no photo yet").
    """
    before = [p for p in photos if p.get("tag") == "before"]
    after = [p for p in photos if p.get("tag") == "after"]
    count = max(len(before), len(after))
    return [
        {
            "before": before[i] if i < len(before) else None,
            "after": after[i] if i < len(after) else None,
        }
        for i in range(count)
    ]


def _label(photo: Var) -> Var:
    caption = photo["caption"].to(str)
    return rx.cond(caption != "", caption, N_("Job photo"))


def _picture(photo: Var) -> rx.Component:
    return rx.cond(
        photo["thumbnailUrl"],
        rx.el.img(
            src=photo["thumbnailUrl"].to(str),
            alt=_label(photo),
            loading="lazy",
            decoding="async",
            class_name="photo-thumb",
        ),
        rx.el.div(N_("Preview on its way"), class_name="photo-thumb photo-thumb-pending"),
    )


def _tag(photo: Var) -> rx.Component:
    tag = photo["tag"].to(str)
    return rx.el.span(
        rx.match(tag, *TAG_LABELS.items(), tag), class_name="photo-tag photo-tag-" + tag
    )


def _full_size(photo: Var) -> rx.Component:
    return rx.el.a(
        N_("Open full size"),
        href=photo["fileUrl"].to(str),
        target="_blank",
        rel="noopener noreferrer",
        aria_label=N_("Open full size: ") + _label(photo),
        class_name="btn btn-link",
    )


def _card(photo: Var, on_ask_delete: Callable[[Var], Any] | None) -> rx.Component:
    actions = [_full_size(photo)]
    if on_ask_delete is not None:
        actions.append(
            rx.el.button(
                N_("Delete"),
                type="button",
                aria_label=N_("Delete photo: ") + _label(photo),
                on_click=on_ask_delete(photo["id"]),
                class_name="btn btn-link photo-delete",
            )
        )
    return rx.el.li(
        rx.el.figure(
            _picture(photo),
            rx.el.figcaption(
                rx.el.span(photo["caption"].to(str), class_name="photo-caption"),
                rx.el.span(_tag(photo), rx.el.span(photo["takenText"], class_name="muted")),
                class_name="photo-meta",
            ),
            class_name="photo-figure",
        ),
        rx.el.div(*actions, class_name="photo-actions"),
        class_name="photo-card",
    )


def _side(pair: Var, side: str) -> rx.Component:
    photo = pair[side].to(dict)
    return rx.el.figure(
        rx.cond(
            photo,
            rx.el.a(
                _picture(photo),
                href=photo["fileUrl"].to(str),
                target="_blank",
                rel="noopener noreferrer",
                aria_label=f"{TAG_LABELS[side]}: " + _label(photo),
            ),
            rx.el.div(N_("No photo yet"), class_name="photo-thumb photo-thumb-pending"),
        ),
        rx.el.figcaption(TAG_LABELS[side], class_name="photo-pair-label"),
        class_name="photo-pair-side",
    )


def before_after(pairs: Var) -> rx.Component:
    """Before and after photos side by side, one row per pair."""
    return rx.el.section(
        rx.el.h3(N_("Before and after")),
        rx.el.ul(
            rx.foreach(
                pairs.to(list[dict]),
                lambda pair: rx.el.li(
                    _side(pair, "before"), _side(pair, "after"), class_name="photo-pair"
                ),
            ),
            class_name="photo-pairs",
        ),
        aria_label=N_("Before and after"),
    )


def photo_gallery(
    photos: Var,
    *,
    confirm_id: Var | None = None,
    on_ask_delete: Callable[[Var], Any] | None = None,
    on_confirm_delete: Any = None,
    on_cancel_delete: Any = None,
    pairs: Var | None = None,
) -> rx.Component:
    """The grid of a job's photos; delete buttons only when ``on_ask_delete`` is given.

    ``on_ask_delete(id)`` should set ``confirm_id``; the dialog then asks before
    ``on_confirm_delete`` deletes it, or ``on_cancel_delete`` clears it.
    """
    items = photos.to(list[dict])
    parts: list[rx.Component] = [
        rx.cond(
            items.length() > 0,
            rx.el.ul(
                rx.foreach(items, lambda photo: _card(photo, on_ask_delete)),
                class_name="photo-grid",
            ),
            empty_state(
                N_(
                    "No photos yet. Crews add them from their phones; "
                    "the office uploads them above."
                )
            ),
        )
    ]
    if pairs is not None:
        parts.append(rx.cond(pairs.to(list[dict]).length() > 0, before_after(pairs)))
    if on_ask_delete is not None and confirm_id is not None:
        parts.append(_confirm(confirm_id, on_confirm_delete, on_cancel_delete))
    return rx.el.section(*parts, class_name="photo-gallery", aria_label=N_("Photos"))


def _confirm(confirm_id: Var, on_confirm: Any, on_cancel: Any) -> rx.Component:
    return dialog(
        N_("Delete this photo?"),
        rx.el.p(N_("The photo and its file are removed for everyone. This cannot be undone.")),
        rx.el.div(
            rx.el.button(
                N_("Delete photo"), type="button", on_click=on_confirm, class_name="btn btn-danger"
            ),
            rx.el.button(
                N_("Keep it"), type="button", on_click=on_cancel, class_name="btn btn-secondary"
            ),
            class_name="photo-actions",
        ),
        open=confirm_id.to(str) != "",
        on_close=on_cancel,
    )
