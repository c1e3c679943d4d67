"""/field/job?id=… : one job: details, status, materials checklist, notes, photos. Works
offline: a photo is kept on the phone and uploads when there is signal."""

from __future__ import annotations

import reflex as rx
from reflex_base.vars.base import Var

from khs_crm.components.ui import empty_state, field, select, text_input
from khs_crm.office.job_page import CAPTION_MAX_LENGTH, DEFAULT_PHOTO_TAG, PHOTO_TAG_LABELS
from khs_crm.offline.shell import local_shell, once_bound
from khs_crm.offline.views import bind, items, khs_call, obj
from khs_crm.offline.views import field as view
from khs_crm.offline.words import t
from khs_crm.pages.field.cards import contact_links, pending_tag, tag
from khs_crm.pages.field.change_order_lines import line_fields
from khs_crm.services.photos.images import CONTENT_TYPES


def _form(action: str, *children: rx.Component, label: Var, **props) -> rx.Component:
    """A form whose values go to ``window.khs.<action>(jobId, values)``, then it resets
    (unless ``reset_on_submit=False``: the JS then clears it once the values are taken)."""
    props.setdefault("reset_on_submit", True)
    return rx.el.form(
        *children,
        on_submit=khs_call(action, view("job", "id"), Var("values"), params=("values",)),
        aria_label=label,
        class_name="field-form",
        **props,
    )


def _details() -> rx.Component:
    return rx.el.section(
        rx.el.div(view("job", "customerName"), " · ", view("job", "when"), class_name="job-sub"),
        contact_links(obj("job")),
        rx.el.p(view("job", "description"), class_name="job-description"),
        class_name="card",
    )


def _move(move: Var) -> rx.Component:
    return rx.el.button(
        move["label"],
        type="button",
        aria_label=move["ariaLabel"],
        on_click=khs_call("setStatus", view("job", "id"), move["value"]),
        class_name="btn btn-primary",
    )


def _confirm() -> rx.Component:
    """The question a move that closes the job asks before it is made."""
    return rx.el.div(
        rx.el.p(view("job", "confirmText"), class_name="confirm-text"),
        rx.el.div(
            rx.el.button(
                view("job", "confirmLabel"),
                type="button",
                on_click=khs_call("confirmStatus"),
                class_name="btn btn-primary",
            ),
            rx.el.button(
                t("Not yet"),
                type="button",
                on_click=khs_call("cancelStatus"),
                class_name="btn btn-secondary",
            ),
            class_name="moves",
        ),
        role="alertdialog",
        aria_label=view("job", "confirmText"),
        class_name="confirm",
    )


def _undo() -> rx.Component:
    """A few seconds to take the last move back (it waits on the phone, unsent, meanwhile)."""
    return rx.cond(
        view("job", "undoable"),
        rx.el.div(
            rx.el.span(view("job", "undoText")),
            rx.el.button(
                t("Undo"),
                type="button",
                aria_label=view("job", "undoLabel"),
                on_click=khs_call("undo"),
                class_name="btn btn-secondary",
            ),
            class_name="undo",
            role="status",
        ),
    )


def _status() -> rx.Component:
    moves = items("job", "moves")
    return rx.el.section(
        rx.el.h2(t("Status"), id="job-status"),
        rx.el.p(t("Now:"), " ", rx.el.strong(view("job", "statusLabel")), class_name="job-status"),
        rx.cond(
            view("job", "confirming"),
            _confirm(),
            rx.cond(
                moves.length() > 0,
                rx.el.div(rx.foreach(moves, _move), class_name="moves"),
                rx.el.p(t("Only the office can change the status of this job."), class_name="hint"),
            ),
        ),
        _undo(),
        pending_tag(obj("job")),
        class_name="card",
        aria_label=t("Status"),
    )


def material_row(item: Var) -> rx.Component:
    return rx.el.li(
        rx.el.label(
            rx.el.input(
                type="checkbox",
                checked=item["purchased"].to(bool),
                on_change=khs_call("toggle", item["id"]),
                aria_label=item["label"],
                class_name="checkbox",
            ),
            rx.el.span(
                rx.el.span(item["label"], class_name="material-name"),
                rx.el.span(item["supplier"], class_name="muted"),
                class_name="stack",
            ),
            pending_tag(item),
            class_name="check material-row",
        ),
    )


def _material_error() -> rx.Component:
    """Why the material was not added (a value outside the server's limits, checked by
    ``window.khs.addMaterial`` against the config's ``limits``)."""
    message = view("job", "materialError")
    return rx.cond(
        message != "",
        rx.el.p(message, id="material-error", class_name="field-error", role="alert"),
    )


