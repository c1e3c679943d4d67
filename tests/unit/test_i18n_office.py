"""The office's words: extracted into office.pot (its own gettext domain, English for now),
kept apart from the crews' `khs` domain, and never behind the code."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
POT = ROOT / "khs_crm" / "i18n" / "office.pot"


def _extract(mapping: str, keywords: dict) -> dict[str, set[str]]:
    """Message ids by the file that says them, as scripts/i18n extracts them."""
    method_map, options_map = parse_mapping_cfg((ROOT / mapping).open())
    found: dict[str, set[str]] = {}
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=keywords
    ):
        found.setdefault(filename, set()).add(message if isinstance(message, str) else message[0])
    return found


def _office() -> dict[str, set[str]]:
    return _extract("babel-office.cfg", {"N_": None})


def test_office_pot_is_what_the_code_says_now():
    with POT.open("rb") as pot:
        committed = {entry.id for entry in read_po(pot) if entry.id}
    said = set().union(*_office().values())
    assert committed == said, (
        f"office.pot is behind the code (run scripts/i18n): missing {sorted(said - committed)}, "
        f"stale {sorted(committed - said)}"
    )


def test_every_office_screen_says_its_words_through_the_layer():
    office = _office()
    said = set().union(*office.values())
    assert len(said) >= 500
    for text in ("Customers", "Export CSV", "New job", "Record payment", "Delete this job?"):
        assert text in said, text
    for module in (
        "khs_crm/pages/office/people.py",
        "khs_crm/pages/office/job.py",
        "khs_crm/pages/office/invoices_page.py",
        "khs_crm/state/office/timesheets.py",
        "khs_crm/office/money.py",
        "khs_crm/components/pager.py",
    ):
        assert office.get(module), f"{module} says no word through N_"


def test_the_two_domains_do_not_share_a_file():
    crews = _extract("babel.cfg", {"N_": None, "t": None, "tn": (1, 2)})
    office = _office()
    assert not set(crews) & set(office)
    # the refusals the field app and the API read stay in the crews' (translated) domain
    assert "khs_crm/office/limits.py" in crews
