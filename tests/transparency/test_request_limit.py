"""The public page's request limit, counted in the database: one count per address shared by every worker, a
sliding minute, refused requests not counted, and old rows pruned as requests arrive."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, func, select

from cctv.transparency.models import PublicRequest
from cctv.transparency.request_limit import PRUNE_EVERY, allow
from tests.conftest import BACKENDS, build_app, database_url

NOON = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def _rows(session: Session) -> int:
    return session.exec(select(func.count()).select_from(PublicRequest)).one()


def test_a_sliding_minute_per_address(session: Session) -> None:
    seconds = [0, 10, 20, 30, 59, 61, 61, 71]  # limit 3: the 4th and 5th refused; at 61 s the first has aged out
    answers = [allow(session, "192.0.2.1", limit=3, now=NOON + timedelta(seconds=s)) for s in seconds]
    assert answers == [True, True, True, False, False, True, False, True]
    assert allow(session, "192.0.2.2", limit=3, now=NOON + timedelta(seconds=71))  # another address, its own count


def test_refused_requests_are_not_kept_and_old_ones_are_pruned(session: Session) -> None:
    for second in range(100):
        allow(session, "192.0.2.1", limit=5, now=NOON + timedelta(seconds=second / 10))
    assert _rows(session) == 5  # a flood holds at most the limit's rows
    later = NOON + timedelta(minutes=5)
    for n in range(PRUNE_EVERY):  # ids 6 to 25: the 20th request recorded (id 20) prunes what aged out
        assert allow(session, f"198.51.100.{n}", limit=5, now=later)
    assert _rows(session) == PRUNE_EVERY  # the five of the flood are gone; the 20 of this minute are kept


@pytest.mark.parametrize("backend", BACKENDS)
def test_two_workers_share_one_count(backend: str, tmp_path) -> None:
    """Two apps on one database stand for two gunicorn workers: an address gets the limit in all, not per worker."""
    url = database_url(backend, tmp_path)
    first = build_app(url, PUBLIC_RATE_LIMIT=4)
    second = create_second(url)
    try:
        clients = [first.test_client(), second.test_client()]
        codes = [clients[n % 2].get("/public/cameras.csv").status_code for n in range(6)]
        assert codes == [200, 200, 200, 200, 429, 429]
        assert clients[1].get("/public", environ_base={"REMOTE_ADDR": "192.0.2.77"}).status_code == 200
    finally:
        for app in (first, second):
            app.extensions["cctv_db"].engine.dispose()


def create_second(url: str):
    """A second app on the same database, without building the estate again."""
    from cctv.app import create_app

    return create_app({"TESTING": True, "SECRET_KEY": "test", "DATABASE_URL": url, "WTF_CSRF_ENABLED": False,
                       "MAP_TILE_URL": "", "PUBLIC_RATE_LIMIT": 4})