def _add_material() -> rx.Component:
    """Folded behind "Add material" until wanted (it stays open for the next one)."""
    return rx.el.details(
        rx.el.summary(t("Add material"), class_name="btn btn-secondary btn-block"),
        _material_form(),
        class_name="add-material",
    )


def _material_form() -> rx.Component:
    # No maxlength/min here: the JS checks every field against the server's limits and says
    # which one to fix, rather than the browser silently cutting a pasted name short.
    return _form(
        "addMaterial",
        field(t("Material"), text_input("name", required=True)),
        rx.el.div(
            field(t("Quantity"), text_input("quantity", type="number", step="any")),
            field(t("Unit"), text_input("unit")),
            class_name="form-row",
        ),
        field(t("Supplier"), text_input("supplier")),
        _material_error(),
        rx.el.button(t("Add"), type="submit", class_name="btn btn-primary btn-block"),
        label=t("Add a material"),
        id="material-form",
        reset_on_submit=False,
    )


def _materials() -> rx.Component:
    rows = items("job", "materials")
    return rx.el.section(
        rx.el.h2(t("Materials")),
        rx.cond(
            rows.length() > 0,
            rx.el.ul(rx.foreach(rows, material_row), class_name="checklist"),
            empty_state(t("No materials yet.")),
        ),
        _add_material(),
        class_name="card",
        aria_label=t("Materials"),
    )


def _note(note: Var) -> rx.Component:
    return rx.el.li(
        rx.el.p(note["body"], class_name="note-body"),
        rx.el.span(note["author"], " · ", note["when"], class_name="muted"),
        pending_tag(note),
        class_name="note",
    )


def _notes() -> rx.Component:
    return rx.el.section(
        rx.el.h2(t("Notes")),
        _form(
            "addNote",
            field(
                t("New note"),
                rx.el.textarea(
                    name="body", id="note-body", required=True, rows=3, class_name="input"
                ),
            ),
            rx.el.button(t("Add note"), type="submit", class_name="btn btn-secondary btn-block"),
            label=t("Add a note"),
        ),
        rx.el.ul(rx.foreach(items("job", "notes"), _note), class_name="notes"),
        class_name="card",
        aria_label=t("Notes"),
    )


# The default tag first, so a new photo gets it unless another is picked.
PHOTO_TAGS = [
    (tag, t(label))
    for tag, label in sorted(
        PHOTO_TAG_LABELS.items(), key=lambda item: item[0] != DEFAULT_PHOTO_TAG
    )
]
IMAGE_TYPES = ",".join(CONTENT_TYPES)


def _photo_picker(label: Var, input_id: str, **props) -> rx.Component:
    """A big button that opens the camera or the gallery: the picked photos are kept on the
    phone at once (``window.khs.addPhoto`` reads the form, caption and tag included), so
    there is no "Add photo" to press with nothing picked. The native file input (its words
    are the browser's, not ours) is hidden inside the button's label."""
    return rx.el.label(
        rx.el.input(
            type="file",
            name="file",
            id=input_id,
            accept=IMAGE_TYPES,
            on_change=khs_call("addPhoto", view("job", "id")),
            class_name="file-input",
            **props,
        ),
        rx.el.span(label),
        class_name="btn btn-secondary btn-block file-button",
    )


def _add_photo() -> rx.Component:
    """Caption and tag first, then the camera or the gallery; ``window.khs.addPhoto`` reads
    and resets the form itself."""
    return rx.el.form(
        field(
            t("Caption"),
            text_input("caption", id="photo-caption", max_length=CAPTION_MAX_LENGTH),
        ),
        field(t("Tag"), select("tag", PHOTO_TAGS, id="photo-tag")),
        rx.el.div(
            _photo_picker(t("Take a photo"), "photo-camera", capture="environment"),
            _photo_picker(t("From gallery"), "photo-pick", multiple=True),
            class_name="photo-pickers",
        ),
        id="photo-form",
        on_submit=khs_call("addPhoto", view("job", "id"), params=("values",)),
        aria_label=t("Add a photo"),
        class_name="field-form",
    )


def _photo_action(text: Var, action: str, photo: Var, extra: str = "") -> rx.Component:
    """A refused photo's button: ``window.khs.<action>Photo(id)``, named by the view."""
    return rx.el.button(
        text,
        type="button",
        aria_label=photo[f"{action}Label"],
        on_click=khs_call(f"{action}Photo", photo["id"]),
        class_name=f"btn btn-link {extra}".strip(),
    )


