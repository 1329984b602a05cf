"""Every response carries the security headers (CSP with only the app and the map tile host, no framing, no
sniffing, same-origin referrers, HSTS in production), pages keep to that CSP (no inline scripts or styles), and
the app trusts X-Forwarded-* headers only from as many proxies as PROXY_HOPS says."""

import re
from pathlib import Path

import pytest
from flask import Flask

from cctv.web.hardening import USER_ID_ENVIRON, content_security_policy, tile_source
from tests.conftest import build_app, login

TEMPLATES = Path(__file__).resolve().parents[2] / "cctv" / "web"


def _directives(policy: str) -> dict[str, list[str]]:
    return {name: values for name, *values in (part.split() for part in policy.split(";"))}


def _get_routes(app: Flask) -> list[str]:
    """Every GET page whose URL needs no arguments (the pages of the navigation and more)."""
    with app.test_request_context():
        return sorted({rule.rule for rule in app.url_map.iter_rules()
                       if "GET" in rule.methods and not rule.arguments and rule.endpoint != "auth.logout"})


def _check(response, url: str) -> None:
    headers = response.headers
    policy = _directives(headers["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"], url
    assert policy["script-src"] == ["'self'"], url  # no 'unsafe-inline', no other host
    assert policy["style-src"] == ["'self'"], url
    assert policy["frame-ancestors"] == ["'none'"], url
    assert policy["object-src"] == ["'none'"], url
    assert headers["X-Frame-Options"] == "DENY", url
    assert headers["X-Content-Type-Options"] == "nosniff", url
    assert headers["Referrer-Policy"] == "same-origin", url


def test_every_page_for_a_signed_in_admin_carries_the_security_headers(app: Flask, quick_app: None) -> None:
    client = app.test_client()
    login(client, "admin")
    urls = _get_routes(app)
    assert len(urls) > 30  # every area's pages, not a handful
    for url in [*urls, "/static/app.css", "/no-such-page"]:
        response = client.get(url)
        assert response.status_code < 500, url
        _check(response, url)
        assert "Strict-Transport-Security" not in response.headers  # development: plain http is allowed


def test_signed_out_pages_and_api_errors_carry_them_too(client) -> None:
    for url in ("/login", "/cameras", "/api/v1/cameras", "/health"):
        _check(client.get(url), url)


def test_the_csp_allows_the_configured_tile_host_and_no_other(tmp_path) -> None:
    app = build_app(f"sqlite:///{tmp_path}/t.sqlite3", MAP_TILE_URL="https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png")
    images = _directives(app.test_client().get("/login").headers["Content-Security-Policy"])["img-src"]
    assert images == ["'self'", "data:", "https://*.tile.openstreetmap.org"]
    app.extensions["cctv_db"].engine.dispose()


@pytest.mark.parametrize(("url", "source"), [
    ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
    ("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", "https://*.tile.openstreetmap.org"),
    ("https://tiles.example.gov.uk:8443/os/{z}/{x}/{y}.png?key=abc", "https://tiles.example.gov.uk:8443"),
    ("", None),  # no tiles configured: no host at all
    ("javascript:alert(1)", None),
    ("https://tiles.{s}.example.org/{z}.png", None),  # a placeholder CSP cannot express: nothing, not everything
])
def test_the_tile_host_becomes_one_csp_source(url: str, source: str | None) -> None:
    assert tile_source(url) == source
    images = _directives(content_security_policy(url))["img-src"]
    assert images == ["'self'", "data:", *([source] if source else [])]


def test_production_adds_hsts(tmp_path) -> None:
    app = build_app(f"sqlite:///{tmp_path}/p.sqlite3", ENV="production", SECRET_KEY="x" * 40)
    response = app.test_client().get("/login")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    app.extensions["cctv_db"].engine.dispose()


def test_templates_have_no_inline_scripts_styles_or_handlers() -> None:
    """The CSP forbids them: a page that needs one would silently break in the browser."""
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=\"|\son[a-z]+=\"|javascript:", re.I)
    for path in TEMPLATES.rglob("*.html"):
        found = inline.findall(path.read_text())
        assert not found, f"{path.relative_to(TEMPLATES)}: {found}"


FORWARDED = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https",
             "X-Forwarded-Host": "cctv.example.gov.uk", "X-Forwarded-Prefix": "/cctv"}


def _seen_behind(app: Flask) -> dict[str, str]:
    """What the app believes about a request sent with X-Forwarded-* headers: scheme, client and its own URL."""
    seen: dict[str, str] = {}

    @app.get("/_probe")
    def probe():
        from flask import request, url_for

        seen.update(scheme=request.scheme, remote=request.remote_addr, url=url_for("auth.login", _external=True))
        return "ok"

    app.test_client().get("/_probe", headers=FORWARDED)
    app.extensions["cctv_db"].engine.dispose()
    return seen


def test_forwarded_headers_are_ignored_without_a_proxy(tmp_path) -> None:
    seen = _seen_behind(build_app(f"sqlite:///{tmp_path}/x.sqlite3"))  # anyone could send them
    assert seen == {"scheme": "http", "remote": "127.0.0.1", "url": "http://localhost/login"}


def test_behind_one_proxy_the_forwarded_scheme_host_and_prefix_are_used(tmp_path) -> None:
    seen = _seen_behind(build_app(f"sqlite:///{tmp_path}/x.sqlite3", PROXY_HOPS=1))
    assert seen == {"scheme": "https", "remote": "203.0.113.7", "url": "https://cctv.example.gov.uk/cctv/login"}


def test_the_signed_in_user_id_is_left_for_the_access_log(app: Flask) -> None:
    """gunicorn's access log line reads it from the WSGI environ (deploy/gunicorn.conf.py)."""
    environs: list[dict] = []
    inner = app.wsgi_app

    def recording(environ, start_response):
        environs.append(environ)
        return inner(environ, start_response)

    app.wsgi_app = recording  # type: ignore[method-assign]
    client = app.test_client()
    login(client, "admin")
    assert client.get("/cameras").status_code == 200
    assert client.get("/static/app.css").status_code == 200
    login_post, cameras, static = environs
    assert login_post[USER_ID_ENVIRON] == cameras[USER_ID_ENVIRON]
    assert cameras[USER_ID_ENVIRON].isdigit()
    assert USER_ID_ENVIRON not in static  # no user loaded (no query) for a file
