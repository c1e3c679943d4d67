"""Sign in to a running app and save each office screen at 1440x900 into docs/screenshots/,
and each field screen as a crew member sees it on a phone (390x844, touch) as field-*.png,
for the guides in docs/guides/.

    .venv/bin/python scripts/screenshots.py [--url http://localhost:3500] [--out docs/screenshots]

Run it against a production build with the demo data (khs-crm migrate && khs-crm seed-demo).
When the demo has no sync conflicts yet, it makes two real ones through the API first: the
office changes a material, then a crew phone sends an older edit of the same fields.
"""

from __future__ import annotations

import argparse
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import APIRequestContext, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic"]
PASSWORD = "demo-password-2026"  # noqa: S105 (the demo's published password)
OWNER = "owner@demo.khs-crm.test"
WORKER = "alex@demo.khs-crm.test"
SIZE = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1024, "height": 768}


def sign_in(page: Page, email: str, start: str = "/") -> None:
    page.goto(f"/login?next={start}")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login" not in url)


def api_session(request: APIRequestContext, email: str) -> None:
    response = request.post("/api/auth/session", data={"email": email, "password": PASSWORD})
    assert response.ok, response.text()


def _data(response) -> dict:
    assert response.ok, response.text()
    return response.json()


def make_conflicts(office: APIRequestContext, phone: APIRequestContext, url: str) -> None:
    """The office edits a material; the phone then pushes an edit made before it saw that."""
    headers = {"X-KHS-CSRF": "1", "Origin": url}
    if _data(office.get("/api/sync/conflicts?state=all"))["pagination"]["total"]:
        return
    jobs = _data(phone.get("/api/jobs?status=in_progress&pageSize=5"))["data"]
    job = jobs[0]
    items = _data(phone.get(f"/api/jobs/{job['id']}/materials"))["data"][:2]
    operations = []
    for seq, (item, field, office_value, phone_value) in enumerate(
        [
            (items[0], "quantity", 24, 30),
            (items[-1], "supplier", "Lowe's (Pro desk)", "Home Depot on 5th"),
        ],
        start=1,
    ):
        _data(
            office.put(f"/api/materials/{item['id']}", data={field: office_value}, headers=headers)
        )
        operations.append(
            {
                "opId": str(uuid.uuid4()),
                "seq": seq,
                "entity": "material",
                "entityId": item["id"],
                "action": "update",
                "changes": {field: phone_value},
                "baseVersion": item["version"],
            }
        )
    body = {"clientId": "screenshots-phone", "operations": operations}
    _data(phone.post("/api/sync/push", data=body, headers=headers))


LINES = [
    {"kind": "labor", "description": "Demolition and haul-away", "quantity": "12",
     "unit": "h", "unitPrice": "65.00", "taxable": False},
    {"kind": "material", "description": "Porcelain tile, 12×24", "quantity": "120",
     "unit": "sq ft", "unitPrice": "4.25", "taxable": True},
    {"kind": "material", "description": "Thinset and grout", "quantity": "6",
     "unit": "bag", "unitPrice": "18.99", "taxable": True},
    {"kind": "discount", "description": "Returning customer", "quantity": "1",
     "unit": "", "unitPrice": "-100.00", "taxable": False},
]  # fmt: skip


def make_money_and_time(office: APIRequestContext, url: str) -> None:
    """Estimates in three states, an invoice part paid, and a week of crew time, made through
    the API as the office would (once: skipped when the demo already has estimates)."""
    headers = {"X-KHS-CSRF": "1", "Origin": url}
    jobs = _data(office.get("/api/jobs?status=in_progress&pageSize=3"))["data"]
    if not _data(office.get("/api/time-entries?pageSize=1"))["pagination"]["total"]:
        _week_of_time(office, headers, jobs[0]["id"])
    if _data(office.get("/api/estimates"))["pagination"]["total"]:
        return
    for n, job in enumerate(jobs):
        made = office.post(f"/api/jobs/{job['id']}/estimates", data={"lines": LINES},
                           headers=headers)  # fmt: skip
        estimate = _data(made)["data"]
        if n == 2:
            continue  # a draft
        sent = _data(office.post(f"/api/estimates/{estimate['id']}/send", headers=headers))
        if n == 1:
            continue  # sent, waiting for the customer
        token_path = sent["data"]["link"]["url"].split("/e/", 1)[1]
        customer = _data(office.get(f"/api/jobs/{job['id']}"))["data"]["customer"]["name"]
        approved = office.post(f"/api/public/estimates/{token_path}/approve",
                               form={"name": customer, "agree": "yes"})  # fmt: skip
        assert approved.status < 400, approved.text()
        invoice = _data(office.post(f"/api/jobs/{job['id']}/invoices", headers=headers,
                                    data={"kind": "deposit", "estimateId": estimate["id"],
                                          "percent": "30"}))["data"]  # fmt: skip
        office.post(f"/api/invoices/{invoice['id']}/send", headers=headers)
        paid = office.post(f"/api/invoices/{invoice['id']}/payments", headers=headers,
                           data={"amount": "250.00", "method": "check",
                                 "reference": "Check 1042"})  # fmt: skip
        assert paid.ok, paid.text()