def _photo(photo: Var) -> rx.Component:
    picture = rx.el.img(
        src=photo["src"].to(str), alt=photo["alt"].to(str), class_name="photo-thumb"
    )
    return rx.el.li(
        rx.el.figure(
            rx.cond(
                photo["src"] != "",
                rx.cond(
                    photo["href"] != "",
                    rx.el.a(
                        picture,
                        href=photo["href"],
                        target="_blank",
                        rel="noopener",
                        aria_label=photo["openLabel"],
                    ),
                    picture,
                ),
                rx.el.div(t("Loading…"), class_name="photo-thumb photo-thumb-pending"),
            ),
            rx.el.figcaption(
                rx.el.span(photo["caption"], class_name="photo-caption"),
                rx.el.span(
                    rx.el.span(photo["tagLabel"], class_name="photo-tag"),
                    rx.el.span(photo["when"], class_name="muted"),
                ),
                rx.cond(photo["waiting"], tag(photo["stateText"], "tag-pending")),
                rx.cond(
                    photo["failed"],
                    rx.el.span(photo["stateText"], class_name="field-error", role="alert"),
                ),
                class_name="photo-meta",
            ),
            class_name="photo-figure",
        ),
        rx.cond(
            photo["failed"],
            rx.el.div(
                _photo_action(t("Try again"), "retry", photo),
                _photo_action(t("Discard"), "discard", photo, "photo-delete"),
                class_name="photo-actions",
            ),
        ),
        class_name="photo-card",
    )


def _photos() -> rx.Component:
    rows = items("job", "photos")
    return rx.el.section(
        rx.el.h2(t("Photos")),
        _add_photo(),
        rx.cond(
            rows.length() > 0,
            rx.el.ul(rx.foreach(rows, _photo), class_name="photo-grid", aria_label=t("Job photos")),
            empty_state(t("No photos yet.")),
        ),
        class_name="card",
        aria_label=t("Photos"),
    )


def _change_order(co: Var) -> rx.Component:
    return rx.el.li(
        rx.el.a(
            rx.el.span(co["number"], " · ", co["description"], class_name="material-name"),
            rx.el.span(co["status"], class_name="muted"),
            href=co["href"],
            class_name="co-link",
        ),
        pending_tag(co),
        class_name="co-item",
    )


def _change_orders() -> rx.Component:
    """Extra work agreed on site: written up here, signed by the customer on this phone."""
    rows = items("job", "changeOrders")
    return rx.el.section(
        rx.el.h2(t("Change orders")),
        rx.cond(
            rows.length() > 0,
            rx.el.ul(rx.foreach(rows, _change_order), class_name="checklist"),
            empty_state(t("No change orders yet.")),
        ),
        rx.el.details(
            rx.el.summary(t("New change order"), class_name="btn btn-secondary btn-block"),
            _form(
                "createChangeOrder",
                field(
                    t("What the customer asked for"),
                    rx.el.textarea(
                        name="description",
                        id="co-description",
                        required=True,
                        rows=3,
                        class_name="input",
                    ),
                ),
                *line_fields(),
                rx.el.button(
                    t("Write it up"), type="submit", class_name="btn btn-primary btn-block"
                ),
                label=t("New change order"),
                reset_on_submit=False,
            ),
            class_name="add-material",
        ),
        class_name="card",
        aria_label=t("Change orders"),
    )


def _action_bar() -> rx.Component:
    """Within thumb reach at the bottom of the job: the clock, the camera, a note, the status."""
    clocked_in = view("job", "clockedIn")
    return rx.el.div(
        rx.cond(
            clocked_in,
            rx.el.button(
                t("Clock out"),
                type="button",
                on_click=khs_call("clockOut"),
                class_name="btn btn-secondary",
            ),
            rx.el.button(
                t("Clock in"),
                type="button",
                aria_label=view("job", "clockAria"),
                on_click=khs_call("clockIn", view("job", "id")),
                class_name="btn btn-primary",
            ),
        ),
        rx.el.button(
            t("Camera"),
            type="button",
            on_click=khs_call("openCamera"),
            class_name="btn btn-secondary",
        ),
        rx.el.button(
            t("Note"),
            type="button",
            on_click=khs_call("goTo", "note-body"),
            class_name="btn btn-secondary",
        ),
        rx.el.button(
            t("Status"),
            type="button",
            on_click=khs_call("goTo", "job-status"),
            class_name="btn btn-secondary",
        ),
        role="toolbar",
        aria_label=t("Job actions"),
        class_name="action-bar",
    )


def job() -> rx.Component:
    title = view("job", "title").to(str)
    return local_shell(
        rx.cond(view("job", "found"), title, t("Job")),
        rx.el.div(
            once_bound(
                "job",
                rx.cond(
                    view("job", "found"),
                    rx.fragment(
                        _details(),
                        _status(),
                        _materials(),
                        _notes(),
                        _photos(),
                        _change_orders(),
                        _action_bar(),
                    ),
                    empty_state(t("This job is not on this phone. Open it from Today or Jobs.")),
                ),
            ),
            on_mount=bind("job"),
        ),
        back=True,
    )
