"""Fixtures: a database per test (SQLite, and PostgreSQL too when CCTV_TEST_DATABASE_URL is set), a small
known estate, and an app with one account per role."""

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlmodel import Session, select
from werkzeug.security import generate_password_hash

from cctv.app import create_app
from cctv.auth.models import Role, User, UserServiceArea
from cctv.db import Database, normalise_url
from cctv.models import metadata
from inventory.models import Camera, ServiceArea
from inventory.types import CameraKind, CameraStatus
from siting.store.postgis import install_postgis

PASSWORD = "correct-horse-battery"
PASSWORD_HASH = generate_password_hash(PASSWORD)  # once: hashing is deliberately slow
PG_URL = os.environ.get("CCTV_TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


def reset_postgres(url: str) -> None:
    """An empty public schema (a missing server is a failure, never a skip)."""
    database = Database(url)
    with database.engine.begin() as connection:
        # A connection an earlier test left idle in a transaction (a session never closed) would hold its locks
        # and make this wait for ever: end it, so one leak cannot hang the whole run. (The one seen in CI was the
        # statement budgets' fixture reading after its session's block; their readings now check for this.)
        connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
        # PostGIS stays installed in its own schema (siting.store.postgis), so the crimes' point and the SQL paths
        # are tested whenever the server has it; a server without it tests the in-memory path only.
        install_postgis(connection)
    database.engine.dispose()


def database_url(backend: str, tmp_path) -> str:
    """A fresh, empty database of the given backend."""
    if backend == "postgresql":
        assert PG_URL
        reset_postgres(PG_URL)
        return normalise_url(PG_URL)
    return f"sqlite:///{tmp_path}/test.sqlite3"


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path) -> Iterator[Database]:
    """An empty database with every table, on each backend under test."""
    db = Database(database_url(request.param, tmp_path))
    metadata.create_all(db.engine)
    yield db
    db.engine.dispose()


@pytest.fixture
def session(database: Database) -> Iterator[Session]:
    """A session audited as 'tester'."""
    with database.session("tester") as s:
        yield s


@dataclass
class Estate:
    """The ids of a small known estate."""

    community_safety: int
    parking: int
    town_camera: int
    car_park_camera: int
    covert_camera: int


def make_estate(session: Session) -> Estate:
    """Two service areas; a public-space camera, a car-park camera and a covert camera."""
    cs = ServiceArea(code="CS", name="Community Safety")
    park = ServiceArea(code="PARK", name="Parking Services")
    session.add_all([cs, park])
    session.flush()
    town = Camera(asset_id="CS-001", name="Frogmoor north", service_area_id=cs.id,
                  kind=CameraKind.PUBLIC_SPACE_FIXED, status=CameraStatus.OPERATIONAL, location_text="Frogmoor",
                  town="High Wycombe", longitude=-0.7493, latitude=51.6295, install_date=date(2012, 5, 1))
    car_park = Camera(asset_id="PARK-001", name="Exchange Street car park", service_area_id=park.id,
                      kind=CameraKind.CAR_PARK, location_text="Exchange Street", town="Aylesbury",
                      longitude=-0.8100, latitude=51.8150, install_date=date(2021, 3, 1))
    covert = Camera(asset_id="PARK-COV-1", name="Fly-tipping hide", service_area_id=park.id,
                    kind=CameraKind.COVERT, location_text="Lay-by, A413", town="Wendover",
                    longitude=-0.74, latitude=51.76)
    session.add_all([town, car_park, covert])
    session.commit()
    return Estate(cs.id, park.id, town.id, car_park.id, covert.id)


@pytest.fixture
def estate(session: Session) -> Estate:
    """The small estate, committed."""
    return make_estate(session)


def add_users(session: Session, parking_id: int) -> None:
    """One account per role, named after it; the service manager looks after Parking only."""
    for role in Role:
        session.add(User(username=role.value, full_name=f"Test {role.value}", role=role,
                         password_hash=PASSWORD_HASH, covert_access=role == Role.SUPERVISOR))
    session.flush()
    manager = session.exec(select(User).where(User.username == Role.SERVICE_MANAGER.value)).one()
    session.add(UserServiceArea(user_id=manager.id, service_area_id=parking_id))
    session.commit()


def build_app(url: str, **config: object) -> Flask:
    """An app on this database with the tables, the small estate and one account per role."""
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "DATABASE_URL": url, "WTF_CSRF_ENABLED": False,
                      "MAP_TILE_URL": "",
                      "CRIME_IMPORT_IN_BACKGROUND": False, **config})
    database: Database = app.extensions["cctv_db"]
    metadata.create_all(database.engine)
    with database.session("fixture") as s:
        estate = make_estate(s)
        add_users(s, estate.parking)
    app.config["TEST_ESTATE"] = estate
    return app


@pytest.fixture
def app(tmp_path) -> Iterator[Flask]:
    """The app on SQLite with the small estate and one account per role."""
    app = build_app(f"sqlite:///{tmp_path}/app.sqlite3")
    yield app
    app.extensions["cctv_db"].engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client, signed out."""
    return app.test_client()


def login(client: FlaskClient, username: str, password: str = PASSWORD) -> None:
    """Sign in through the real login form."""
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 302, f"login as {username} failed"


@pytest.fixture
def as_role(client: FlaskClient):
    """Sign the client in as the account of a role: as_role('operator')."""

    def sign_in(role: str) -> FlaskClient:
        login(client, role)
        return client

    return sign_in


# --- Added for the web-layer tests (new fixtures only; the ones above are unchanged) ---


@pytest.fixture
def app_session(app: Flask) -> Iterator[Session]:
    """A session on the app's own database (audited as 'tester'), for arranging and checking records."""
    with app.extensions["cctv_db"].session("tester") as s:
        yield s


