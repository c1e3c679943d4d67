"""A crew member whose language is Spanish works a job offline and reads no English on any
field screen; they switch to English and back in Settings with no signal, and the office
gets the choice once the phone is back online. Production build, real service worker."""

from __future__ import annotations

import re
import string
from functools import cache

import pytest
from playwright.sync_api import expect

from khs_crm.i18n import DOMAIN, LOCALE_DIR, catalog, gettext
from tests.e2e.test_field_pwa import PHONE, make_crew, office, open_field  # noqa: F401 (office: a fixture)

pytestmark = pytest.mark.e2e

# Every text a person can read or hear on the screen: text nodes and accessible names.
VISIBLE_TEXTS = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest('script, style, template, [hidden]')) continue;
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (!box.width || !box.height || style.visibility === 'hidden') continue;
    const text = node.textContent.trim();
    if (text) out.push(text);
  }
  const named = '[aria-label], [placeholder], [title], img[alt]';
  for (const el of document.body.querySelectorAll(named)) {
    for (const name of ['aria-label', 'placeholder', 'title', 'alt']) {
      const value = (el.getAttribute(name) || '').trim();
      if (value) out.push(value);
    }
  }
  return out;
}"""


def _pattern(message: str) -> re.Pattern[str]:
    """An English message as a pattern for its filled-in texts (``{x}`` matches anything)."""
    parts = [
        re.escape(literal) + ("(.+)" if name is not None else "")
        for literal, name, _, _ in string.Formatter().parse(message)
    ]
    return re.compile("".join(parts), re.DOTALL)


@cache
def english_messages() -> list[tuple[str, re.Pattern[str]]]:
    """Each English message of the catalog whose Spanish differs from it."""
    spanish = catalog("es")
    assert spanish is not None and (LOCALE_DIR / "es" / "LC_MESSAGES" / f"{DOMAIN}.po").exists()
    found = []
    for entry in spanish:
        if not entry.id:
            continue
        ids = [entry.id] if isinstance(entry.id, str) else list(entry.id)
        forms = [entry.string] if isinstance(entry.string, str) else list(entry.string)
        for message in ids:
            if message not in forms and any(c.isalpha() for c in message.replace("{", "")):
                found.append((message, _pattern(message)))
    return found


def english_left(texts: list[str]) -> list[str]:
    """The texts that are (filled-in) English messages."""
    left = []
    for text in texts:
        for message, pattern in english_messages():
            if text == message or (pattern.fullmatch(text) and "{" in message):
                left.append(f"{text!r} (English: {message!r})")
                break
    return left


@pytest.fixture
def spanish_crew(office) -> dict:  # noqa: F811 (the office fixture)
    """A worker whose language is Spanish, with a job today and two materials to buy."""
    crew = make_crew(
        office,
        person="Rosa",
        job_title="Baño",
        materials=[
            {"name": "Tornillos", "quantity": 2, "unit": "caja", "supplier": "Home Depot"},
            {"name": "Azulejo", "quantity": 30, "unit": "pz", "supplier": ""},
        ],
    )
    office.call("PUT", f"/api/users/{crew['worker']['id']}", {"language": "es"})
    return crew


@pytest.fixture
def phone(browser, app_server, server_log_clean):
    context = browser.new_context(base_url=app_server["url"], viewport=PHONE, has_touch=True)
    page = context.new_page()
    yield page
    context.close()


def _no_english(page, where: str) -> None:
    page.wait_for_selector(".field-main")
    page.wait_for_function("() => !document.querySelector('.field-main .empty[role=status]')")
    left = english_left(page.evaluate(VISIBLE_TEXTS))
    assert not left, f"English on {where}: {left}"


def _go(page, name: str) -> None:
    """Open a field screen by its bottom-navigation tab (Spanish names)."""
    page.locator("nav.bottom-nav").get_by_role("link", name=name, exact=True).click()
    page.wait_for_load_state()


def test_a_spanish_crew_member_works_offline_with_no_english(phone, spanish_crew, office):  # noqa: F811
    open_field(phone, spanish_crew["email"])
    job_title = spanish_crew["job"]["title"]
    phone.get_by_role("link", name=job_title).wait_for()
    assert phone.evaluate("document.documentElement.lang") == "es"
    _no_english(phone, "Hoy")

    phone.context.set_offline(True)
    phone.get_by_role("link", name=job_title).click()
    phone.get_by_role("heading", name="Estado").wait_for()
    phone.get_by_role("checkbox", name=re.compile(f"Tornillos {spanish_crew['tag']}")).check()
    phone.get_by_role("textbox", name="Nota nueva").fill("Falta una caja de tornillos")
    phone.get_by_role("button", name="Agregar nota").click()
    phone.get_by_role("button", name="Empezar trabajo").click()
    phone.get_by_role("button", name="Deshacer: regresar a Programado").wait_for()
    strip = phone.locator(".field-strip")
    expect(strip).to_have_text("Sin señal — tus cambios se guardan en este teléfono (3 esperando)")
    _no_english(phone, "the job page, offline")

    for tab in ("Trabajos", "Vuelta por material", "Enviar", "Hoy"):
        _go(phone, tab)
        _no_english(phone, f"{tab}, offline")
    sync_screen_count = "3 cambios esperando para enviarse"
    _go(phone, "Enviar")
    phone.get_by_text(sync_screen_count).wait_for()

    # Settings, offline: English at once, no reload, then back.
    phone.get_by_role("link", name="Ajustes").click()
    phone.get_by_role("button", name="English").click()
    phone.locator("nav.bottom-nav").get_by_role("link", name="Today").wait_for()
    assert phone.evaluate("document.documentElement.lang") == "en"
    expect(strip).to_have_text("Offline — your changes are kept on this phone (4 waiting)")
    phone.get_by_role("button", name="Español").click()
    phone.locator("nav.bottom-nav").get_by_role("link", name="Hoy").wait_for()
    assert phone.evaluate("document.documentElement.lang") == "es"
    _no_english(phone, "Ajustes, offline")

    # A reload with no signal keeps the language (it is saved on the phone).
    phone.reload()
    phone.locator("nav.bottom-nav").get_by_role("link", name="Hoy").wait_for()
    _no_english(phone, "Ajustes after an offline reload")

    phone.context.set_offline(False)
    _go(phone, "Enviar")
    phone.get_by_text("Nada esperando para enviarse").wait_for(timeout=30_000)
    me = phone.request.get("/api/auth/me")
    assert me.ok and me.json()["data"]["language"] == "es"
    notes = office.call("GET", f"/api/jobs/{spanish_crew['job']['id']}/notes")
    assert [n["body"] for n in notes] == ["Falta una caja de tornillos"]


def test_the_english_catalog_check_catches_english():
    """The check the browser test relies on finds English texts, filled in or not."""
    assert english_left(["Sync now", "3 to buy", "Llamar a Ana"]) == [
        "'Sync now' (English: 'Sync now')",
        "'3 to buy' (English: '{count} to buy')",
    ]
    assert gettext("Sync now", "es") == "Enviar ahora"
