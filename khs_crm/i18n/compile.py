"""The catalogs compiled for the browser: ``assets/i18n/<lang>.json``, one per language
other than English, precached with the app so the phone switches language offline.

Each holds every translated message of the PO (the phone shows the server's status labels
and photo tags too), a plural message as its list of forms in ``categories`` order, which
is the order of ``PLURAL_CATEGORIES`` and of the PO's forms. ``scripts/i18n`` writes them
(``python -m khs_crm.i18n.compile``); ``tests/unit/test_i18n.py`` fails when a committed file
differs from what its PO compiles to.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from khs_crm.i18n import DEFAULT_LANGUAGE, FORMAT_LOCALES, LANGUAGES, PLURAL_CATEGORIES, catalog

OUT_DIR = Path(__file__).resolve().parents[2] / "assets" / "i18n"


def browser_catalog(language: str) -> dict[str, Any]:
    """A language's catalog as the field app reads it (``Catalog`` in khs_types.js)."""
    found = catalog(language)
    messages: dict[str, str | list[str]] = {}
    for entry in found or ():
        if not entry.id or entry.fuzzy or not entry.string:
            continue
        if isinstance(entry.id, str):
            messages[entry.id] = str(entry.string)
        else:
            messages[entry.id[0]] = [str(form) for form in entry.string]
    return {
        "language": language,
        "locale": FORMAT_LOCALES[language].replace("_", "-"),
        "categories": list(PLURAL_CATEGORIES[language]),
        "messages": dict(sorted(messages.items())),
    }


def browser_json(language: str) -> str:
    return json.dumps(browser_catalog(language), ensure_ascii=False, indent=0) + "\n"


def write_all(out_dir: Path = OUT_DIR) -> list[Path]:
    """Write every non-English catalog; the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for language in LANGUAGES:
        if language == DEFAULT_LANGUAGE:
            continue
        path = out_dir / f"{language}.json"
        path.write_text(browser_json(language), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_all():
        print(path)
