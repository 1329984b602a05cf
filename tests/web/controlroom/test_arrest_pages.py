"""The incident page's arrests: the count typed when logging becomes records, whose offence group, offence and
outcome an operator records later; a bad value comes back beside its field with what was typed kept."""

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlmodel import Session

from cctv.controlroom import incidents, rooms
from cctv.controlroom.arrests import incident_arrests
from cctv.controlroom.models import IncidentCreate

pytestmark = pytest.mark.usefixtures("quick_app")


def _incident(session: Session, arrests: int = 1) -> int:
    room = rooms.ensure_defaults(session)
    now = datetime.now(UTC)
    incident = incidents.log_incident(session, IncidentCreate(
        occurred_at=now - timedelta(hours=1), category="robbery", arrests=arrests,
        arrest_offences="Robbery" if arrests else ""), room=room, operator="operator", now=now)
    session.commit()
    return incident.id


def test_an_operator_records_the_offence_and_later_the_outcome(as_role, form_view, app_session: Session) -> None:
    incident_id = _incident(app_session)
    client = as_role("operator")
    html = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    [arrest] = incident_arrests(app_session, incident_id)
    assert f'data-arrest="{arrest.id}"><td>Robbery</td>' in html and "Not known yet" in html
    url = f"/incidents/{incident_id}/arrests/{arrest.id}"
    page = form_view(client.get(url))
    assert (page.choice("offence_group"), page.choice("outcome")) == ("robbery", "not_known")
    response = client.post(url, data={"offence_group": "robbery", "offence": "s.8 Theft Act 1968",
                                      "outcome": "charged"})
    assert response.status_code == 302
    app_session.expire_all()
    [arrest] = incident_arrests(app_session, incident_id)
    assert (arrest.offence, arrest.outcome.value) == ("s.8 Theft Act 1968", "charged")
    html = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert "s.8 Theft Act 1968" in html and ">Charged" in html


def test_a_second_arrest_is_added_and_a_mistaken_one_removed(as_role, app_session: Session) -> None:
    incident_id = _incident(app_session)
    client = as_role("supervisor")
    assert client.post(f"/incidents/{incident_id}/arrests/new", data={
        "offence_group": "possession_of_weapons_offences", "offence": "Bladed article", "outcome": "bailed"}
    ).status_code == 302
    app_session.expire_all()
    assert incidents.get_incident(app_session, incident_id).arrests == 2
    first = incident_arrests(app_session, incident_id)[0]
    assert client.post(f"/incidents/{incident_id}/arrests/{first.id}/remove").status_code == 302
    app_session.expire_all()
    assert incidents.get_incident(app_session, incident_id).arrests == 1
    assert [a.offence for a in incident_arrests(app_session, incident_id)] == ["Bladed article"]


def test_bad_values_come_back_beside_the_field(as_role, form_view, app_session: Session) -> None:
    incident_id = _incident(app_session)
    client = as_role("operator")
    response = client.post(f"/incidents/{incident_id}/arrests/new", data={
        "offence_group": "robbery", "offence": "x" * 201, "outcome": "charged"})
    assert response.status_code == 400
    page = form_view(response)
    assert page.error("offence") and page.choice("outcome") == "charged"
    response = client.post(f"/incidents/{incident_id}/arrests/new", data={
        "offence_group": "treason", "offence": "", "outcome": "charged"})
    assert response.status_code == 400 and form_view(response).error("offence_group")
    assert incidents.get_incident(app_session, incident_id).arrests == 1


def test_other_roles_cannot_change_arrests(app: Flask, as_role, app_session: Session) -> None:
    incident_id = _incident(app_session)
    [arrest] = incident_arrests(app_session, incident_id)
    client = as_role("dpo")
    assert client.get(f"/incidents/{incident_id}/arrests/{arrest.id}").status_code == 403
    assert client.post(f"/incidents/{incident_id}/arrests/new", data={"offence_group": "robbery",
                                                                      "outcome": "charged"}).status_code == 403
