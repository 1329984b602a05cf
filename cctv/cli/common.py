"""What every `cctv` command shares: the database of the app the command runs in."""

from flask import current_app

from cctv.db import Database


def database() -> Database:
    """The app's database (the `cctv` command builds the app from configuration before running a command)."""
    return current_app.extensions["cctv_db"]
