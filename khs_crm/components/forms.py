"""Form pieces for the office screens: inputs with their messages, dialogs, confirmations."""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.experimental.client_state import ClientStateVar
from reflex_base.vars.base import Var
from reflex_base.vars.function import ArgsFunctionOperation, FunctionVar

from khs_crm.components.ui import banner, button, dialog, dialog_keys, field
from khs_crm.i18n import N_

NEAR_LIMIT = 0.8  # a counter shows from this share of a text field's limit


def error_for(errors: Var, name: str) -> Var:
    """The message for one field from a state's ``field_errors`` ("" when none)."""
    return errors.to(dict[str, str]).get(name, "")


def input_field(
    label: str, name: str, errors: Var | None = None, *, hint: str = "", **props: Any
) -> rx.Component:
    """A labelled input; the field's message (from the services) sits under it."""
    props.setdefault("type", "text")
    error = error_for(errors, name) if errors is not None else ""
    control_id = props.pop("id", f"f-{name}")
    control = rx.el.input(
        name=name,
        id=control_id,
        class_name="input",
        aria_invalid=rx.cond(error != "", "true", "false") if errors is not None else None,
        **props,
    )
    return field(label, control, error=error, hint=hint)


def _counter(counter: ClientStateVar, epoch: Any, control_id: str, limit: int) -> rx.Component:
    """How long the text is, shown once it is near ``limit`` (80%); red past it."""
    seen = counter.value.to(list)
    typed = rx.cond(seen[0].to(str) == Var.create(epoch).to(str), seen[1].to(int), 0)
    return rx.cond(
        typed >= int(limit * NEAR_LIMIT),
        rx.el.span(
            Var(f"({typed}).toLocaleString('en-US')", _var_type=str)._replace(
                merge_var_data=typed._get_all_var_data()
            ),
            f" of {limit:,} characters",
            rx.cond(typed > limit, N_(" (too long: shorten it)"), ""),
            id=f"{control_id}-count",
            class_name=rx.cond(typed > limit, "field-count over", "field-count"),
        ),
    )


def _count_typing(counter: ClientStateVar, epoch: Any) -> Var:
    """A change handler (given the text) that runs in the browser only: [epoch, length]."""
    typed = Var("(text?.length ?? 0)", _var_type=int)
    setter = counter.set.to(FunctionVar)
    return ArgsFunctionOperation.create(("text",), setter.call(Var.create([epoch, typed])))


def textarea_field(
    label: str,
    name: str,
    errors: Var | None = None,
    *,
    hint: str = "",
    limit: int | None = None,
    epoch: Any = 0,
    **props: Any,
) -> rx.Component:
    """A labelled text area; with ``limit``, a character counter appears near it.

    No ``maxlength``: a longer paste is kept whole and the counter says how much to cut.
    ``epoch``: a state value that changes when the form is emptied (its ``key``), so the
    counter starts again with it."""
    error = error_for(errors, name) if errors is not None else ""
    control_id = props.pop("id", f"f-{name}")
    counter = None
    if limit is not None:
        counter = ClientStateVar.create(f"khsCount_{control_id.replace('-', '_')}", default=[-1, 0])
        props["on_change"] = _count_typing(counter, epoch)
    control = rx.el.textarea(
        name=name,
        id=control_id,
        class_name="input",
        aria_invalid=rx.cond(error != "", "true", "false") if errors is not None else None,
        **props,
    )
    labelled = field(label, control, error=error, hint=hint)
    if counter is None or limit is None:
        return labelled
    return rx.fragment(labelled, _counter(counter, epoch, control_id, limit))


def labelled_upload(upload: rx.Component, label: str) -> rx.Component:
    """Name the file input an ``rx.upload.root`` draws (hidden behind its own button), so
    no control is left without a label."""
    stack = [upload]
    while stack:
        node = stack.pop()
        if getattr(node, "tag", None) == "input":
            node.custom_attrs["aria-label"] = label
        stack.extend(getattr(node, "children", []))
    return upload


def select_field(
    label: str, name: str, options: Var | list[tuple[str, str]], **props: Any
) -> rx.Component:
    """A labelled select from (value, label) pairs or a Var list of Option rows."""
    if isinstance(options, list):
        children = [rx.el.option(text, value=value) for value, text in options]
    else:
        children = [rx.foreach(options, lambda o: rx.el.option(o.label, value=o.value))]
    control = rx.el.select(
        *children, name=name, id=props.pop("id", f"f-{name}"), class_name="input", **props
    )
    return field(label, control)


def messages(state: Any, unless: Any = False) -> rx.Component:
    """The screen's error (role=alert) and notice (role=status), when there are any.

    ``unless``: while it is true (a dialog is open and shows the error itself) the error
    is not repeated behind the dialog.
    """
    return rx.fragment(
        rx.cond((state.error != "") & ~Var.create(unless), banner(state.error, kind="error")),
        rx.cond(state.notice != "", banner(state.notice, kind="ok")),
    )


def form_error(state: Any) -> rx.Component:
    """At the top of a form: what went wrong; with fields to fix, a pointer to them."""
    fields = state.field_errors.to(dict[str, str]).length() > 0
    return rx.cond(
        state.error != "",
        rx.el.p(
            state.error,
            rx.cond(fields, N_(" Fix the fields marked in red."), ""),
            class_name="form-error",
            role="alert",
        ),
    )


def on_escape(event: Any) -> Var:
    """A keydown handler that runs ``event`` for the Escape key only (no event per key)."""
    return dialog_keys(event)


def modal(title: str, *children: Any, open: Any, on_close: Any, wide: bool = False) -> rx.Component:
    """A dialog with a heading, closed by its Cancel button or the Escape key; the focus
    stays inside while it is open (components.ui.dialog)."""
    return dialog(
        title, *children, open=open, on_close=on_close, class_name="dialog-wide" if wide else ""
    )


def form_actions(submit: str, on_cancel: Any, *, danger: bool = False) -> rx.Component:
    return rx.el.div(
        button(N_("Cancel"), variant="secondary", on_click=on_cancel),
        rx.el.button(
            submit, type="submit", class_name=f"btn btn-{'danger' if danger else 'primary'}"
        ),
        class_name="dialog-actions",
    )


def confirm(
    title: str,
    message: Any,
    *,
    open: Any,
    confirm_text: str,
    on_confirm: Any,
    on_cancel: Any,
) -> rx.Component:
    """Ask before something that cannot be undone; Cancel has the focus."""
    return modal(
        title,
        rx.el.p(message),
        rx.el.div(
            button(N_("Cancel"), variant="secondary", on_click=on_cancel, auto_focus=True),
            button(confirm_text, variant="danger", on_click=on_confirm),
            class_name="dialog-actions",
        ),
        open=open,
        on_close=on_cancel,
    )


def sending_status(state: Any, words: str) -> rx.Component:
    """While a form's file is on its way (an ``UploadWatch`` state): how far it has got."""
    return rx.cond(
        state.sending,
        rx.el.span(
            words, state.sent_percent, " %", role="status", class_name="sending muted small"
        ),
    )
