"""The production entry point (cctv/wsgi.py) as a worker imports it."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_worker_freezes_what_starting_up_made(tmp_path: Path) -> None:
    env = {**os.environ, "CCTV_DATABASE_URL": f"sqlite:///{tmp_path}/w.sqlite3", "CCTV_ENV": "development",
           "PYTHONPATH": str(ROOT)}
    env.pop("DATABASE_URL", None)
    found = subprocess.run(
        [sys.executable, "-c", "import gc, cctv.wsgi; print(cctv.wsgi.app.name, gc.get_freeze_count())"],
        env=env, cwd=tmp_path, capture_output=True, text=True, check=True).stdout.split()
    assert found[0] == "cctv"
    assert int(found[1]) > 10_000  # the app, its modules and mappers: out of the collector's full walks
