"""In real headless Chromium at 390 × 844 (a phone): every page the demo roles can open fits the screen's width —
GET pages without parameters and one of each detail page, each opened by a role that may (the first of the list
below), none wider than the window (document.documentElement.scrollWidth <= innerWidth); tables scroll inside their
own box instead. Files (CSV, PDF, GeoJSON, JSON) are not pages and are left out.
"""

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page

from cctv.auth.models import Role
from cctv.controlroom import incidents, rooms
from cctv.controlroom.models import IncidentCreate
from cctv.web.access import allowed_for
from tests.browser.conftest import TIMEOUT_MS, LiveServer, start_server
from tests.conftest import PASSWORD, build_app
from tests.web.budgets.estate import add_records

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
# Each page is opened by the first of these that may: admin sees most, the others add the pages only they open.
ROLES = (Role.ADMIN, Role.SUPERVISOR, Role.OPERATOR, Role.DPO, Role.PLANNER, Role.ADVISORY, Role.SERVICE_MANAGER)
SKIP = {"static", "auth.logout", "auth.login", "imports.review"}  # logout ends the walk; the review needs an upload
LONG_WORD = "Unbroken" * 20  # 160 characters with no space: a pasted URL or hash must wrap, not widen the page


@pytest.fixture(scope="module")
def phone_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, dict[str, object]]]:
    """The app with one record of each kind (tests/web/budgets/estate.py) and an incident with a very long word."""
    app: Flask = build_app(f"sqlite:///{tmp_path_factory.mktemp('phone')}/app.sqlite3")
    records = add_records(app, 1)
    with app.extensions["cctv_db"].session("fixture") as s:
        room = rooms.ensure_defaults(s)
        long_one = incidents.log_incident(s, IncidentCreate(
            occurred_at=datetime.now(UTC), category="theft", location_text=LONG_WORD, narrative=LONG_WORD * 3,
            outcome=LONG_WORD), room=room, operator="operator", now=datetime.now(UTC))
        s.commit()
    ids = {**vars(records), "incident_id": long_one.id, "table": "totals"}
    live = start_server(app)
    yield live, ids
    live.stop()
    app.extensions["cctv_db"].engine.dispose()


def _pages(app: Flask, ids: dict[str, object]) -> dict[Role, list[str]]:
    """Role → the URLs it opens: each GET page once, by the first role allowed."""
    chosen: dict[Role, list[str]] = {role: [] for role in ROLES}
    with app.test_request_context():
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            if rule.endpoint in SKIP or "GET" not in rule.methods or rule.rule.startswith("/api/"):
                continue
            if not rule.arguments <= ids.keys():
                continue
            url = rule.build({name: ids[name] for name in rule.arguments}, append_unknown=False)[1]
            for role in ROLES:
                if allowed_for(app, rule.endpoint, role):
                    chosen[role].append(url)
                    break
    return chosen


def _sign_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "/login" not in page.url, f"{username} could not sign in"


def _too_wide(page: Page, url: str) -> tuple[str, int, int] | None:
    """(url, page width, window width) when the page is wider than the window; None when it fits or is a file."""
    answer = page.request.get(url)
    if "text/html" not in answer.headers.get("content-type", ""):
        return None
    page.goto(url)
    page.wait_for_load_state()
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    return (url, scroll, inner) if scroll > inner else None


def test_no_page_is_wider_than_a_phone(browser: Browser, phone_server) -> None:
    live, ids = phone_server
    walked, too_wide, csp = 0, [], []
    for role, urls in _pages(live.app, ids).items():
        context = browser.new_context(base_url=live.base_url, locale="en-GB", viewport=PHONE)
        context.set_default_timeout(TIMEOUT_MS)
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(live.base_url)
                      else route.abort())
        page = context.new_page()
        page.on("console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None)
        _sign_in(page, role.value)
        for url in [*urls, "/"]:
            found = _too_wide(page, url)
            walked += 1
            if found:
                too_wide.append((role.value, *found))
        context.close()
    assert walked > 60  # the walk really went through the site (about 80 pages today)
    assert too_wide == [], "\n".join(map(str, too_wide))
    assert csp == [], csp
