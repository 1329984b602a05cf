"""An empty database on each backend under test, for the migration tests."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from cctv.db import normalise_url
from tests.conftest import BACKENDS, PG_URL, reset_postgres


@pytest.fixture(params=BACKENDS)
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database without any table, on each backend under test."""
    if request.param == "postgresql":
        assert PG_URL
        reset_postgres(PG_URL)
        yield normalise_url(PG_URL)
    else:
        yield f"sqlite:///{tmp_path}/migrated.sqlite3"
