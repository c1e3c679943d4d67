"""The catalogs: every marked message has Spanish with the same placeholders, the catalog
holds nothing the code no longer says, and plurals take the right form."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg

from khs_crm.i18n import (
    LANGUAGES,
    PLURAL_CATEGORIES,
    catalog,
    gettext,
    language_of,
    ngettext,
    plural_form,
)
from khs_crm.services.sync import messages

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None, "t": None, "tn": (1, 2)}


def _extracted() -> dict[str | tuple[str, ...], str]:
    """Every message the code marks (as scripts/i18n extracts them), with where it is."""
    method_map, options_map = parse_mapping_cfg((ROOT / "babel.cfg").open())
    found: dict[str | tuple[str, ...], str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        found.setdefault(message, f"{filename}:{lineno}")
    return found


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_has_spanish_with_the_same_placeholders():
    spanish = catalog("es")
    assert spanish is not None
    problems = []
    for message, where in _extracted().items():
        originals = list(message) if isinstance(message, tuple) else [message]
        entry = spanish.get(originals[0])
        if entry is None or entry.fuzzy:
            problems.append(f"{where}: no Spanish for {originals[0]!r} (run scripts/i18n)")
            continue
        forms = list(entry.string) if isinstance(entry.string, tuple | list) else [entry.string]
        if isinstance(message, tuple) and len(forms) != len(PLURAL_CATEGORIES["es"]):
            problems.append(f"{where}: {originals[0]!r} needs {len(PLURAL_CATEGORIES['es'])} forms")
        wanted = set().union(*(_placeholders(text) for text in originals))
        for form in forms:
            if not form:
                problems.append(f"{where}: empty Spanish for {originals[0]!r}")
            elif _placeholders(form) != wanted:
                problems.append(f"{where}: {form!r} has other placeholders than {wanted}")
    assert not problems, "\n".join(problems)


def test_the_catalog_holds_only_what_the_code_says():
    spanish = catalog("es")
    assert spanish is not None
    said = {m[0] if isinstance(m, tuple) else m for m in _extracted()}
    stale = [
        entry.id
        for entry in spanish
        if entry.id and (entry.id if isinstance(entry.id, str) else entry.id[0]) not in said
    ]
    assert not stale, f"entries no code uses any more (run scripts/i18n): {stale}"


def test_a_refusal_reads_in_the_readers_language():
    params = {"label": "Porch rebuild", "current": "on_hold", "wanted": "in_progress"}
    assert messages.render(messages.OFFICE_STATUS_WINS, params) == (
        "The office moved Porch rebuild to on hold after you did; your move to in progress "
        "was not applied."
    )
    assert messages.render(messages.OFFICE_STATUS_WINS, params, "es") == (
        "La oficina cambió Porch rebuild a «en pausa» después que tú; tu cambio a «en proceso» "
        "no se aplicó."
    )
    deleted = {"label": "Quartz countertop on Porch rebuild", "attempt": "tick"}
    assert messages.render(messages.DELETED, deleted, "es") == (
        "La oficina quitó Quartz countertop on Porch rebuild; tu marca de comprado no se aplicó."
    )
    assert messages.render("no_such_code", {}, "es") == "Este cambio no se aplicó."


@pytest.mark.parametrize(
    ("language", "count", "category"),
    [
        ("en", 1, "one"),
        ("en", 0, "other"),
        ("en", 3, "other"),
        ("es", 1, "one"),
        ("es", 0, "other"),
        ("es", 3, "other"),
        ("es", 1_000_000, "many"),
    ],
)
def test_each_plural_rule_picks_its_form(language, count, category):
    assert PLURAL_CATEGORIES[language][plural_form(count, language)] == category


def test_a_plural_without_a_translation_falls_back_to_english_forms():
    assert ngettext("{count} widget", "{count} widgets", 1, "es") == "1 widget"  # not in catalog
    assert ngettext("{count} widget", "{count} widgets", 3, "es") == "3 widgets"


@pytest.mark.parametrize(
    ("language", "count", "text"),
    [
        ("en", 1, "1 change"),
        ("en", 3, "3 changes"),
        ("es", 1, "1 cambio"),
        ("es", 0, "0 cambios"),
        ("es", 3, "3 cambios"),
        ("es", 1_000_000, "1000000 de cambios"),
    ],
)
def test_a_plural_takes_the_form_of_its_count(language, count, text):
    assert ngettext("{count} change", "{count} changes", count, language) == text


def test_languages_and_unknown_input():
    assert LANGUAGES == ("en", "es")
    assert [language_of(v) for v in ("es", "ES-us", "es_MX", "fr", "", None)] == [
        "es",
        "es",
        "es",
        "en",
        "en",
        "en",
    ]
    assert gettext("in progress", "es") == "en proceso"
    assert gettext("Not a catalog message", "es") == "Not a catalog message"
    assert re.fullmatch(r"[a-z]+", gettext("lead", "es"))


def test_the_browser_catalogs_are_compiled_from_the_po():
    from khs_crm.i18n.compile import OUT_DIR, browser_json

    for language in LANGUAGES:
        if language == "en":
            continue
        path = OUT_DIR / f"{language}.json"
        assert path.read_text(encoding="utf-8") == browser_json(language), "run scripts/i18n"


def test_every_photo_tag_and_status_has_its_words_in_spanish():
    from khs_crm.services.jobs.workflow import LABELS
    from khs_crm.services.photos.schemas import PhotoTag
    from khs_crm.services.photos.service import PHOTO_TAGS

    assert set(PHOTO_TAGS) == set(PhotoTag)
    for words in [*PHOTO_TAGS.values(), *LABELS.values()]:
        assert gettext(words, "es") != words, words
