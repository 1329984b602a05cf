"""The Advisory Group dashboard: who may see it, that its numbers are the pack's, its CSVs and its PDF.

A small known history on the test estate (CS-001 in High Wycombe, Community Safety; PARK-001 in Aylesbury, Parking;
a covert camera that must never show), worked out by hand (UTC → London):

    A1  2025-04-10 12:00Z  Thu 10 Apr 13:00 BST   Q2 Apr  theft     0 arrests  CS-001
    A2  2025-05-20 21:00Z  Tue 20 May 22:00 BST   Q2 May  violence  1          CS-001, PARK-001
    B1  2025-06-30 23:30Z  Tue  1 Jul 00:30 BST   Q3 Jul  violence  2          CS-001      (in Q3, not Q2)
    B2  2025-07-04 22:00Z  Fri  4 Jul 23:00 BST   Q3 Jul  theft     0          PARK-001
    B3  2025-07-05 01:30Z  Sat  5 Jul 02:30 BST   Q3 Jul  violence  1          CS-001, PARK-001
    B4  2025-08-12 10:00Z  Tue 12 Aug 11:00 BST   Q3 Aug  asb       0          (no camera)
    B5  2025-09-30 22:59Z  Tue 30 Sep 23:59 BST   Q3 Sep  theft     3          CS-001
    C1  2025-09-30 23:00Z  Wed  1 Oct 00:00 BST   Q4 Oct  asb       0          CS-001      (in Q4, not Q3)

So Q3 2025 has 5 incidents (Jul 3, Aug 1, Sep 1), 6 arrests; Q2 has 2 incidents (Apr 1, May 1, Jun 0), 1 arrest.
Q3 by town: High Wycombe 3 (B1, B3, B5), Aylesbury 2 (B2, B3), "(no camera)" 1 (B4). Evidence produced in Q3:
E1 (charged, CS-001, B1) and E2 (not used, PARK-001, B2): 2 produced, 1 later used. Investment in Q3: NCIL
£12,500.00 and Section 106 £4,000.50; in Q2, capital £1,000.00. A fault kept CS-001 down 12 hours in Q3.
"""

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from flask import Flask
from sqlmodel import Session, select

from cctv.controlroom import rooms
from cctv.controlroom.hours import monitored_session
from cctv.controlroom.models import Arrest, EvidenceCamera, EvidenceRequest, Incident, IncidentCamera
from cctv.controlroom.types import CATEGORY_OFFENCE_GROUP, ArrestOutcome, LaterUse
from cctv.outcomes.csvs import TABLES, table_rows
from cctv.outcomes.periods import Filters, quarter
from cctv.outcomes.summary import advisory_pack
from inventory.models import Camera, CameraMove, Fault, Funding
from inventory.types import LONDON, CameraKind, CameraStatus, FundingSource
from tests.conftest import BACKENDS, build_app, database_url
from tests.pdf import pdf_text

pytestmark = pytest.mark.usefixtures("quick_app")


@pytest.fixture(params=BACKENDS)
def app(request: pytest.FixtureRequest, tmp_path) -> Iterator[Flask]:
    """The app with the small estate and one account per role, on SQLite and (when configured) PostgreSQL: the
    measures count London months and hours in SQL, differently on each."""
    app = build_app(database_url(request.param, tmp_path))
    yield app
    app.extensions["cctv_db"].engine.dispose()


