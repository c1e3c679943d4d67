"""Browser helpers shared by the end-to-end tests."""

from __future__ import annotations

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105
OWNER = "owner@demo.khs-crm.test"
WORKER = "alex@demo.khs-crm.test"


def sign_in(page, email: str, password: str = DEMO_PASSWORD, start: str = "/") -> None:
    page.goto(start)
    page.wait_for_url("**/login**")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