def make_change_orders(office: APIRequestContext, phone: APIRequestContext, url: str) -> None:
    """Two change orders written up and signed on a crew phone (as its outbox pushes them),
    waiting for the office to price them (once)."""
    if _data(office.get("/api/change-orders?pageSize=1"))["pagination"]["total"]:
        return
    job = _data(phone.get("/api/jobs?status=in_progress&pageSize=1"))["data"][0]
    customer = _data(office.get(f"/api/jobs/{job['id']}"))["data"]["customer"]["name"]
    work = [
        ("Move the outlet by the sink 30 cm left", "Move outlet", "1", "ea"),
        ("Extra tile row behind the stove", "Backsplash tile", "6", "sq ft"),
    ]
    operations = []
    for seq, (description, line, quantity, unit) in enumerate(work, start=1):
        signature = {
            "name": customer,
            "svgPath": "M20 70 C40 20 60 20 70 60 S100 90 120 40 M140 60 L220 55",
            "signedAt": _iso(datetime.now(UTC) - timedelta(minutes=seq)),
        }
        changes = {
            "jobId": job["id"], "number": None, "photoIds": [], "status": "draft",
            "description": description, "signature": signature,
            "lines": [{"kind": "labor", "description": line, "quantity": quantity,
                       "unit": unit, "unitPrice": None, "taxable": True}],
        }  # fmt: skip
        operations.append(
            {
                "opId": str(uuid.uuid4()),
                "seq": seq,
                "entity": "change_order",
                "entityId": str(uuid.uuid4()),
                "action": "create",
                "changes": changes,
                "baseVersion": None,
            }  # fmt: skip
        )
    pushed = phone.post(
        "/api/sync/push",
        data={"clientId": "screenshots-co", "operations": operations},
        headers={"X-KHS-CSRF": "1", "Origin": url},
    )
    assert all(r["status"] == "applied" for r in _data(pushed)["data"]["results"]), pushed.text()


def _week_of_time(office: APIRequestContext, headers: dict, job_id: str) -> None:
    """Last week's weekdays for three workers: 8½ hours (UTC 13:30 on) with a half-hour
    break."""
    people = _data(office.get("/api/users?pageSize=100"))["data"]
    workers = [p for p in people if p["role"] == "worker" and p.get("active", True)]
    monday = datetime.now(UTC).date() - timedelta(days=datetime.now(UTC).weekday() + 7)
    for person in workers[:3]:
        for day in range(5):
            on = datetime.combine(monday + timedelta(days=day), datetime.min.time(), UTC)
            start, lunch = on + timedelta(hours=13, minutes=30), on + timedelta(hours=17)
            back = lunch + timedelta(minutes=30)
            entry = {
                "userId": person["id"], "jobId": job_id, "startedAt": _iso(start),
                "endedAt": _iso(start + timedelta(hours=8, minutes=30)),
                "breaks": [{"startedAt": _iso(lunch), "endedAt": _iso(back)}],
            }  # fmt: skip
            made = office.post("/api/time-entries", data=entry, headers=headers)
            assert made.ok, made.text()


def _iso(moment) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def shoot(page: Page, out: Path, name: str, path: str, ready: str) -> None:
    page.goto(path)
    page.get_by_role("heading", name=ready, exact=True).first.wait_for()
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(400)
    page.screenshot(path=str(out / f"{name}.png"))
    print(f"saved {name}.png")


def first_href(page: Page, path: str, selector: str) -> str:
    page.goto(path)
    link = page.locator(selector).first
    link.wait_for()
    return link.get_attribute("href") or "/"


