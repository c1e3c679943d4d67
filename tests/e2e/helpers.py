"""Browser helpers shared by the end-to-end tests."""

from __future__ import annotations

from pathlib import Path

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105
OWNER = "owner@demo.khs-crm.test"
WORKER = "alex@demo.khs-crm.test"

AXE = Path(__file__).resolve().parents[1] / "js" / "node_modules" / "axe-core" / "axe.min.js"
# Every rule axe runs by default, and the one the issue names that axe marks experimental.
AXE_ALL_RULES = {"rules": {"label-content-name-mismatch": {"enabled": True}}}
# Only the violations come back: axe's whole result lists every node each rule passed too
# (megabytes on a long list), which the page, Playwright's driver and this process would each
# serialize and parse again, most of an axe sweep's time.
_AXE_VIOLATIONS = """([selector, options]) => axe.run(
    selector ? document.querySelector(selector) : document,
    { ...options, resultTypes: ['violations'] },
).then((result) => result.violations)"""
SIDEWAYS = "() => document.documentElement.scrollWidth - window.innerWidth"
# The office's two widths: a desktop, and a laptop (the narrowest the office is built for).
WIDTHS = ({"width": 1440, "height": 900}, {"width": 1024, "height": 768})


def sign_in(page, email: str, password: str = DEMO_PASSWORD, start: str = "/") -> None:
    """Signed in, then ``start`` opens: one page load instead of three (``start``, the sign-in
    page, ``start`` again). The browser context gets its session cookie from
    POST /api/auth/session, which makes the same server-side session as the sign-in page's
    form; that page itself is driven by ``sign_in_on_the_page`` (test_sign_in.py, and the
    security policy and scale-out tests)."""
    answer = page.request.post("/api/auth/session", data={"email": email, "password": password})
    assert answer.ok, answer.text()
    page.goto(start)


def sign_in_on_the_page(page, email: str, password: str = DEMO_PASSWORD, start: str = "/") -> None:
    """As a person does: ``start`` sends a signed-out visitor to the sign-in page, which
    signs them in and sends them back."""
    page.goto(start)
    page.wait_for_url("**/login**")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def shown_customer_count(page) -> int:
    """The dashboard's customer count, once loaded, checked against the API's total."""
    stat = page.locator(".card", has_text="Customers").locator(".stat").first
    stat.wait_for()
    page.wait_for_function(
        "el => /^[1-9][0-9]*$/.test(el.textContent.trim())", arg=stat.element_handle()
    )
    shown = int(stat.text_content().strip())
    total = page.request.get("/api/customers?pageSize=1").json()["pagination"]["total"]
    assert shown == total
    return shown


def push_material_edit(phone, url: str, material: dict, changes: dict) -> dict:
    """A phone (a signed-in browser context) sends one edit of ``material`` made at its
    version, as the field app's sync loop would; returns the push's result for it."""
    import uuid

    op = {
        "opId": str(uuid.uuid4()),
        "seq": 1,
        "entity": "material",
        "entityId": material["id"],
        "action": "update",
        "changes": changes,
        "baseVersion": material["version"],
    }
    body = {"clientId": f"e2e-{uuid.uuid4().hex[:8]}", "operations": [op]}
    headers = {"X-KHS-CSRF": "1", "Origin": url}
    pushed = phone.request.post("/api/sync/push", data=body, headers=headers)
    assert pushed.ok, pushed.text()
    (result,) = pushed.json()["data"]["results"]
    return result


def approve_by_link(tab, name: str = "Ana Muñoz") -> None:
    """The customer's answer on a link page (estimate, change order): name, "I agree", Approve."""
    tab.get_by_label("Your full name").fill(name)
    tab.get_by_label("I agree").check()
    tab.get_by_role("button", name="Approve").click()


def axe_violations(page, options: dict | None = None, within: str | None = None) -> list[dict]:
    """axe-core's violations on the page as it is now (of the element ``within`` selects, or
    the whole document), with axe's ``options``; axe is added to the page if it has none."""
    assert AXE.exists(), "cd tests/js && npm install (axe-core)"
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(_AXE_VIOLATIONS, [within, options or {}])


def axe_problems(page) -> list[str]:
    """What axe-core, every rule on, finds critical or serious on the page as it is now."""
    return [
        f"{v['id']} ({v['impact']}): "
        + "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:3])
        for v in axe_violations(page, AXE_ALL_RULES)
        if v["impact"] in ("critical", "serious")
    ]


def judge_at_both_widths(page, where: str, found: dict, sideways: dict) -> None:
    """axe at each of WIDTHS, the window narrowed between them, and at 1024 no sideways
    scroll; what is wrong is added to ``found`` and ``sideways`` under ``where``. The page is
    opened once: the office lays out by CSS alone (no script reads the window's size), so a
    narrowed page lays out as one opened at that width does. The window is left at 1440."""
    for viewport in WIDTHS:
        page.set_viewport_size(viewport)
        if bad := axe_problems(page):
            found[f"{where} at {viewport['width']}"] = bad
        if viewport["width"] == 1024 and (extra := page.evaluate(SIDEWAYS)) > 0:
            sideways[where] = extra
    page.set_viewport_size(WIDTHS[0])
