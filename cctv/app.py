"""The application factory."""

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask

from cctv.config import load_config
from cctv.db import Database
from siting.store import capacity


def create_app(test_config: Mapping[str, Any] | None = None, *, web: bool = True) -> Flask:
    """Build the app: layered configuration, the database, login, CSRF and the blueprints.

    `web=False` leaves out the web layer (login, CSRF and every blueprint, with the modules they import): the
    `cctv` commands that only read configuration and the database start in a fraction of the time.
    """
    app = Flask("cctv", instance_relative_config=True, template_folder="web/templates", static_folder="web/static")
    os.makedirs(app.instance_path, exist_ok=True)
    load_config(app.config, app.instance_path, test_config)
    app.extensions["cctv_db"] = Database(app.config["DATABASE_URL"], echo=app.config["SQL_ECHO"])
    capacity.configure(app.config["SITING_MEMORY_MB"])

    if web:
        from cctv.web import init_web

        init_web(app)
    return app
