"""/api/openapi.json as FastAPI builds it, with request bodies told as their validators decide.

A request model's validators are the one source of what a body may hold. Where a field's
type says one thing and a validator another, the document follows the validator: each field
of each request model is asked once, here, whether it takes null (``title: str | None`` that
refuses null means "leave it out"; ``Phone`` reads null as "") and whether its text must hold
a character a person can see (a name of spaces or of bidi controls alone is refused).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, get_args

from fastapi import FastAPI
from fastapi.params import Form
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import BaseModel, TypeAdapter, ValidationError

from khs_crm.services.core.text import BLANK_OR_VISIBLE, VISIBLE

REF_TEMPLATE = "#/components/schemas/{model}"
NULL = {"type": "null"}
# Keywords that describe a property rather than constrain its value.
ANNOTATIONS = ("title", "description", "default", "examples", "deprecated")
Schema = dict[str, Any]


def models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    """Every pydantic model an annotation holds, nested ones too, each once."""
    seen: set[type[BaseModel]] = set()
    stack = [annotation]
    while stack:
        item = stack.pop()
        if isinstance(item, type) and issubclass(item, BaseModel):
            if item in seen:
                continue
            seen.add(item)
            yield item
            stack.extend(field.annotation for field in item.model_fields.values())
        stack.extend(get_args(item))


def refuses(model: type[BaseModel], alias: str, value: Any) -> bool:
    """Whether the model refuses ``{alias: value}`` because of that field."""
    try:
        model.model_validate({alias: value})
    except ValidationError as exc:
        return any(tuple(error["loc"][:1]) == (alias,) for error in exc.errors())
    return False


def _text_rule(model: type[BaseModel], alias: str) -> str | None:
    """The pattern a text field's validators keep to, if they refuse invisible text."""
    if not refuses(model, alias, "\u202a"):
        return None
    return VISIBLE if refuses(model, alias, " ") else BLANK_OR_VISIBLE


def _plain_text(prop: Schema) -> Schema | None:
    """The string schema of a property that says nothing yet about its characters."""
    for candidate in (prop, *prop.get("anyOf", [])):
        if candidate.get("type") == "string":
            said = {"format", "pattern", "enum", "const", "anyOf"} & candidate.keys()
            return None if said else candidate
    return None


def _without_null(prop: Schema) -> Schema | None:
    """The property with null taken out; None when null was all it held."""
    if prop.get("type") == "null":
        return None
    if "anyOf" not in prop or NULL not in prop["anyOf"]:
        return prop
    branches = [branch for branch in prop["anyOf"] if branch != NULL]
    rest = {k: v for k, v in prop.items() if k != "anyOf" and not (k == "default" and v is None)}
    if not branches:
        return None
    return {**rest, **branches[0]} if len(branches) == 1 else {**rest, "anyOf": branches}


def _with_null(prop: Schema) -> Schema:
    if prop.get("type") == "null" or NULL in prop.get("anyOf", []):
        return prop
    notes = {k: v for k, v in prop.items() if k in ANNOTATIONS}
    value = {k: v for k, v in prop.items() if k not in ANNOTATIONS}
    if value.keys() == {"anyOf"}:
        return {**notes, "anyOf": [*value["anyOf"], NULL]}
    return {**notes, "anyOf": [value, NULL]}


def tell(model: type[BaseModel], schema: Schema) -> None:
    """Make each property of ``model``'s JSON schema take null exactly when the model does
    (one that takes no value at all, ``status: None`` refused, is left out), and give plain
    text the pattern its validators keep to."""
    properties: Schema = schema.get("properties", {})
    for name, field in model.model_fields.items():
        alias = field.alias or name
        if alias not in properties:
            continue
        text = _plain_text(properties[alias])
        if text is not None and (pattern := _text_rule(model, alias)) is not None:
            text["pattern"] = pattern
        if not refuses(model, alias, None):
            properties[alias] = _with_null(properties[alias])
        elif (told := _without_null(properties[alias])) is not None:
            properties[alias] = told
        else:
            del properties[alias]
            if alias in schema.get("required", []):
                schema["required"].remove(alias)


def json_body(annotation: Any) -> Schema:
    """``openapi_extra`` for a route that reads and validates its JSON body itself."""
    schema = TypeAdapter(annotation).json_schema(ref_template=REF_TEMPLATE)
    defs: Schema = schema.get("$defs", {})
    for model in models_in(annotation):
        if model is annotation:
            tell(model, schema)
        elif model.__name__ in defs:
            tell(model, defs[model.__name__])
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


def _body_models(api: FastAPI) -> Iterator[type[BaseModel]]:
    for context in iter_route_contexts(api.routes):
        route = context.original_route
        body = route.body_field if isinstance(route, APIRoute) else None
        if body is not None and not isinstance(body.field_info, Form):
            yield from models_in(body.field_info.annotation)


def _hoist_defs(document: Schema) -> None:
    """Definitions a ``json_body`` schema carries move to the document's components."""
    components = document.setdefault("components", {}).setdefault("schemas", {})
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            content = operation.get("requestBody", {}).get("content", {})
            for media in content.values():
                components.update(media.get("schema", {}).pop("$defs", {}))


def finish(document: Schema, api: FastAPI) -> None:
    """Hoist the hand-made bodies' definitions; tell nulls in every request model."""
    _hoist_defs(document)
    components = document.get("components", {}).get("schemas", {})
    for model in set(_body_models(api)):
        for name in (model.__name__, f"{model.__name__}-Input"):
            if components.get(name, {}).get("title") == model.__name__:
                tell(model, components[name])


def install(api: FastAPI) -> None:
    """Serve the finished document at /api/openapi.json (built once, on first request)."""
    build = api.openapi

    def openapi() -> Schema:
        if api.openapi_schema is None:
            finish(build(), api)
        assert api.openapi_schema is not None
        return api.openapi_schema

    api.openapi = openapi  # type: ignore[method-assign]
