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

PASSWORD = "correct-horse-battery"
PASSWORD_HASH = generate_password_hash(PASSWORD)  # once: hashing is deliberately slow
PG_URL = os.environ.get("CCTV_TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


def reset_postgres(url: str) -> None:
    """An empty public schema (a missing server is a failure, never a skip)."""
    database = Database(url)
    with database.engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
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
                      "MAP_TILE_URL": "", **config})
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
