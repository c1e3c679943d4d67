"""The job page's photos: upload several at once, the gallery, before and after."""

from __future__ import annotations

import reflex as rx

from khs_crm.components.forms import labelled_upload, messages
from khs_crm.components.pager import pager
from khs_crm.components.photo_gallery import TAG_LABELS, photo_gallery
from khs_crm.components.ui import button, card, field
from khs_crm.i18n import N_
from khs_crm.office.job_page import CAPTION_MAX_LENGTH, DEFAULT_PHOTO_TAG
from khs_crm.services.photos.batch import MAX_BATCH_FILES
from khs_crm.services.photos.images import ALLOWED, MAX_PHOTO_BYTES, MB
from khs_crm.state.office.job_photos import JobPhotosState

P = JobPhotosState
UPLOAD_ID = "job-photos"
IMAGE_TYPES = {
    "image/jpeg": [".jpg", ".jpeg"],
    "image/png": [".png"],
    "image/webp": [".webp"],
    "image/heic": [".heic", ".heif"],
}


def _rejections(rejected: rx.Var) -> rx.Var:
    """Each refused file's name and error codes: the file itself never goes to the server."""
    return rejected.to(list[dict]).map(
        lambda r: rx.Var.create(
            {
                "name": r["file"].to(dict)["name"],
                "codes": r["errors"].to(list[dict]).map(lambda e: e["code"]),
            }
        )
    )


def _picker() -> rx.Component:
    """A real button inside the drop zone: its click (or Enter) opens the file picker."""
    return labelled_upload(
        rx.upload.root(
            rx.el.button(N_("Choose photos"), type="button", class_name="btn btn-secondary"),
            id=UPLOAD_ID,
            accept=IMAGE_TYPES,
            multiple=True,
            max_files=MAX_BATCH_FILES,
            max_size=MAX_PHOTO_BYTES,
            no_keyboard=True,
            on_drop_rejected=lambda rejected: P.rejected(_rejections(rejected)),
            class_name="upload filter-clear",
        ),
        N_("Photos to upload"),
    )


def _chosen() -> rx.Component:
    names = rx.selected_files(UPLOAD_ID)
    return rx.cond(
        names.length() > 0,
        rx.el.div(
            rx.el.span(names.length(), N_(" chosen:"), class_name="strong nowrap"),
            rx.el.ul(
                rx.foreach(names, lambda name: rx.el.li(name)),
                class_name="small wrap",
                aria_label=N_("Chosen photos"),
            ),
            button(
                N_("Clear"),
                variant="link",
                on_click=rx.clear_selected_files(UPLOAD_ID),
                aria_label=N_("Clear the chosen photos"),
            ),
            class_name="picked",
        ),
        rx.el.p(
            N_("{types}; up to {count} at once, {size} MB each.").format(
                types=ALLOWED, count=MAX_BATCH_FILES, size=MAX_PHOTO_BYTES // MB
            ),
            class_name="muted small",
        ),
    )


def _uploader() -> rx.Component:
    tags = [rx.el.option(label, value=value) for value, label in TAG_LABELS.items()]
    return rx.el.form(
        rx.el.div(
            _picker(),
            field(
                N_("Tag"),
                rx.el.select(
                    *tags, name="tag", default_value=DEFAULT_PHOTO_TAG, class_name="input"
                ),
            ),
            field(
                N_("Caption"),
                rx.el.input(name="caption", max_length=CAPTION_MAX_LENGTH, class_name="input"),
            ),
            rx.el.button(
                rx.cond(P.sending, N_("Uploading…"), N_("Upload photos")),
                type="submit",
                class_name="btn btn-primary filter-clear",
                disabled=(rx.selected_files(UPLOAD_ID).length() == 0) | P.sending,
            ),
            class_name="filters",
        ),
        rx.cond(
            P.sending,
            rx.el.div(
                rx.el.span(N_("Uploading the photos: "), P.sent_percent, " %"),
                rx.el.progress(value=P.sent_percent, max=100, aria_hidden="true"),
                role="status",
                class_name="sending muted small",
            ),
            _chosen(),
        ),
        # The files are taken when the form is sent, so the list can be emptied at once.
        on_submit=lambda form: [
            P.begin_upload,
            P.upload(
                rx.upload_files(upload_id=UPLOAD_ID, on_upload_progress=P.upload_progress), form
            ),
            rx.clear_selected_files(UPLOAD_ID),
        ],
        aria_label=N_("Upload photos"),
    )


def _refused() -> rx.Component:
    return rx.cond(
        P.refused.length() > 0,
        rx.el.div(
            rx.el.p(N_("Not uploaded:")),
            rx.el.ul(rx.foreach(P.refused, lambda line: rx.el.li(line)), class_name="report"),
            class_name="banner banner-error",
            role="alert",
        ),
    )


def photos_card() -> rx.Component:
    return card(
        messages(P),
        _refused(),
        _uploader(),
        photo_gallery(
            P.photos,
            confirm_id=P.confirm_id,
            on_ask_delete=P.ask_delete,
            on_confirm_delete=P.delete,
            on_cancel_delete=P.cancel_delete,
            pairs=P.pairs,
        ),
        pager(P.page, P.pages, P.go, label=N_("photos"), total=P.total),
        title=N_("Photos"),
    )
