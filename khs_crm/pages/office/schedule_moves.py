"""Moving jobs on /schedule: the cards a person drags (or opens "Move to…" on), the list of
jobs waiting for a date, the drop form and the "Move to…" dialog. A drop and the dialog
submit the same fields (office.schedule_week.MOVE_FIELDS) to the same event."""

from __future__ import annotations

import reflex as rx
from reflex_base.vars.base import Var

from khs_crm.components.forms import form_actions
from khs_crm.components.links import link
from khs_crm.components.ui import dialog
from khs_crm.i18n import N_
from khs_crm.office.schedule_week import MOVE_FIELDS
from khs_crm.state.office.schedule import ScheduleState

S = ScheduleState

# Drag and drop in the browser: a card carries its move in data-move-* attributes, a day
# cell names its day and person in data-drop-*; a drop fills the hidden #schedule-drop form
# and submits it. Compiled into the page's bundle (the CSP forbids inline scripts).
_DRAG_HOOK = """useEffect(() => {
  let moving = null;
  const find = (e, sel) => (e.target && e.target.closest ? e.target.closest(sel) : null);
  const clear = () => document.querySelectorAll(".drop-here, .dragging")
    .forEach((el) => el.classList.remove("drop-here", "dragging"));
  const start = (e) => {
    const card = find(e, "[data-move-job]");
    if (!card) return;
    moving = { ...card.dataset };
    e.dataTransfer.effectAllowed = "move";
    e.dataTransfer.setData("text/plain", card.dataset.moveTitle || "");
    card.classList.add("dragging");
  };
  const over = (e) => {
    const cell = find(e, "[data-drop-day]");
    if (!cell || !moving) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = "move";
    if (!cell.classList.contains("drop-here")) { clear(); cell.classList.add("drop-here"); }
  };
  const drop = (e) => {
    const cell = find(e, "[data-drop-day]");
    const form = document.getElementById("schedule-drop");
    if (!cell || !moving || !form) return;
    e.preventDefault();
    const values = { job: moving.moveJob, version: moving.moveVersion,
      from_day: moving.moveDay || "", from_worker: moving.moveWorker || "",
      to_day: cell.dataset.dropDay, to_worker: cell.dataset.dropWorker || "" };
    if (values.to_day === values.from_day && values.to_worker === values.from_worker) {
      moving = null; clear(); return;  // dropped where it was: nothing to move
    }
    Object.entries(values).forEach(([name, value]) => { form.elements[name].value = value; });
    moving = null;
    clear();
    form.requestSubmit();
  };
  const end = () => { moving = null; clear(); };
  document.addEventListener("dragstart", start);
  document.addEventListener("dragover", over);
  document.addEventListener("drop", drop);
  document.addEventListener("dragend", end);
  return () => {
    document.removeEventListener("dragstart", start);
    document.removeEventListener("dragover", over);
    document.removeEventListener("drop", drop);
    document.removeEventListener("dragend", end);
  };
}, []);"""


class _DragToMove(rx.Fragment):
    """Listens for drags of job cards onto the week's cells (see _DRAG_HOOK)."""

    def add_imports(self):
        return {"react": "useEffect"}

    def add_hooks(self) -> list[str | Var]:
        return [_DRAG_HOOK]


def drop_form() -> rx.Component:
    """The hidden form a drop fills and submits, and the listener that does it."""
    return rx.el.form(
        _DragToMove.create(),
        *[rx.el.input(type="hidden", name=name, default_value="") for name in MOVE_FIELDS],
        id="schedule-drop",
        on_submit=S.move,
        hidden=True,
        aria_hidden="true",
    )


def move_button(card: rx.Var, day: rx.Var, worker: rx.Var) -> rx.Component:
    return rx.el.button(
        N_("Move to…"),
        rx.el.span(" " + card.title, class_name="sr-only"),
        type="button",
        class_name="btn btn-link move-button",
        on_click=S.open_move(card.job_id, card.title, card.version, day, worker),
    )


