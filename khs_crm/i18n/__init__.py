"""The words people read, in their language: gettext catalogs managed with Babel.

English is the source language: a message is its English text with ``{named}`` placeholders,
marked where it is written (``_``/``ngettext`` when it is shown at once, ``N_`` when it is a
constant shown later). Spanish lives in ``locale/es/LC_MESSAGES/khs.po``; ``scripts/i18n``
extracts the messages (Python and the field app's JS, ``babel.cfg``) and updates the
catalogs, and ``tests/unit/test_i18n.py`` fails when one has no Spanish or its placeholders
differ. A plural message has one form per CLDR plural category of the language, in
``PLURAL_CATEGORIES`` order (the PO header's order): the server asks Babel for a count's
category, the browser asks ``Intl.PluralRules``, and both pick the same form, without
evaluating gettext's plural expression (the browser would need ``new Function`` for that,
which the CSP forbids).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

LANGUAGES = ("en", "es")
DEFAULT_LANGUAGE = "en"
DOMAIN = "khs"
LOCALE_DIR = Path(__file__).parent / "locale"
# How a language writes dates and numbers (Babel locales): US formats for both.
FORMAT_LOCALES = {"en": "en_US", "es": "es_US"}
# A plural message's forms, in order, by the CLDR category of the count.
PLURAL_CATEGORIES = {"en": ("one", "other"), "es": ("one", "many", "other")}


def N_(message: str) -> str:  # noqa: N802 (gettext's name for "mark, translate later")
    """Mark a message for extraction; it is translated where it is shown."""
    return message


def language_of(value: str | None) -> str:
    """A supported language code for any input (unknown or empty: the company default)."""
    code = (value or "").strip().lower().replace("_", "-").split("-")[0]
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


@cache
def catalog(language: str) -> Catalog | None:
    """The language's catalog (None for English, the source language)."""
    if language == DEFAULT_LANGUAGE:
        return None
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as po:
        return read_po(po, locale=language, domain=DOMAIN)


def _translated(message: str | tuple[str, str], language: str) -> Any:
    found = catalog(language_of(language))
    entry = found.get(message if isinstance(message, str) else message[0]) if found else None
    if entry is None or entry.fuzzy or not entry.string:
        return None
    return entry.string


def gettext(message: str, language: str, **params: Any) -> str:
    """The message in ``language`` (English when it has no translation), filled in."""
    text = _translated(message, language)
    text = text if isinstance(text, str) and text else message
    return text.format(**params) if params else text


def plural_form(count: float, language: str) -> int:
    """Which form of a plural message a count takes (``PLURAL_CATEGORIES`` order)."""
    language = language_of(language)
    category = Locale.parse(FORMAT_LOCALES[language]).plural_form(count)
    categories = PLURAL_CATEGORIES[language]
    return categories.index(category) if category in categories else len(categories) - 1


def ngettext(singular: str, plural: str, count: float, language: str, **params: Any) -> str:
    """The singular or plural message for ``count``, in ``language``, with ``{count}`` and
    the other placeholders filled in."""
    form = plural_form(count, language)
    forms = _translated((singular, plural), language)
    if isinstance(forms, tuple | list) and all(forms):
        text = forms[min(form, len(forms) - 1)]
    else:
        text = singular if form == 0 else plural
    return text.format(count=count, **params)
