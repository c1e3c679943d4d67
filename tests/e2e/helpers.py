"""Browser helpers shared by the end-to-end tests."""

from __future__ import annotations

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105
OWNER = "owner@demo.khs-crm.test"
WORKER = "alex@demo.khs-crm.test"


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
