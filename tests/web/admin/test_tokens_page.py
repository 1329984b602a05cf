"""The API tokens page: the admin picks a lifetime, sees expiry and last use; an expired token gets 401."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from cctv.auth.models import ApiToken, User
from inventory.types import london_time

pytestmark = pytest.mark.usefixtures("quick_app")


def _issue(admin: FlaskClient, user_id: int, **fields: str) -> str:
    html = admin.post("/admin/tokens", data={"user_id": user_id, "name": "GIS team", **fields}).get_data(as_text=True)
    return html


def test_the_admin_chooses_the_lifetime_and_sees_expiry_and_last_use(app: Flask, as_role,
                                                                       app_session: Session) -> None:
    admin = as_role("admin")
    planner = app_session.exec(select(User).where(User.username == "planner")).one()
    html = _issue(admin, planner.id, days="90")
    plain = re.search(r"<code>(cctv_[^<]+)</code>; it expires ([^.]+)\.", html)
    assert plain is not None
    token = app_session.exec(select(ApiToken)).one()
    expected = datetime.now(UTC) + timedelta(days=90)
    assert abs((token.expires_at - expected).total_seconds()) < 60
    assert plain.group(2) == london_time(token.expires_at).strftime("%d %b %Y %H:%M")
    assert "<td>never</td>" in admin.get("/admin/tokens").get_data(as_text=True)
    api = app.test_client()
    assert api.get("/api/v1/cameras", headers={"Authorization": f"Bearer {plain.group(1)}"}).status_code == 200
    app_session.expire_all()
    used = app_session.get(ApiToken, token.id).last_used_at
    assert used is not None and abs((used - datetime.now(UTC)).total_seconds()) < 60
    assert london_time(used).strftime("%d %b %Y %H:%M") in admin.get("/admin/tokens").get_data(as_text=True)


def test_too_long_a_lifetime_is_refused(as_role, app_session: Session, form_view) -> None:
    admin = as_role("admin")
    planner = app_session.exec(select(User).where(User.username == "planner")).one()
    response = admin.post("/admin/tokens", data={"user_id": planner.id, "name": "GIS", "days": "5000"})
    assert response.status_code == 400
    assert form_view(response).error("days") == "At most 730 days."


def test_an_expired_token_gets_401(app: Flask, api_token, app_session: Session) -> None:
    plain = api_token("planner")
    headers = {"Authorization": f"Bearer {plain}"}
    assert app.test_client().get("/api/v1/cameras", headers=headers).status_code == 200
    token = app_session.exec(select(ApiToken)).one()
    token.expires_at = datetime.now(UTC) - timedelta(seconds=1)
    app_session.add(token)
    app_session.commit()
    assert app.test_client().get("/api/v1/cameras", headers=headers).status_code == 401