def drag_data(card: rx.Var, day: rx.Var, worker: rx.Var) -> dict:
    """The data-* attributes the drag listener reads from a card."""
    return {
        "draggable": True,
        "data_move_job": card.job_id,
        "data_move_version": card.version.to_string(),
        "data_move_day": day,
        "data_move_worker": worker,
        "data_move_title": card.title,
    }


def week_card(card: rx.Var) -> rx.Component:
    return rx.el.li(
        link(card.title, href="/jobs/" + card.job_id, class_name="link strong"),
        rx.el.div(card.customer, class_name="small"),
        rx.el.div(card.time, class_name="small muted"),
        rx.el.span(card.status_label, class_name="pill pill-" + card.status),
        rx.cond(
            card.clash != "",
            rx.el.p(rx.el.span("⚠ ", aria_hidden="true"), card.clash, class_name="clash small"),
        ),
        move_button(card, card.day, card.worker_id),
        class_name=rx.cond(card.clash != "", "slot slot-clash", "slot") + " slot-" + card.status,
        key=card.key,
        **drag_data(card, card.day, card.worker_id),
    )


def _waiting_card(card: rx.Var) -> rx.Component:
    return rx.el.li(
        link(card.title, href="/jobs/" + card.job_id, class_name="link strong"),
        rx.el.div(card.customer, class_name="small"),
        rx.el.span(card.status_label, class_name="pill pill-" + card.status),
        move_button(card, "", ""),
        class_name="slot slot-waiting slot-" + card.status,
        key=card.job_id + "-" + card.version.to_string(),
        **drag_data(card, "", ""),
    )


def waiting_list() -> rx.Component:
    return rx.el.section(
        rx.el.h2(
            N_("Waiting for a date"),
            rx.el.span(S.waiting_total, class_name="count"),
            class_name="column-title",
            id="waiting-title",
        ),
        rx.el.p(N_("Drag one onto a day, or use its “Move to…” button."), class_name="small muted"),
        rx.cond(
            S.waiting.length() > 0,
            rx.el.ul(
                rx.foreach(S.waiting, _waiting_card),
                class_name="slots",
                aria_labelledby="waiting-title",
            ),
            rx.el.p(N_("Every open job has a date."), class_name="small muted"),
        ),
        rx.cond(
            S.waiting_total > S.waiting.length(),
            link(N_("All jobs →"), href="/jobs/list", class_name="link small"),
        ),
        class_name="waiting",
        aria_labelledby="waiting-title",
    )


def _day_option(day: rx.Var) -> rx.Component:
    return rx.el.option(day.label, value=day.iso)


def move_dialog() -> rx.Component:
    return dialog(
        N_("Move “") + S.move_title + "”",
        rx.el.form(
            rx.el.input(type="hidden", name="job", default_value=S.move_job_id),
            rx.el.input(type="hidden", name="version", default_value=S.move_version.to_string()),
            rx.el.input(type="hidden", name="from_day", default_value=S.move_day),
            rx.el.input(type="hidden", name="from_worker", default_value=S.move_worker),
            rx.el.label(
                rx.el.span(N_("Day"), class_name="field-label"),
                rx.el.select(
                    rx.foreach(S.days, _day_option),
                    name="to_day",
                    default_value=rx.cond(S.move_day != "", S.move_day, S.days[0].iso),
                    class_name="input",
                    auto_focus=True,
                ),
                class_name="field",
            ),
            rx.el.label(
                rx.el.span(N_("Person"), class_name="field-label"),
                rx.el.select(
                    rx.el.option(N_("Keep the crew as it is"), value=""),
                    rx.foreach(S.workers, lambda w: rx.el.option(w.label, value=w.value)),
                    name="to_worker",
                    default_value=S.move_worker,
                    class_name="input",
                ),
                class_name="field",
            ),
            rx.el.p(
                N_(
                    "The job keeps its time of day and its length. A person you choose takes "
                    "the place of the one it is listed under."
                ),
                class_name="small muted",
            ),
            form_actions(N_("Move job"), S.close_move),
            on_submit=S.move,
            key=S.move_job_id + S.move_version.to_string() + S.move_day + S.move_worker,
            aria_label=N_("Move a job"),
        ),
        open=S.move_job_id != "",
        on_close=S.close_move,
        dialog_id="move-dialog",
    )
