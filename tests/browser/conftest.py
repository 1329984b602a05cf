"""Browser fixtures: the real app served over HTTP in a background thread, and Debian's headless Chromium.

The browser and the server start once per module; each test gets a fresh browser context (its own cookies), so
tests do not depend on each other's sign-in. Playwright never downloads a browser: it drives /usr/bin/chromium,
and a missing Chromium is a failure, not a skip (CI installs it).
"""

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Route, sync_playwright
from werkzeug.serving import BaseWSGIServer, make_server

from tests.conftest import PASSWORD, build_app

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
TIMEOUT_MS = 15_000  # generous for a loaded CI machine; a healthy run takes well under a second per step


@dataclass
class LiveServer:
    """The app on a free local port, served by werkzeug in a daemon thread."""

    app: Flask
    server: BaseWSGIServer
    thread: threading.Thread
    base_url: str = field(init=False)

    def __post_init__(self) -> None:
        self.base_url = f"http://127.0.0.1:{self.server.server_port}"

    def url(self, path: str) -> str:
        """An absolute URL on this server."""
        return self.base_url + path

    def stop(self) -> None:
        """Stop serving and wait for the thread."""
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


def start_server(app: Flask) -> LiveServer:
    """Serve the app on 127.0.0.1 at a free port (port 0) in a background thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    return LiveServer(app, server, thread)


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The real app (small estate, one account per role, no map tiles) on a SQLite file, over HTTP."""
    path = tmp_path_factory.mktemp("browser") / "app.sqlite3"
    app = build_app(f"sqlite:///{path}")
    live = start_server(app)
    yield live
    live.stop()
    app.extensions["cctv_db"].engine.dispose()


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    """Playwright's sync API, once per module."""
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Debian's headless Chromium; its absence fails the test run."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)")
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


@dataclass
class Tab:
    """A page in a fresh context, every request it tried to send off this machine, and what the CSP blocked."""

    page: Page
    outside_requests: list[str]
    csp_violations: list[str] = field(default_factory=list)


@pytest.fixture
def tab(browser: Browser, live_server: LiveServer) -> Iterator[Tab]:
    """A new page with its own cookies; requests to anywhere but the live server are blocked and recorded."""
    context: BrowserContext = browser.new_context(base_url=live_server.base_url, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    outside: list[str] = []

    def only_local(route: Route) -> None:
        if route.request.url.startswith(live_server.base_url + "/"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    page = context.new_page()
    tab = Tab(page, outside)

    def note_csp(message) -> None:  # Chromium reports each blocked script, style or image on the console
        if "Content Security Policy" in message.text:
            tab.csp_violations.append(message.text)

    page.on("console", note_csp)
    yield tab
    context.close()
    # The app's own pages must work under its own policy: anything blocked is a page the CSP broke.
    assert tab.csp_violations == [], tab.csp_violations


def sign_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the real login form and land: operators on the incident log, everyone else on the camera
    list."""
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/incidents" if username.startswith("operator") else "**/cameras")
