"""Input limits read from the services' input models, and the words for them.

The numbers (lengths, bounds, what is required) come from each model's JSON schema, never
typed again. The office forms word a refused value with them (``office.forms``), and the
field app gets the same rules and the same words in its config (``offline.pwa``), so it
checks an edit before queueing it instead of queueing what the server would refuse.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel
from pydantic.alias_generators import to_camel, to_snake

BOUNDS = ("minLength", "maxLength", "exclusiveMinimum", "minimum", "maximum", "exclusiveMaximum")
NUMBERS = ("number", "integer")
# Pydantic's error types for a value outside a field's bounds.
OUT_OF_BOUNDS = frozenset(
    {"string_too_long", "greater_than", "greater_than_equal", "less_than", "less_than_equal"}
)
RANGE_WORDS = (
    ("exclusiveMinimum", "above"),
    ("minimum", "at least"),
    ("maximum", "at most"),
    ("exclusiveMaximum", "below"),
)

# What to say when a field is missing or empty.
FRIENDLY = {
    "title": "Give the job a title.",
    "customer_id": "Choose the customer this job is for.",
    "name": "Enter what to buy.",
    "body": "Write something first.",
    "scheduled_start": "Enter a date and time.",
    "scheduled_end": "Enter a date and time.",
}
# How a field is named inside a sentence.
NOUNS = {
    "title": "the title",
    "description": "the description",
    "site_address": "the site address",
    "name": "the material's name",
    "quantity": "a quantity",
    "unit": "the unit",
    "supplier": "the supplier",
    "notes": "the notes",
    "body": "the note",
    "caption": "the caption",
}


@cache
def field_limits(model: type[BaseModel]) -> dict[str, dict[str, Any]]:
    """Each required or bounded field's JSON type, whether it is required, its bounds and its
    default (if not null), by its JSON (camelCase) name: ``{"name": {"type": "string",
    "required": True, "minLength": 1, "maxLength": 200}, ...}``."""
    schema = model.model_json_schema(by_alias=True)
    required = set(schema.get("required", []))
    limits: dict[str, dict[str, Any]] = {}
    for name, prop in schema["properties"].items():
        kinds = [prop, *prop.get("anyOf", [])]
        bounds = {key: kind[key] for kind in kinds for key in BOUNDS if key in kind}
        types = [kind["type"] for kind in kinds if kind.get("type", "null") != "null"]
        if bounds or name in required:
            kind = types[0] if types else None
            limits[name] = {"type": kind, "required": name in required, **bounds}
            if prop.get("default") is not None:
                limits[name]["default"] = prop["default"]
    return limits


def max_length(model: type[BaseModel], field: str) -> int:
    """The longest text ``field`` (its Python name) of ``model`` takes: a form input's
    ``maxlength``, so a person cannot type what the server would refuse."""
    return field_limits(model)[to_camel(field)]["maxLength"]


def _number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


def empty_message(field: str) -> str:
    """What to say when ``field`` (its Python name) is left empty."""
    return FRIENDLY.get(field) or f"Enter {NOUNS.get(field, field.replace('_', ' '))}."


def bounds_message(field: str, limits: dict[str, Any]) -> str | None:
    """What to say when ``field`` (its Python name) is outside ``limits`` (one entry of
    ``field_limits``): "Shorten the unit to 40 characters or fewer."; None if not bounded."""
    noun = NOUNS.get(field)
    if noun is None:
        return None
    if limits.get("type") in NUMBERS:
        parts = [f"{word} {_number(limits[key])}" for key, word in RANGE_WORDS if key in limits]
        return f"Enter {noun} {' and '.join(parts)}." if parts else None
    if "maxLength" in limits:
        return f"Shorten {noun} to {_number(limits['maxLength'])} characters or fewer."
    return None


def refusal(field: str, limits: dict[str, Any], error: dict[str, Any]) -> str:
    """The sentence for one of pydantic's errors on ``field`` (its Python name)."""
    bounded = error.get("type") in OUT_OF_BOUNDS or limits.get("type") in NUMBERS
    said = bounds_message(field, limits) if bounded else None
    return said or FRIENDLY.get(field) or str(error.get("msg", "")).removeprefix("Value error, ")


def input_rules(model: type[BaseModel]) -> dict[str, dict[str, Any]]:
    """``field_limits`` with the words for each field, as the office forms say them:
    ``bounds`` (too long, out of range) and, where a value is needed, ``empty``."""
    rules = {}
    for name, limits in field_limits(model).items():
        if name == "id":
            continue  # chosen by the app, never typed
        field = to_snake(name)
        rules[name] = {**limits, "bounds": bounds_message(field, limits) or empty_message(field)}
        if limits["required"] or "minLength" in limits:
            rules[name]["empty"] = empty_message(field)
    return rules
