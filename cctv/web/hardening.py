"""What every response carries for a council's production: security headers (a CSP that allows the app's own
scripts and styles and the map tile host, no framing, no sniffing, HSTS in production), the reverse proxy's
forwarded headers when configured, and the signed-in user's id for the access log."""

from urllib.parse import urlsplit

from flask import Flask, Response, g, request
from werkzeug.middleware.proxy_fix import ProxyFix

# The WSGI environ key the access log reads the user id from (gunicorn: %({cctv.user_id}e)s; deploy/gunicorn.conf.py)
USER_ID_ENVIRON = "cctv.user_id"


def tile_source(tile_url: str) -> str | None:
    """The CSP source of a Leaflet tile URL template: its scheme and host, `{s}.` as a wildcard subdomain.

    "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png" → "https://*.tile.openstreetmap.org"; no URL (or one
    that is not http/https) → None, so no tile host is allowed at all.
    """
    if not tile_url:
        return None
    parts = urlsplit(tile_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    host = parts.netloc
    first, _, rest = host.partition(".")
    if first.startswith("{") and first.endswith("}") and rest:
        host = "*." + rest  # Leaflet's subdomain placeholder: a CSP wildcard covers a.tile…, b.tile…, c.tile…
    if "{" in host or "}" in host:
        return None  # a placeholder CSP cannot express: allow nothing rather than too much
    return f"{parts.scheme}://{host}"


def content_security_policy(tile_url: str) -> str:
    """The page policy: everything from the app itself, map tiles from the configured host, nothing inline."""
    images = ["'self'", "data:"]  # Leaflet's controls draw a few images as data: URIs
    tiles = tile_source(tile_url)
    if tiles:
        images.append(tiles)
    directives = {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",  # no inline style attributes either: the templates use classes and SVG attributes
        "img-src": " ".join(images),
        "connect-src": "'self'",
        "font-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def security_headers(config) -> dict[str, str]:
    """The headers every response carries, from the configuration (computed once at start)."""
    headers = {
        "Content-Security-Policy": content_security_policy(config.get("MAP_TILE_URL") or ""),
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    }
    if config.get("ENV") == "production":
        headers["Strict-Transport-Security"] = f"max-age={int(config['HSTS_SECONDS'])}; includeSubDomains"
    return headers


def init_hardening(app: Flask) -> None:
    """Trust the configured number of proxies, add the security headers, and note the user for the access log."""
    hops = int(app.config.get("PROXY_HOPS") or 0)
    if hops > 0:
        # Only as many X-Forwarded-* values as there are proxies we run: the rest could be typed by anyone.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_prefix=hops)  # type: ignore[method-assign]
    headers = security_headers(app.config)

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        """Set the headers unless a view chose its own (none does today)."""
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        _note_user(request.environ)
        return response


def _note_user(environ: dict) -> None:
    """The signed-in user's id into the WSGI environ for the access log, only if this request loaded the user.

    Reading flask_login's `current_user` here would load the user (a query) on requests that never needed it, such
    as static files; pages behind @allow have loaded it already.
    """
    user = g.get("_login_user")
    if user is not None and getattr(user, "is_authenticated", False):
        environ[USER_ID_ENVIRON] = str(user.get_id())