@pytest.fixture
def api_token(app: Flask):
    """Issue an API token for an account of the app: api_token('supervisor') -> the plain bearer token."""
    from cctv.auth.service import issue_token

    def issue(username: str, name: str = "test integration") -> str:
        with app.extensions["cctv_db"].session("fixture") as s:
            user = s.exec(select(User).where(User.username == username)).one()
            _, plain = issue_token(s, user, name)
            s.commit()
        return plain

    return issue


class FormView:
    """What a rendered page shows in its forms: typed values, chosen options and the errors beside fields."""

    def __init__(self, html: str) -> None:
        from html.parser import HTMLParser

        self.values: dict[str, list[str]] = {}
        self.selected: dict[str, list[str]] = {}
        self.options: dict[str, list[str]] = {}
        self.errors: dict[str, list[str]] = {}
        self.multiple: set[str] = set()
        view = self

        class Parser(HTMLParser):
            select: str | None = None
            textarea: str | None = None
            error: str | None = None
            option: dict[str, str] | None = None
            option_text = ""
            in_search_box = False  # the header's search box is chrome, not one of the page's forms

            def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
                a = {k: v or "" for k, v in attrs}
                if tag == "form" and "site-search" in a.get("class", "").split():
                    self.in_search_box = True
                if self.in_search_box:
                    return
                if tag == "input" and a.get("type") not in ("checkbox", "radio", "submit"):
                    view.values.setdefault(a.get("name", ""), []).append(a.get("value", ""))
                elif tag == "input" and "checked" in a:
                    view.values.setdefault(a.get("name", ""), []).append(a.get("value", "y"))
                elif tag == "select":
                    self.select = a.get("name", "")
                    view.options.setdefault(self.select, [])
                    if "multiple" in a:
                        view.multiple.add(self.select)
                elif tag == "option" and self.select is not None:
                    self.option = a
                    self.option_text = ""
                elif tag == "textarea":
                    self.textarea = a.get("name", "")
                    view.values.setdefault(self.textarea, []).append("")
                elif tag == "span" and "error" in a.get("class", "").split() and a.get("id", "").endswith("-error"):
                    self.error = a["id"].removesuffix("-error")

            def handle_endtag(self, tag: str) -> None:
                if tag == "form":
                    self.in_search_box = False
                if tag == "option" and self.option is not None and self.select is not None:
                    value = self.option.get("value", self.option_text.strip())  # no value: the option's text
                    view.options[self.select].append(value)
                    if "selected" in self.option:
                        view.selected.setdefault(self.select, []).append(value)
                    self.option = None
                elif tag == "select":
                    self.select = None
                elif tag == "textarea":  # a browser drops one newline straight after <textarea>
                    text = view.values[self.textarea][-1]
                    view.values[self.textarea][-1] = text[2:] if text.startswith("\r\n") else text.removeprefix("\n")
                    self.textarea = None
                elif tag == "span":
                    self.error = None

            def handle_data(self, data: str) -> None:
                if self.option is not None:
                    self.option_text += data
                if self.textarea is not None:
                    view.values[self.textarea][-1] += data
                if self.error is not None:
                    view.errors.setdefault(self.error, []).append(data.strip())

        Parser().feed(html)

    def value(self, name: str) -> str:
        """The value an input or textarea shows ('' when empty); KeyError when there is no such field."""
        return self.values[name][0]

    def choice(self, name: str) -> str | None:
        """The option selected in a select."""
        chosen = self.selected.get(name)
        return chosen[0] if chosen else None

    def error(self, name: str) -> str:
        """The error text shown beside a field ('' when none)."""
        return " ".join(self.errors.get(name, []))

    def submission(self, **changes: str) -> dict[str, str]:
        """What a browser would send for the page's form as shown, with some fields changed (a single form)."""
        data = {name: values[0] for name, values in self.values.items() if name}
        for name, options in self.options.items():
            chosen = self.selected.get(name) or ([] if name in self.multiple else options[:1])
            if chosen:
                data[name] = chosen[0]
        data.update(changes)
        return data


@pytest.fixture
def form_view():
    """Read a response's forms: form_view(response).value('asset_id'), .choice('kind'), .error('asset_id')."""

    def read(response) -> FormView:
        return FormView(response.get_data(as_text=True))

    return read


@pytest.fixture(scope="session")
def template_cache():
    """A Jinja bytecode cache kept in memory for the whole run (every test's app would compile the templates again)."""
    from jinja2.bccache import Bucket, BytecodeCache

    class SharedTemplateCache(BytecodeCache):
        def __init__(self) -> None:
            self.store: dict[str, bytes] = {}

        def load_bytecode(self, bucket: Bucket) -> None:
            if bucket.key in self.store:
                bucket.bytecode_from_string(self.store[bucket.key])

        def dump_bytecode(self, bucket: Bucket) -> None:
            self.store[bucket.key] = bucket.bytecode_to_string()

    return SharedTemplateCache()


@pytest.fixture
def quick_app(app: Flask, template_cache) -> None:
    """Make the `app` fixture quick to use: cheap password hashes and templates compiled once per run.

    The accounts get a cheap hash of the same PASSWORD (a bulk UPDATE, so no audit entries), so signing in
    through the real login form costs nothing; tests of the hashing itself should not use this fixture.
    """
    from sqlmodel import update

    cheap = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")
    with app.extensions["cctv_db"].session("fixture") as s:
        s.exec(update(User).values(password_hash=cheap))
        s.commit()
    app.jinja_env.bytecode_cache = template_cache