def z(y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
    """A UTC instant."""
    return datetime(y, mo, d, h, mi, tzinfo=UTC)


INCIDENTS = {  # name: (occurred, category, arrests, cameras by asset id)
    "A1": (z(2025, 4, 10, 12), "theft", 0, ["CS-001"]),
    "A2": (z(2025, 5, 20, 21), "violence", 1, ["CS-001", "PARK-001"]),
    "B1": (z(2025, 6, 30, 23, 30), "violence", 2, ["CS-001"]),
    "B2": (z(2025, 7, 4, 22), "theft", 0, ["PARK-001"]),
    "B3": (z(2025, 7, 5, 1, 30), "violence", 1, ["CS-001", "PARK-001"]),
    "B4": (z(2025, 8, 12, 10), "asb", 0, []),
    "B5": (z(2025, 9, 30, 22, 59), "theft", 3, ["CS-001"]),
    "C1": (z(2025, 9, 30, 23), "asb", 0, ["CS-001"]),
}
Q2, Q3 = quarter(2025, 2), quarter(2025, 3)


@dataclass
class Known:
    """The ids the history made."""

    cameras: dict[str, int]
    incidents: dict[str, int]


def build_outcomes_history(s: Session) -> Known:
    """Add the module's history to a database holding the test estate, and commit it."""
    room = rooms.ensure_defaults(s)
    cameras = {c.asset_id: c for c in s.exec(select(Camera))}
    deployable = Camera(asset_id="DEP-1", name="Deployable one", service_area_id=cameras["CS-001"].service_area_id,
                        kind=CameraKind.DEPLOYABLE, status=CameraStatus.OPERATIONAL, town="High Wycombe",
                        location_text="Frogmoor", longitude=-0.7493, latitude=51.6295, install_date=date(2024, 1, 1))
    s.add(deployable)
    s.flush()
    s.add(CameraMove(camera_id=deployable.id, moved_at=z(2025, 8, 1, 9), from_location_text="Frogmoor",
                     from_longitude=-0.7493, from_latitude=51.6295, to_location_text="Easton Street",
                     to_town="High Wycombe", to_longitude=-0.7440, to_latitude=51.6290, reason="Displacement"))
    cameras["DEP-1"] = deployable
    incidents = {}
    for number, (name, (occurred, category, arrests, used)) in enumerate(INCIDENTS.items(), start=1):
        session_day, inside = monitored_session(occurred, room.monitored_hours())
        incident = Incident(occurred_at=occurred, category=category, arrests=arrests, reference=f"WY-2025-{number:06d}",
                            control_room_id=room.id, ref_year=2025, ref_number=number,
                            logged_at=occurred + timedelta(minutes=5), operator="operator",
                            in_monitored_hours=inside, monitored_session=session_day)
        s.add(incident)
        s.flush()
        s.add_all(IncidentCamera(incident_id=incident.id, camera_id=cameras[a].id) for a in used)
        # One record per arrest: its category's offence group; the first charged, the rest not known yet.
        s.add_all(Arrest(incident_id=incident.id, offence_group=CATEGORY_OFFENCE_GROUP[category],
                         outcome=ArrestOutcome.CHARGED if n == 0 else ArrestOutcome.NOT_KNOWN)
                  for n in range(arrests))
        incidents[name] = incident.id
    for produced, use, asset, incident in ((z(2025, 7, 2, 9), LaterUse.CHARGED, "CS-001", "B1"),
                                           (z(2025, 8, 1, 10), LaterUse.NOT_USED, "PARK-001", "B2")):
        request = EvidenceRequest(requesting_officer="PC 1234 Patel", window_start=produced - timedelta(days=2),
                                  window_end=produced - timedelta(days=2, hours=-1), incident_id=incidents[incident],
                                  requested_at=produced - timedelta(days=1), produced_at=produced, later_use=use)
        s.add(request)
        s.flush()
        s.add(EvidenceCamera(evidence_id=request.id, camera_id=cameras[asset].id))
    s.add_all([
        Funding(reference=reference, source=source, amount=Decimal(amount), awarded_on=awarded)
        for reference, source, amount, awarded in (
            ("NCIL-1", FundingSource.NCIL, "12500.00", date(2025, 8, 15)),
            ("S106-1", FundingSource.S106, "4000.50", date(2025, 9, 30)),
            ("CAP-1", FundingSource.CAPITAL, "1000.00", date(2025, 5, 1)),
        )
    ])
    s.add_all([
        Fault(camera_id=cameras["CS-001"].id, description="No picture", opened_at=z(2025, 7, 10, 9),
              target_fix_by=z(2025, 7, 11, 9), fixed_at=z(2025, 7, 10, 21)),
    ])
    s.commit()
    return Known({k: v.id for k, v in cameras.items()}, incidents)


@pytest.fixture
def history(app: Flask) -> Known:
    with app.extensions["cctv_db"].session("fixture") as s:
        return build_outcomes_history(s)


def pack_for(app: Flask, period, filters: Filters | None = None):
    """The pack the page should show (the same function, on the app's database)."""
    with app.extensions["cctv_db"].session("tester") as s:
        return advisory_pack(s, period, filters or Filters())


class Page(HTMLParser):
    """The parts of the dashboard the tests read: table cells by table id, links, element text by id, bar labels."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.links: list[str] = []
        self.text_by_id: dict[str, str] = {}
        self.bars: dict[str, list[str]] = {}
        self._table: str | None = None
        self._body = False
        self._cell: list[str] | None = None
        self._ids: list[tuple[str, str, int]] = []
        self._figure: str | None = None
        self._depth = 0
        self.feed(html)

    VOID = frozenset({"input", "meta", "link", "br", "img", "hr", "rect", "line", "path"})

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)  # <rect … /> has no end tag: nothing to close

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag in self.VOID:
            return
        self._depth += 1
        if tag == "table" and a.get("id"):
            self._table = a["id"]
            self.tables[self._table] = []
        elif tag in ("tbody", "tfoot"):
            self._body = True
        elif tag == "tr" and self._table and self._body:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table and self._body:
            self._cell = []
        elif tag == "a" and "href" in a:
            self.links.append(a["href"])
        elif tag == "figure":
            self._figure = a.get("id")
        elif tag == "g" and "bar" in a.get("class", "").split() and self._figure:
            self.bars.setdefault(self._figure, []).append(a["aria-label"])
        if a.get("id"):
            self._ids.append((a["id"], tag, self._depth))
            self.text_by_id[a["id"]] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        if tag in ("td", "th") and self._cell is not None and self._table:
            self.tables[self._table][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table":
            self._table, self._body = None, False
        self._ids = [(i, t, d) for i, t, d in self._ids if not (t == tag and d == self._depth)]
        self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        for element_id, _, _ in self._ids:
            self.text_by_id[element_id] += data

    def rows(self, table_id: str) -> list[list[str]]:
        """The rows of a table's body and foot (not its head), as the text of their cells."""
        return [r for r in self.tables[table_id] if r]


def read(response) -> Page:
    assert response.status_code == 200, response.status_code
    return Page(response.get_data(as_text=True))


def test_advisory_sees_the_dashboard_and_operator_is_refused(as_role, history: Known) -> None:
    client = as_role("advisory")
    page = read(client.get("/outcomes?period=2025Q3"))
    assert "Q3 2025" in page.text_by_id["period-label"]
    assert any(link.startswith("/outcomes/pack.pdf?period=2025Q3") for link in page.links)
    nav = client.get("/outcomes?period=2025Q3").get_data(as_text=True)
    assert '<a href="/outcomes">Outcomes</a>' in nav
    client.post("/logout")
    assert as_role("operator").get("/outcomes").status_code == 403
    assert as_role("operator").get("/outcomes/totals.csv").status_code == 403
    assert as_role("operator").get("/outcomes/pack.pdf").status_code == 403


def test_the_default_is_the_last_complete_quarter(as_role, form_view, history: Known) -> None:
    from cctv.web.outcomes.forms import last_complete_quarter

    assert last_complete_quarter(date(2026, 1, 1)) == quarter(2025, 4)
    assert last_complete_quarter(date(2025, 12, 31)) == quarter(2025, 3)
    assert last_complete_quarter(date(2025, 10, 1)) == quarter(2025, 3)
    response = as_role("advisory").get("/outcomes")
    shown = form_view(response)
    assert response.status_code == 200
    assert shown.choice("kind") == "quarter"
    expected = last_complete_quarter(datetime.now(LONDON).date())  # the app's today is London's
    assert (shown.choice("year"), shown.choice("quarter")) == (str(expected.start.year),
                                                                 str((expected.start.month - 1) // 3 + 1))


def test_the_page_shows_the_packs_numbers(app: Flask, as_role, history: Known) -> None:
    page = read(as_role("advisory").get("/outcomes?period=2025Q3"))
    pack = pack_for(app, Q3)
    # By hand (see the module's notes), then the pack: the page is the pack.
    assert page.text_by_id["total-incidents"] == "5" == str(pack.incidents.incidents)
    assert page.text_by_id["total-arrests"] == "6" == str(pack.incidents.arrests)
    assert page.text_by_id["total-evidence_produced"] == "2"
    assert page.text_by_id["total-evidence_later_used"] == "1"
    totals = {row[0]: row[1:3] for row in page.rows("table-totals")}
    assert totals["Incidents"] == ["5", "2"]
    assert totals["Arrests"] == ["6", "1"]
    for name, c in pack.trend.items():
        assert totals[c.label] == [str(c.current), str(c.previous)], name
    assert page.rows("table-months") == [["Jul 2025", "3", "3"], ["Aug 2025", "1", "0"], ["Sep 2025", "1", "3"]]
    assert page.rows("table-towns") == [["High Wycombe", "3", "6"], ["Aylesbury", "2", "1"], ["(no camera)", "1", "0"]]
    assert page.rows("table-categories") == [[r.label, str(r.incidents), str(r.arrests)]
                                             for r in pack.incidents.by_category]
    assert page.bars["chart-by-month"] == ["Jul 2025: 3 incidents", "Aug 2025: 1 incident", "Sep 2025: 1 incident"]
    assert page.bars["chart-by-town"][0] == "High Wycombe: 3 incidents"
    assert page.bars["chart-investment"][0] == "NCIL: £12,500.00"
    assert "Section 106: £4,000.50" in page.bars["chart-investment"]
    investment = {row[1]: row[3] for row in page.rows("table-investment")}
    assert investment["NCIL"] == "£12,500.00" and investment["Section 106"] == "£4,000.50"
    assert investment["Total"] == "£16,500.50"
    best = page.rows("table-best-cameras")
    assert [r[0] for r in best] == [r.asset_id for r in pack.best_cameras] == ["CS-001", "PARK-001"]
    assert best[0][4:6] == ["3", "6"]  # CS-001: B1, B3, B5; 2 + 1 + 3 arrests
    assert page.rows("table-maintenance-cameras")[0][0] == "CS-001"
    assert page.rows("table-maintenance-cameras")[0][4:] == ["12.0", "99.5%"]  # 12 of 2,208 hours down
    assert [r[0] for r in page.rows("table-deployments")] == ["DEP-1", "DEP-1"]  # Frogmoor, then Easton Street
    principles = page.text_by_id["principles"]
    assert "5 incidents logged in Q3 2025" in principles


def test_the_page_counts_arrests_by_offence_group_and_outcome(app: Flask, as_role, history: Known) -> None:
    """Q3: B1 violence (charged, not known), B3 violence (charged), B5 theft (charged, not known, not known)."""
    page = read(as_role("advisory").get("/outcomes?period=2025Q3"))
    zeros = ["0"] * 5  # cautioned, community resolution, bailed, released under investigation, no further action
    assert page.rows("table-arrests") == [
        ["Violence against the person", "1", "2", *zeros, "3"],
        ["Theft offences", "2", "1", *zeros, "3"],
        ["All offences", "3", "3", *zeros, "6"],
    ]
    csv = as_role("advisory").get("/outcomes/arrests.csv?period=2025Q3").get_data(as_text=True).splitlines()
    assert csv[-1] == "All offences,3,3,0,0,0,0,0,6"


def test_the_previous_quarter_and_filters_change_the_figures(app: Flask, as_role, history: Known) -> None:
    client = as_role("advisory")
    q2 = read(client.get("/outcomes?kind=quarter&year=2025&quarter=2"))
    assert q2.text_by_id["total-incidents"] == "2"
    assert q2.bars["chart-by-month"] == ["Apr 2025: 1 incident", "May 2025: 1 incident", "Jun 2025: 0 incidents"]
    assert any(link.startswith("/outcomes/months.csv?period=2025Q2") for link in q2.links)
    month = read(client.get("/outcomes?kind=month&month=2025-07"))
    assert month.text_by_id["total-incidents"] == "3"
    area = app.config["TEST_ESTATE"].parking
    parking = read(client.get(f"/outcomes?period=2025Q3&service_area={area}"))
    assert parking.text_by_id["total-incidents"] == "2"  # B2 and B3 used PARK-001
    assert "Service area: Parking Services" in parking.text_by_id["period-label"]
    assert any(link == f"/outcomes/towns.csv?period=2025Q3&service_area={area}" for link in parking.links)
    town = read(client.get("/outcomes?period=2025Q3&town=Aylesbury"))
    assert town.rows("table-towns") == [["Aylesbury", "2", "1"]]
    june = read(client.get("/outcomes?kind=custom&start=2025-06-01&end=2025-06-30"))
    assert june.text_by_id["total-incidents"] == "0"  # B1 is 23:30 UTC on 30 June but 00:30 on 1 July in London
    custom = read(client.get("/outcomes?kind=custom&start=2025-07-01&end=2025-07-04"))
    assert custom.text_by_id["total-incidents"] == "2"  # B1, and B2 at 23:00 on the 4th: the last day counts
    custom = read(client.get("/outcomes?kind=custom&start=2025-07-01&end=2025-07-05"))
    assert custom.text_by_id["total-incidents"] == "3"


@pytest.mark.parametrize(("query", "field", "message"), [
    ("kind=custom&start=2025-09-30&end=2025-07-01", "end", "ends (2025-07-01) before it starts"),
    ("kind=custom&start=2025-07-01", "end", "Give the first and last day."),
    ("kind=month&month=July", "month", "Give the month as YYYY-MM."),
    ("kind=month&month=2025-13", "month", "there is no month 13"),
    ("period=2025Q7", "kind", "is not a period"),
    ("kind=quarter&year=1999&quarter=1", "year", "Not a valid choice"),
    ("period=2025Q3&town=Atlantis", "town", "Not a valid choice"),
])
def test_a_bad_period_reshows_the_form_with_an_error(as_role, form_view, history: Known, query: str, field: str,
                                                     message: str) -> None:
    response = as_role("advisory").get(f"/outcomes?{query}")
    assert response.status_code == 400
    shown = form_view(response)
    assert message in shown.error(field)
    assert 'id="table-totals"' not in response.get_data(as_text=True)
    assert "kind" in shown.options and shown.options["kind"] == ["quarter", "month", "year", "custom"]
    if "start=2025-09-30" in query:
        assert (shown.value("start"), shown.value("end")) == ("2025-09-30", "2025-07-01")  # kept as typed


def test_every_csv_link_works_and_gives_the_packs_rows(app: Flask, as_role, history: Known) -> None:
    client = as_role("advisory")
    area = app.config["TEST_ESTATE"].community_safety
    for query, filters in (("period=2025Q3", Filters()), (f"period=2025Q3&service_area={area}",
                                                          Filters(service_area_id=area))):
        page = read(client.get(f"/outcomes?{query}"))
        links = sorted({link for link in page.links if ".csv" in link})
        names = {re.match(r"/outcomes/(\w+)\.csv", link).group(1) for link in links}
        assert names == set(TABLES)  # every table has its link on the page
        pack = pack_for(app, Q3, filters)
        for link in links:
            name = re.match(r"/outcomes/(\w+)\.csv", link).group(1)
            response = client.get(link)
            assert response.status_code == 200, link
            assert response.mimetype == "text/csv"
            filename = f"advisory-2025Q3-{name.replace('_', '-')}.csv"
            assert response.headers["Content-Disposition"] == f"attachment; filename={filename}"
            rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
            header, expected = table_rows(name, pack)
            assert rows == [header, *expected], name
    months = list(csv.reader(io.StringIO(client.get("/outcomes/months.csv?period=2025Q3").get_data(as_text=True))))
    assert months == [["Month", "Incidents", "Arrests"], ["Jul 2025", "3", "3"], ["Aug 2025", "1", "0"],
                      ["Sep 2025", "1", "3"]]
    assert client.get("/outcomes/nosuch.csv?period=2025Q3").status_code == 404
    assert client.get("/outcomes/months.csv?period=2025Q9").status_code == 400


def test_the_pdf_pack_downloads_with_the_pages_incident_total(as_role, history: Known, tmp_path) -> None:
    client = as_role("advisory")
    page = read(client.get("/outcomes?period=2025Q3"))
    pdf_link = next(link for link in page.links if link.startswith("/outcomes/pack.pdf"))
    response = client.get(pdf_link)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == "attachment; filename=advisory-pack-2025Q3.pdf"
    assert response.data.startswith(b"%PDF")
    text = pdf_text(response.data, tmp_path)
    flat = " ".join(text.split())
    headline = re.search(r"^\s*Incidents\s+([\d,]+)\b", text, re.MULTILINE)  # the pack's first headline figure
    assert headline is not None, text[:2000]
    assert headline.group(1) == page.text_by_id["total-incidents"] == "5"
    assert "5 incidents logged in Q3 2025" in flat  # the principles' sentence, as on the page
    assert "Q3 2025" in flat
    assert client.get("/outcomes/pack.pdf?kind=custom&start=2025-09-30&end=2025-07-01").status_code == 400
