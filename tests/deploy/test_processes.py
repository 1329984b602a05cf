"""The production processes started as deploy/systemd describes them: the web unit's migrations and gunicorn with
the repository's config (2 workers on a free local port), and `cctv scheduler`, in production mode on PostgreSQL
(CCTV_TEST_DATABASE_URL) or else a SQLite file. The first admin is made with `cctv users create`, then a request
arrives as nginx would pass it on: /health answers, the admin signs in, reads a page, and both processes stop
cleanly on SIGTERM (what systemd sends)."""

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.conftest import PG_URL, reset_postgres
from tests.deploy.units import REPO, command, local_command

VENV_BIN = Path(sys.executable).parent
SECRET = "a-production-secret-key-of-more-than-32-characters"
PASSWORD = "first-admin-password"
START_SECONDS = 15
NGINX = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}  # what deploy/nginx/cctv.conf sets


def free_port() -> int:
    """A port nothing listens on now (the kernel's choice)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def production_environment(url: str, port: int) -> dict[str, str]:
    """This machine's environment without CCTV_* settings, plus what /etc/cctv/cctv.env would hold."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CCTV_", "GUNICORN_")) and k not in ("DATABASE_URL", "WEB_CONCURRENCY")}
    env.update(PYTHONPATH=str(REPO), PYTHONUNBUFFERED="1", CCTV_ENV="production", CCTV_SECRET_KEY=SECRET,
               CCTV_DATABASE_URL=url, CCTV_MAP_TILE_URL="", CCTV_PROXY_HOPS="1",
               GUNICORN_BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="2", CCTV_NEW_PASSWORD=PASSWORD)
    return env


class Client:
    """HTTP to the local gunicorn as nginx forwards it, keeping cookies by hand: production cookies are Secure, and
    the client's side of the proxy is HTTPS."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict[str, str] | None = None) -> http.client.HTTPResponse:
        """One request; the answer read (its text in .text) and its cookies kept."""
        headers = {**NGINX, "Referer": f"https://127.0.0.1:{self.port}/login"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        response.text = response.read().decode()  # type: ignore[attr-defined]
        connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            assert "Secure" in header and "HttpOnly" in header, header
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response


def wait_for(predicate, what: str, processes: list[subprocess.Popen]) -> None:
    """Poll until predicate() is true, failing fast if a process died."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        for process in processes:
            assert process.poll() is None, f"{process.args[0]} exited with {process.returncode} before {what}"
        try:
            if predicate():
                return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"no {what} within {START_SECONDS} s")


def test_gunicorn_and_the_scheduler_run_sign_in_and_stop_as_deployed(tmp_path: Path) -> None:
    if PG_URL:
        reset_postgres(PG_URL)
    url = PG_URL or f"sqlite:///{tmp_path}/cctv.sqlite3"
    port = free_port()
    env = production_environment(url, port)
    run = {"cwd": REPO, "env": env, "capture_output": True, "text": True, "timeout": 60}
    migrate = subprocess.run(local_command(command("cctv-web.service", "ExecStartPre"), VENV_BIN), **run)
    assert migrate.returncode == 0, migrate.stderr
    admin = subprocess.run([str(VENV_BIN / "cctv"), "users", "create", "alice", "--role", "admin",
                            "--full-name", "Alice Admin"], **run)
    assert admin.returncode == 0, admin.stderr

    web_log, scheduler_log = tmp_path / "web.log", tmp_path / "scheduler.log"
    processes: list[subprocess.Popen] = []
    try:
        for unit_name, log in (("cctv-web.service", web_log), ("cctv-scheduler.service", scheduler_log)):
            with log.open("w") as out:
                processes.append(subprocess.Popen(local_command(command(unit_name), VENV_BIN), cwd=REPO, env=env,
                                                  stdout=out, stderr=subprocess.STDOUT))
        web, scheduler = processes
        client = Client(port)
        wait_for(lambda: client.request("GET", "/health").status == 200, "healthy /health", processes)
        wait_for(lambda: "DPIA scheduler:" in scheduler_log.read_text(), "scheduler running", processes)

        health = client.request("GET", "/health")
        assert json.loads(health.text) == {"status": "ok", "database": "ok"}
        assert health.headers["Server"] == "gunicorn"  # no version of it, Werkzeug or Python
        assert health.headers["Strict-Transport-Security"].startswith("max-age=")

        login_page = client.request("GET", "/login")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"',
                          login_page.text)
        assert token, login_page.text[:500]
        signed_in = client.request("POST", "/login", {"username": "alice", "password": PASSWORD,
                                                      "csrf_token": token.group(1) or token.group(2)})
        assert signed_in.status == 302, signed_in.text[:500]
        cameras = client.request("GET", "/cameras")
        assert cameras.status == 200
        assert "Alice Admin" in cameras.text and "Sign out" in cameras.text
        assert "demo" not in cameras.text.lower()  # an empty production register: no demo estate

        for process in processes:
            process.send_signal(signal.SIGTERM)
        assert web.wait(timeout=15) == 0
        assert scheduler.wait(timeout=15) == 0
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()

    assert "DPIA scheduler stopped." in scheduler_log.read_text()
    lines = [json.loads(line) for line in web_log.read_text().splitlines() if line.startswith("{")]
    page = next(line for line in lines if line["path"] == "/cameras")
    assert page["method"] == "GET" and page["status"] == 200 and page["duration_ms"] >= 0
    assert page["user_id"] and page["user_id"].isdigit()  # who read it
    assert page["remote"] == "203.0.113.9"  # the client's address nginx passed on, not the proxy's
