"""The funding register's pages: recording an award against the cameras it paid for, and the totals by source."""

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, func, select

from inventory.models import Funding

pytestmark = pytest.mark.usefixtures("quick_app")

TYPED = {"reference": "NCIL-2025-03", "source": "s106", "amount": "12500.50", "awarded_on": "2025-03-14",
         "description": "Town-centre upgrade", "sites": "Frogmoor; Exchange Street", "asset_ids": "CS-001, NOPE-9"}


@pytest.fixture
def planner(as_role) -> FlaskClient:
    return as_role("planner")


def _record(client: FlaskClient, form_view, **typed: str):
    return client.post("/funding/new", data=form_view(client.get("/funding/new")).submission(**typed))


def _awards(session: Session) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(Funding)).one()


def test_unknown_asset_id_is_refused_beside_the_field_and_keeps_what_was_typed(
    planner: FlaskClient, form_view, app_session: Session
) -> None:
    response = _record(planner, form_view, **TYPED)
    assert response.status_code == 400
    page = form_view(response)
    assert page.error("asset_ids") == "Not in the register: NOPE-9"
    for name in ("reference", "amount", "awarded_on", "description", "sites", "asset_ids"):
        assert page.value(name) == TYPED[name], name
    assert page.choice("source") == "s106"
    assert _awards(app_session) == 0


def test_a_covert_camera_is_not_in_the_register_for_a_planner(planner: FlaskClient, form_view) -> None:
    response = _record(planner, form_view, **(TYPED | {"asset_ids": "PARK-COV-1"}))
    assert form_view(response).error("asset_ids") == "Not in the register: PARK-COV-1"


def test_bad_amount_and_date_are_refused_beside_their_fields(planner: FlaskClient, form_view) -> None:
    response = _record(planner, form_view, **(TYPED | {"amount": "-5", "awarded_on": "14/03/2025x",
                                                       "asset_ids": "CS-001"}))
    assert response.status_code == 400
    page = form_view(response)
    assert page.error("amount") and page.error("awarded_on")
    assert page.value("amount") == "-5" and page.value("awarded_on") == "14/03/2025x"


def test_good_awards_are_listed_with_totals_by_source(planner: FlaskClient, form_view,
                                                      app_session: Session) -> None:
    response = _record(planner, form_view, **(TYPED | {"asset_ids": "CS-001, PARK-001"}))
    assert response.status_code == 302 and response.headers["Location"] == "/funding"
    assert "Funding NCIL-2025-03 recorded." in planner.get("/funding").get_data(as_text=True)
    _record(planner, form_view, reference="NCIL-2024-01", source="ncil", amount="2000", awarded_on="2024-01-10",
            asset_ids="")
    _record(planner, form_view, reference="S106-0042", source="s106", amount="1000", awarded_on="2024-06-01",
            asset_ids="PARK-001")
    html = planner.get("/funding").get_data(as_text=True)
    totals = html.split('id="totals"', 1)[1].split("</table>", 1)[0]
    assert "<td>Section 106</td><td>£13,500.50</td>" in totals
    assert "<td>NCIL</td><td>£2,000.00</td>" in totals
    award = html.split("<td>NCIL-2025-03</td>", 1)[1].split("</tr>", 1)[0]
    assert "£12,500.50" in award and ">CS-001</a>" in award and ">PARK-001</a>" in award
    assert _awards(app_session) == 3


def test_duplicate_reference_is_refused_beside_the_field(planner: FlaskClient, form_view,
                                                         app_session: Session) -> None:
    assert _record(planner, form_view, **(TYPED | {"asset_ids": "CS-001"})).status_code == 302
    response = _record(planner, form_view, **(TYPED | {"asset_ids": "CS-001", "amount": "99"}))
    assert response.status_code == 400
    page = form_view(response)
    assert "NCIL-2025-03 already exists" in page.error("reference")
    assert page.value("amount") == "99"
    assert _awards(app_session) == 1