def snap(page: Page, out: Path, name: str) -> None:
    page.wait_for_timeout(600)
    page.screenshot(path=str(out / f"{name}.png"))
    print(f"saved {name}.png")


def money_and_time_screens(page: Page, out: Path) -> None:
    """The office's money, time and change-order screens, and the search results."""
    shoot(page, out, "estimates", "/estimates", "Estimates")
    estimate = first_href(page, "/estimates", "table a[href^='/estimates/']")
    shoot(page, out, "estimate", estimate, "Lines")
    shoot(page, out, "invoices", "/invoices", "Invoices")
    today = datetime.now(UTC).date()
    last_week = today - timedelta(days=today.weekday() + 7)  # the demo time is last week's
    shoot(page, out, "timesheets", f"/timesheets?week={last_week.isoformat()}", "Timesheets")
    shoot(page, out, "change-orders", "/change-orders", "Change orders")
    change_order = first_href(page, "/change-orders", "table a[href^='/change-orders/']")
    shoot(page, out, "change-order", change_order, "Signature")
    shoot(page, out, "company", "/settings/company", "Company settings")
    shoot(page, out, "search", "/search?q=garcia", "Search")


def field_screens(browser, url: str, out: Path) -> None:
    """The crew's screens on a phone: Today, a job, the supply run, Sync, Settings, and the
    strip a crew member sees with no signal."""
    phone = browser.new_context(base_url=url, viewport=PHONE, has_touch=True, is_mobile=True)
    page = phone.new_page()
    sign_in(page, WORKER, start="/field")
    page.locator(".job-item").first.wait_for()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=30_000)
    snap(page, out, "field-today")
    job = page.locator(".job-item .job-link").first.get_attribute("href") or "/field"
    page.goto(job)
    page.get_by_role("heading", name="Status").wait_for()
    snap(page, out, "field-job")
    page.get_by_role("heading", name="Photos").scroll_into_view_if_needed()
    snap(page, out, "field-job-photos")
    for name, path, heading in (
        ("field-jobs", "/field/jobs", "Jobs"),
        ("field-supply", "/field/supply", "Supply run"),
        ("field-sync", "/field/sync", "Sync"),
        ("field-settings", "/field/settings", "Settings"),
    ):
        page.goto(path)
        page.get_by_role("heading", name=heading, level=1).wait_for()
        snap(page, out, name)
    phone.set_offline(True)
    page.goto(job)
    page.get_by_role("heading", name="Status").wait_for()
    page.locator(".material-row").first.click()  # ticked with no signal: kept on the phone
    page.locator(".field-strip").wait_for()
    page.evaluate("window.scrollTo(0, 0)")
    snap(page, out, "field-offline")
    phone.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="http://localhost:3500")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        office = browser.new_context(base_url=args.url, viewport=SIZE)
        phone = browser.new_context(base_url=args.url)
        api_session(phone.request, WORKER)
        page = office.new_page()
        sign_in(page, OWNER)
        make_conflicts(office.request, phone.request, args.url)
        make_money_and_time(office.request, args.url)
        make_change_orders(office.request, phone.request, args.url)
        shoot(page, out, "dashboard", "/", "Dashboard")
        shoot(page, out, "customers", "/customers", "Customers")
        customer = first_href(page, "/customers", "table a[href^='/customers/']")
        shoot(page, out, "customer", customer, "Contact")
        shoot(page, out, "jobs-board", "/jobs", "Jobs")
        shoot(page, out, "jobs-list", "/jobs/list?status=in_progress", "Jobs")
        job = first_href(page, "/jobs/list?status=in_progress", "table a[href^='/jobs/']")
        shoot(page, out, "job", job, "Materials")
        shoot(page, out, "schedule", "/schedule", "Schedule")
        shoot(page, out, "people", "/people", "People")
        shoot(page, out, "conflicts", "/conflicts", "Sync conflicts")
        shoot(page, out, "activity", "/activity", "Activity")
        money_and_time_screens(page, out)
        laptop = browser.new_context(base_url=args.url, viewport=LAPTOP)
        narrow = laptop.new_page()
        sign_in(narrow, OWNER)
        shoot(narrow, out, "schedule-1024", "/schedule", "Schedule")
        laptop.close()
        field_screens(browser, args.url, out)
        browser.close()


if __name__ == "__main__":
    main()
