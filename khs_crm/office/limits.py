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

from khs_crm.i18n import DEFAULT_LANGUAGE, N_, gettext

BOUNDS = ("minLength", "maxLength", "exclusiveMinimum", "minimum", "maximum", "exclusiveMaximum")
NUMBERS = ("number", "integer")
# Pydantic's error types for a value outside a field's bounds.
OUT_OF_BOUNDS = frozenset(
    {"string_too_long", "greater_than", "greater_than_equal", "less_than", "less_than_equal"}
)
RANGE_WORDS = (
    ("exclusiveMinimum", N_("above {n}")),
    ("minimum", N_("at least {n}")),
    ("maximum", N_("at most {n}")),
    ("exclusiveMaximum", N_("below {n}")),
)
# The words are catalog messages: the office reads them in English, the field app gets them
# in each language with its config (offline.pwa).
# What to say when a field is missing or empty.
FRIENDLY = {
    "title": N_("Give the job a title."),
    "customer_id": N_("Choose the customer this job is for."),
    "name": N_("Enter what to buy."),
    "body": N_("Write something first."),
    "scheduled_start": N_("Enter a date and time."),
    "scheduled_end": N_("Enter a date and time."),
}
# How a field is named inside a sentence.
NOUNS = {
    "title": N_("the title"),
    "description": N_("the description"),
    "site_address": N_("the site address"),
    "name": N_("the material's name"),
    "quantity": N_("a quantity"),
    "unit": N_("the unit"),
    "supplier": N_("the supplier"),
    "notes": N_("the notes"),
    "body": N_("the note"),
    "caption": N_("the caption"),
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


def empty_message(field: str, language: str = DEFAULT_LANGUAGE) -> str:
    """What to say when ``field`` (its Python name) is left empty."""
    if field in FRIENDLY:
        return gettext(FRIENDLY[field], language)
    noun = gettext(NOUNS[field], language) if field in NOUNS else field.replace("_", " ")
    return gettext(N_("Enter {noun}."), language, noun=noun)


def bounds_message(
    field: str, limits: dict[str, Any], language: str = DEFAULT_LANGUAGE
) -> str | None:
    """What to say when ``field`` (its Python name) is outside ``limits`` (one entry of
    ``field_limits``): "Shorten the unit to 40 characters or fewer."; None if not bounded."""
    if field not in NOUNS:
        return None
    noun = gettext(NOUNS[field], language)
    if limits.get("type") in NUMBERS:
        parts = [
            gettext(word, language, n=_number(limits[key]))
            for key, word in RANGE_WORDS
            if key in limits
        ]
        if not parts:
            return None
        ranged = parts[0]
        for part in parts[1:]:
            ranged = gettext(N_("{first} and {second}"), language, first=ranged, second=part)
        return gettext(N_("Enter {noun} {range}."), language, noun=noun, range=ranged)
    if "maxLength" in limits:
        return gettext(
            N_("Shorten {noun} to {max} characters or fewer."),
            language,
            noun=noun,
            max=_number(limits["maxLength"]),
        )
    return None


def refusal(field: str, limits: dict[str, Any], error: dict[str, Any]) -> str:
    """The sentence for one of pydantic's errors on ``field`` (its Python name)."""
    bounded = error.get("type") in OUT_OF_BOUNDS or limits.get("type") in NUMBERS
    said = bounds_message(field, limits) if bounded else None
    return said or FRIENDLY.get(field) or str(error.get("msg", "")).removeprefix("Value error, ")


def input_rules(
    model: type[BaseModel], language: str = DEFAULT_LANGUAGE
) -> dict[str, dict[str, Any]]:
    """``field_limits`` with the words for each field in ``language``, as the office forms
    say them: ``bounds`` (too long, out of range) and, where a value is needed, ``empty``."""
    rules = {}
    for name, limits in field_limits(model).items():
        if name == "id":
            continue  # chosen by the app, never typed
        field = to_snake(name)
        bounds = bounds_message(field, limits, language) or empty_message(field, language)
        rules[name] = {**limits, "bounds": bounds}
        if limits["required"] or "minLength" in limits:
            rules[name]["empty"] = empty_message(field, language)
    return rules
