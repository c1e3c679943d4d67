"""More of the office's money: a material's unit cost typed on the job page (saved to the cent,
refused in words next to its cell, the money card's cost follows) and the company's logo
(checked by its content, re-encoded, the owner's alone), on a real database and storage."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from PIL import Image
from sqlmodel import select

import khs_crm.pages.office  # noqa: F401  (every office state class is defined)
from khs_crm.integrations import storage
from khs_crm.models import ActivityLog, Material, MaterialCost
from khs_crm.office.material_costs import COST_SAID, unit_cost_of
from khs_crm.services.core.errors import Forbidden, ServiceError, ValidationFailed
from khs_crm.services.money import logo
from khs_crm.settings import get_settings
from khs_crm.state.office.company import CompanyState
from khs_crm.state.office.job_materials import JobMaterialsState
from khs_crm.state.office.money_job import JobMoneyState
from tests.support.photo_files import image_bytes
from tests.support.uploads import uploaded
from tests.unit.test_office_state import call, root_state, signed_in, sub


@pytest.mark.parametrize(
    ("typed", "cost"),
    [
        ("12.5", Decimal("12.5")),
        ("$1,234.50", Decimal("1234.50")),
        (" 0 ", Decimal("0")),
        ("", None),
        ("   ", None),
    ],
    ids=["one-decimal", "dollars-and-commas", "zero", "blank", "spaces"],
)
def test_a_typed_unit_cost_is_read_as_money(typed, cost):
    assert unit_cost_of(typed) == cost


@pytest.mark.parametrize(
    "typed",
    ["12.345", "-3.00", "twelve", "1e3", "12.", "123456789.00"],
    ids=["three-decimals", "negative", "words", "exponent", "trailing-dot", "too-large"],
)
def test_a_bad_unit_cost_is_refused_in_words_naming_the_field(typed):
    with pytest.raises(ValidationFailed) as refused:
        unit_cost_of(typed)
    assert refused.value.message == COST_SAID
    assert refused.value.details == [{"field": "unit_cost", "message": COST_SAID}]


@pytest.fixture
def material(session, cast) -> Material:
    row = Material(job_id=cast.job.id, name="Drywall", quantity=4, unit="sheets", version=90)
    session.add(row)
    session.commit()
    return row


def _materials(session, user, job_id):
    state = sub(root_state(signed_in(session, user), f"/jobs/{job_id}"), JobMaterialsState)
    call(JobMaterialsState.load, state)
    return state


def _cost(session, material) -> Decimal | None:
    session.expire_all()
    row = session.get(MaterialCost, material.id)
    return row.unit_cost if row else None


def test_the_office_types_a_unit_cost_and_the_money_card_counts_it(session, cast, material):
    state = _materials(session, cast.owner, cast.job.id)
    assert state.items[0].unit_cost == ""
    result = call(JobMaterialsState.set_cost, state, str(material.id), "12.5")
    assert state.notice == "Unit cost saved." and state.cost_problems == {}
    assert state.items[0].unit_cost == "12.50" and _cost(session, material) == Decimal("12.50")
    assert JobMoneyState.load in result  # the money card reloads its figures
    card = sub(root_state(signed_in(session, cast.owner), f"/jobs/{cast.job.id}"), JobMoneyState)
    call(JobMoneyState.load, card)
    assert card.money.materials_cost == "$50.00"  # 4 sheets × 12.50
    logged = session.exec(select(ActivityLog).where(ActivityLog.entity_id == material.id)).all()
    assert any("unit_cost" in (row.changes or {}) for row in logged)

    assert call(JobMaterialsState.set_cost, state, str(material.id), "12.50") is None  # unchanged
    call(JobMaterialsState.set_cost, state, str(material.id), "")
    assert _cost(session, material) is None and state.items[0].unit_cost == ""


def test_a_bad_unit_cost_is_said_next_to_its_cell_and_nothing_is_saved(session, cast, material):
    state = _materials(session, cast.owner, cast.job.id)
    call(JobMaterialsState.set_cost, state, str(material.id), "12.345")
    assert state.cost_problems == {str(material.id): COST_SAID}
    assert state.notice == "" and _cost(session, material) is None
    call(JobMaterialsState.set_cost, state, str(material.id), "12.34")
    assert state.cost_problems == {} and _cost(session, material) == Decimal("12.34")


def test_a_worker_cannot_set_a_unit_cost(session, cast, material):
    state = sub(
        root_state(signed_in(session, cast.worker_a), f"/jobs/{cast.job.id}"), JobMaterialsState
    )
    result = call(JobMaterialsState.set_cost, state, str(material.id), "9.99")
    assert "/field" in str(result) and _cost(session, material) is None


# The logo ------------------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path, monkeypatch):
    """This test's own storage folder (the app's cached settings and storage forgotten)."""
    monkeypatch.setenv("KHS_UPLOADS_DIR", str(tmp_path / "store"))
    get_settings.cache_clear()
    storage.get_storage.cache_clear()
    yield tmp_path / "store"
    get_settings.cache_clear()
    storage.get_storage.cache_clear()


@pytest.mark.parametrize(
    ("fmt", "mode", "alpha"),
    [("PNG", "RGBA", True), ("JPEG", "RGB", False), ("PNG", "P", False)],
    ids=["png-transparent", "jpeg", "png-palette"],
)
def test_a_logo_is_re_encoded_upright_and_small_as_a_png(fmt, mode, alpha):
    big = image_bytes(fmt, (3000, 1500), mode=mode, color=1 if mode == "P" else "navy")
    stored = logo.logo_png(big)
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "PNG" and image.size == (800, 400)
        assert ("A" in image.mode) is alpha
        assert "exif" not in image.info


@pytest.mark.parametrize(
    ("data", "status"),
    [
        (b"", 422),
        (image_bytes("GIF", (40, 40)), 422),
        (image_bytes("WEBP", (40, 40)), 422),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", 422),
        (image_bytes("PNG", (40, 40))[:60], 422),  # a PNG's start, then nothing
        (image_bytes("PNG", (40, 40)) + b"\0" * logo.MAX_LOGO_BYTES, 413),
    ],
    ids=["empty", "gif", "webp", "svg", "broken-png", "too-large"],
)
def test_anything_but_a_whole_png_or_jpeg_is_refused(data, status):
    with pytest.raises(ServiceError) as refused:
        logo.logo_png(data)
    assert refused.value.status == status
    assert refused.value.details[0]["field"] == "logo"


def _company(session, user):
    state = sub(root_state(signed_in(session, user), "/settings/company"), CompanyState)
    call(CompanyState.load, state)
    return state


def test_the_owner_uploads_replaces_and_removes_the_logo(session, cast, store):
    state = _company(session, cast.owner)
    assert state.logo_url == ""
    call(CompanyState.upload_logo, state, [uploaded(image_bytes("JPEG", (600, 300)), "l.jpg")])
    assert state.error == "" and state.notice.startswith("Logo saved.")
    first = state.logo_url
    assert first.startswith("/api/company/logo?v=")
    assert Image.open(io.BytesIO(logo.logo_bytes() or b"")).format == "PNG"
    call(CompanyState.upload_logo, state, [uploaded(image_bytes("PNG", (300, 100)), "l.png")])
    assert state.logo_url not in ("", first)  # a new address: no stale logo from a cache
    call(CompanyState.begin_upload, state)  # the picker's first event: it waits and says so
    assert state.sending
    call(CompanyState.upload_logo, state, [uploaded(b"not an image", "fake.png")])
    assert state.logo_error == "A logo must be a PNG or JPEG image." and state.error == ""
    assert not state.sending  # the picker takes another file after a refused one
    assert Image.open(io.BytesIO(logo.logo_bytes() or b"")).size == (300, 100)  # kept
    call(CompanyState.begin_upload, state)
    assert state.logo_error == ""  # the refusal goes as the next file is sent
    call(CompanyState.upload_logo, state, [uploaded(image_bytes("PNG", (300, 100)), "l.png")])
    assert state.logo_error == "" and not state.sending
    call(CompanyState.remove_logo, state)
    assert state.logo_url == "" and logo.logo_bytes() is None
    changes = [
        row.changes.get("logo")
        for row in session.exec(select(ActivityLog).where(ActivityLog.entity == "company"))
        if row.changes and "logo" in row.changes
    ]
    assert len(changes) == 4


def test_only_the_owner_changes_the_logo(session, cast, store):
    state = _company(session, cast.admin)
    call(CompanyState.upload_logo, state, [uploaded(image_bytes("PNG", (300, 100)), "l.png")])
    assert "Only the owner" in state.logo_error and logo.logo_bytes() is None
    with pytest.raises(Forbidden):
        logo.remove_logo(session, actor=cast.admin)
    worker = sub(root_state(signed_in(session, cast.worker_a), "/settings/company"), CompanyState)
    result = call(CompanyState.upload_logo, worker, [uploaded(image_bytes("PNG"), "l.png")])
    assert "/field" in str(result) and logo.logo_bytes() is None


# The estimate editor's "Add the job's materials" ---------------------------------------------


def test_the_editor_adds_the_jobs_materials_priced_at_their_unit_costs(session, cast, material):
    from khs_crm.services.money.units import set_unit_cost
    from khs_crm.state.office.estimates_editor import EstimateState

    set_unit_cost(session, material=material, unit_cost=Decimal("12.50"), actor=cast.owner)
    session.commit()
    cookie = signed_in(session, cast.owner)
    card = sub(root_state(cookie, f"/jobs/{cast.job.id}"), JobMoneyState)
    redirect = str(call(JobMoneyState.new_estimate, card, False))
    estimate_id = redirect.split("/estimates/")[1][:36]
    editor = sub(root_state(cookie, f"/estimates/{estimate_id}"), EstimateState)
    call(EstimateState.load, editor)
    call(EstimateState.set_cell, editor, editor.lines[0].key, "description", "Labor")
    call(EstimateState.set_cell, editor, editor.lines[0].key, "quantity", "1")
    call(EstimateState.set_cell, editor, editor.lines[0].key, "unit_price", "100")
    call(EstimateState.add_materials, editor)
    assert editor.notice == "Added 1 line from the job's materials. Save to keep it."
    typed, added, blank = editor.lines
    assert (typed.description, added.description, blank.description) == ("Labor", "Drywall", "")
    assert (added.quantity, added.unit, added.unit_price, added.amount) == (
        "4",
        "sheets",
        "12.50",
        "$50.00",
    )
    call(EstimateState.save, editor)
    assert editor.error == "" and editor.estimate.subtotal == "$150.00"


def test_the_editor_says_when_the_job_has_no_materials(session, cast):
    from khs_crm.state.office.estimates_editor import EstimateState

    cookie = signed_in(session, cast.owner)
    card = sub(root_state(cookie, f"/jobs/{cast.job.id}"), JobMoneyState)
    estimate_id = str(call(JobMoneyState.new_estimate, card, False)).split("/estimates/")[1][:36]
    editor = sub(root_state(cookie, f"/estimates/{estimate_id}"), EstimateState)
    call(EstimateState.load, editor)
    call(EstimateState.add_materials, editor)
    assert editor.error.startswith("This job has no materials yet") and len(editor.lines) == 1
