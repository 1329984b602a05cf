"""bench/load.py's HTTP side: one signed-in user per session, and a request with its answer and timing."""

import http.client
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlencode

from bench._common import HttpClient, csrf_token

PASSWORD = "demo-password"  # the demo's accounts
TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Answer:
    """One answer: its status (0 for no answer) and Location header."""

    status: int
    location: str = ""
    body: bytes = b""


def request(port: int, method: str, path: str, cookie: str, form: dict[str, str] | None = None) -> Answer:
    """One request on a new connection, the whole answer read; the cookie is sent as it is and never updated."""
    headers = {"User-Agent": "cctv-load/1.0", "Accept": "text/html"}
    if cookie:
        headers["Cookie"] = cookie
    body = None
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_S)
    try:
        connection.request(method, path, body=body, headers=headers)
        answer = connection.getresponse()
        return Answer(answer.status, answer.headers.get("Location") or "", answer.read())
    finally:
        connection.close()


@dataclass
class User:
    """A signed-in user: the session cookie and the entry form's CSRF token (operators)."""

    role: str
    cookie: str
    token: str = ""


def sign_in(port: int, username: str) -> User:
    """Sign in through the login form as a browser would, then (operators) open the entry form for its token."""
    client = HttpClient(port, user_agent="cctv-load/1.0")
    client.login(username, PASSWORD)
    token = ""
    if username == "operator":
        token = csrf_token(client.get("/incidents/new").text) or ""
        if not token:
            raise RuntimeError("/incidents/new: no CSRF token in the entry form")
    return User(username, "; ".join(f"{k}={v}" for k, v in client.cookies.items()), token)


def sign_in_many(port: int, usernames: list[str]) -> list[User]:
    """Each name signed in on a session of its own (a few at once)."""
    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(lambda name: sign_in(port, name), usernames))
