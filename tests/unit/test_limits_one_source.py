"""Each field limit is written once, beside its table (khs_crm.models), and every reader uses
that one: the column's length, the services' input models (so /api/openapi.json), the office
forms' inputs and the rules the field app gets in its config all say the same number."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, get_args

import pytest
from pydantic import BaseModel
from pydantic.alias_generators import to_snake
from pydantic.fields import FieldInfo
from sqlmodel import SQLModel

from khs_crm.models import Customer, Job, JobNote, Material, Photo, User
from khs_crm.models.base import bound
from khs_crm.models.material import MAX_QUANTITY, Quantity
from khs_crm.office.limits import field_limits, max_length
from khs_crm.services.auth.schemas import UserCreate, UserUpdate
from khs_crm.services.customers.schemas import CustomerCreate, CustomerUpdate
from khs_crm.services.jobs.schemas import (
    JobCreate,
    JobUpdate,
    MaterialChanges,
    MaterialCreate,
    NoteCreate,
)
from khs_crm.services.photos.schemas import PhotoChanges, PhotoMeta

PACKAGE = Path(__file__).resolve().parents[2] / "khs_crm"
# Each table and the input models the API, sync and the office read its rows' fields with.
FAMILIES: list[tuple[type[SQLModel], list[type[BaseModel]]]] = [
    (Customer, [CustomerCreate, CustomerUpdate]),
    (Job, [JobCreate, JobUpdate]),
    (JobNote, [NoteCreate]),
    (Material, [MaterialCreate, MaterialChanges]),
    (Photo, [PhotoMeta, PhotoChanges]),
    (User, [UserCreate, UserUpdate]),
]
PAIRS = [(table, model) for table, models in FAMILIES for model in models]
BOUNDS = ("min_length", "max_length", "gt", "ge", "lt", "le")
SCHEMA_BOUNDS = {
    "min_length": "minLength",
    "max_length": "maxLength",
    "gt": "exclusiveMinimum",
    "ge": "minimum",
    "lt": "exclusiveMaximum",
    "le": "maximum",
}


def _ids(pairs: list[tuple[Any, Any]]) -> list[str]:
    return [f"{table.__name__}-{model.__name__}" for table, model in pairs]


def constraints(field: FieldInfo) -> list[Any]:
    """The bound objects (MaxLen(200), Le(1000000), ...) a field holds, nested ones too
    (``Caption | None`` keeps Caption's inside its annotation)."""
    found = [c for c in field.metadata if any(hasattr(c, b) for b in BOUNDS)]
    stack = list(get_args(field.annotation))
    while stack:
        item = stack.pop()
        for meta in getattr(item, "__metadata__", ()):
            inner = meta.metadata if isinstance(meta, FieldInfo) else [meta]
            found.extend(c for c in inner if any(hasattr(c, b) for b in BOUNDS))
        stack.extend(get_args(item))
    return found


def _bounds_of(items: list[Any]) -> dict[str, Any]:
    return {b: getattr(c, b) for c in items for b in BOUNDS if getattr(c, b, None) is not None}


def _is_choice(model: type[BaseModel], name: str) -> bool:
    prop = model.model_json_schema()["properties"][model.model_fields[name].alias or name]
    kinds = [prop, *prop.get("anyOf", [])]
    return any({"$ref", "enum", "const"} & kind.keys() for kind in kinds)


@pytest.mark.parametrize(("table", "model"), PAIRS, ids=_ids(PAIRS))
def test_an_input_model_holds_the_very_bounds_its_table_declares(table, model):
    shared = set(table.model_fields) & set(model.model_fields)
    checked = 0
    for name in shared:
        declared = constraints(table.model_fields[name])
        read = constraints(model.model_fields[name])
        if not read and _is_choice(model, name):
            continue  # an enum or a literal: the column's width only stores it
        for limit in declared:
            # the same object, not an equal number typed again
            assert any(limit is other for other in read), (name, limit, read)
            checked += 1
        assert _bounds_of(read).items() >= _bounds_of(declared).items(), name
    assert checked, "no bounded field shared with the table"


@pytest.mark.parametrize(("table", "model"), PAIRS, ids=_ids(PAIRS))
def test_the_column_length_is_the_input_limit(table, model):
    limits = field_limits(model)
    compared = 0
    for alias, rule in limits.items():
        column = table.__table__.columns.get(to_snake(alias))  # type: ignore[attr-defined]
        length = getattr(getattr(column, "type", None), "length", None)
        if "maxLength" in rule and length is not None:
            assert rule["maxLength"] == length, alias
            compared += 1
    assert compared


def _schema_bounds(prop: dict[str, Any]) -> dict[str, Any]:
    kinds = [prop, *prop.get("anyOf", [])]
    return {k: kind[k] for kind in kinds for k in SCHEMA_BOUNDS.values() if k in kind}


# PhotoMeta is read from the upload's form fields and from a presign request's JSON.
DOCUMENTED_AS = {"PhotoMeta": ["PresignRequest", "Body_upload_photo_api_jobs__job_id__photos_post"]}


@pytest.fixture(scope="module")
def openapi_schemas() -> dict[str, Any]:
    from khs_crm.api import create_api

    return create_api().openapi()["components"]["schemas"]


@pytest.mark.parametrize(("table", "model"), PAIRS, ids=_ids(PAIRS))
def test_the_api_documents_the_same_limits(openapi_schemas, table, model):
    for name in DOCUMENTED_AS.get(model.__name__, [model.__name__]):
        documented = openapi_schemas[name]["properties"]
        for alias, rule in field_limits(model).items():
            said = {k: v for k, v in rule.items() if k in SCHEMA_BOUNDS.values()}
            if alias == "password":  # documented as the rule the service checks (at least 10)
                said.pop("minLength", None)
            if alias in documented:
                assert _schema_bounds(documented[alias]).items() >= said.items(), (name, alias)


def test_the_field_app_gets_the_tables_limits():
    from khs_crm.offline.pwa import limits

    rules = limits()
    tables = {"material": Material, "photo": Photo}
    for entity, actions in rules.items():
        columns = tables[entity].__table__.columns  # type: ignore[attr-defined]
        for action, fields in actions.items():
            for alias, rule in fields.items():
                column = columns.get(to_snake(alias))
                length = getattr(getattr(column, "type", None), "length", None)
                if "maxLength" in rule:
                    assert rule["maxLength"] == length, (entity, action, alias)
    quantity = rules["material"]["create"]["quantity"]
    assert quantity["maximum"] == MAX_QUANTITY == bound(Quantity, "le")
    assert quantity["exclusiveMinimum"] == bound(Quantity, "gt")


def _length(table: type[SQLModel], column: str) -> int:
    return table.__table__.columns[column].type.length  # type: ignore[attr-defined]


def test_the_office_inputs_take_the_columns_lengths():
    from khs_crm.office.job_page import CAPTION_MAX_LENGTH
    from khs_crm.pages.office.job_form import TITLE
    from khs_crm.pages.office.job_materials import NAME

    assert _length(Job, "title") == TITLE
    assert _length(Material, "name") == NAME
    assert _length(Photo, "caption") == CAPTION_MAX_LENGTH
    assert max_length(CustomerCreate, "name") == _length(Customer, "name")


def test_the_office_words_say_the_limit():
    from khs_crm.office.forms import material_change

    with pytest.raises(Exception) as refused:
        material_change("unit", "x" * (_length(Material, "unit") + 1))
    assert f"{_length(Material, 'unit')} characters" in str(refused.value)


# The fields a person types whose limits live beside the tables: a bound typed beside one of
# these names anywhere else is a second copy.
LIMITED = {
    to_snake(alias)
    for _table, models in FAMILIES
    for model in models
    for alias, rule in field_limits(model).items()
    if rule.keys() & set(SCHEMA_BOUNDS.values())
}
LITERAL_BOUND = re.compile(r"\b(max_length|gt|ge|lt|le)=\d|\"maxLength\": \d")
OUTSIDE_MODELS = ("services", "api", "office", "state", "pages/office", "components")


def test_no_entity_limit_is_typed_outside_the_models():
    offenders = []
    for folder in OUTSIDE_MODELS:
        for path in sorted((PACKAGE / folder).rglob("*.py")):
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                declared = re.match(r"\s*(\w+)\s*[:=(]", line)
                field = declared.group(1) if declared else ""
                in_form = folder in ("pages/office", "components") and "max_length=" in line
                # A Form(max_length=...) only caps the raw text the route reads before the
                # input model checks it (api/photos.py reads PhotoMeta from form fields).
                raw_form = "Form(" in line
                if LITERAL_BOUND.search(line) and (field in LIMITED or in_form) and not raw_form:
                    offenders.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)
