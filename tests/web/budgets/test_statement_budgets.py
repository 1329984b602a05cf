"""SQL statement budgets: every GET page sends at most the statements written beside it, however many rows.

Each page is read twice, by a role signed in (or signed out, or with the admin's API token): the first read warms
the caches, and the statements of the second are counted with a `before_cursor_execute` listener on the app's
engine (the read of the signed-in account counts: every request makes it). The estate (estate.py) is built at
scale 1 and again at scale 3, three times the rows: the count must be the same at both, which is what catches a
page that reads per row (an N+1).

The budgets are the counts measured when they were written (the same on SQLite and PostgreSQL). A change that adds
statements to a page fails here: read fewer, or raise the budget in the same commit and say why. A change that
saves statements should lower it.
"""

import io
from pathlib import Path
from typing import NamedTuple

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jinja2.bccache import BytecodeCache
from sqlmodel import update
from werkzeug.security import generate_password_hash

from cctv.auth.models import User
from tests.conftest import BACKENDS, PASSWORD, build_app, database_url, login
from tests.web.budgets.counting import Reading, left_in_transaction, read_counted
from tests.web.budgets.estate import add_records


class Page(NamedTuple):
    """A page as one role reads it, and its budget of SQL statements."""

    endpoint: str
    role: str | None  # None: signed out; "api": the admin's bearer token
    url: str  # formatted with the records' ids, e.g. {camera_id}
    budget: int
    status: int = 200  # what the page answers (a redirect, for the pages that send you on)
    variant: str = ""  # tells apart two readings of one endpoint by one role


PAGES = [
    # Signing in and out
    Page("auth.login", None, "/login", 0),
    Page("auth.home", "operator", "/", 1, status=302),
    Page("auth.ping", "operator", "/ping", 1),
    Page("health.health", None, "/health", 1),  # its SELECT 1: the whole point
    Page("account.password", "operator", "/account/password", 2),
    # Cameras
    Page("cameras.index", "admin", "/cameras", 6),
    Page("cameras.index", "service_manager", "/cameras", 7),
    Page("cameras.show", "admin", "/cameras/{camera_id}", 10),  # +2: the awards that paid for it, its costs
    Page("cameras.edit", "admin", "/cameras/{camera_id}/edit", 5),
    Page("cameras.move", "admin", "/cameras/{camera_id}/move", 3),
    Page("cameras.create", "admin", "/cameras/new", 4),
    Page("imports.upload", "admin", "/cameras/import", 2),
    Page("imports.review", "admin", "/cameras/import/{upload}", 5),  # +2: the systems offered as a default
    Page("maps.camera_map", "admin", "/map", 4),
    Page("maps.csv_export", "admin", "/cameras.csv", 5),  # +1: audit entry of the read; +1: the systems' names
    Page("maps.geojson", "admin", "/cameras.geojson", 4),  # +1: the systems' names (the export names them)
    Page("faults.index", "admin", "/faults?show=all", 6),
    Page("funding.index", "admin", "/funding", 4),
    Page("funding.create", "admin", "/funding/new", 2),
    Page("systems.index", "admin", "/systems", 9),
    Page("systems.edit", "admin", "/systems/{system_id}/edit", 5),
    Page("funding.edit", "admin", "/funding/{funding_id}/edit", 4),
    Page("lifecycle.programme", "admin", "/lifecycle", 4),
    Page("lifecycle.programme_csv", "admin", "/lifecycle.csv", 4),  # +1: audit entry of the read
    Page("lifecycle.edit", "admin", "/cameras/{camera_id}/lifecycle", 4),
    Page("contracts.index", "supervisor", "/contracts", 6),
    Page("contracts.create", "admin", "/contracts/new", 3),
    Page("contracts.edit", "admin", "/contracts/{contract_id}/edit", 4),
    Page("contracts.new_schedule", "admin", "/contracts/ppm/new", 3),
    Page("bodyworn.index", "service_manager", "/body-worn", 6),
    Page("footage.compliance", "dpo", "/cameras/retention", 4),
    # Siting and crimes
    # The siting pages read the council's area (siting.store.council_area) as one statement more, those that
    # score the register's towns and wards and the imported ward outlines (siting.store.localities) two more, and
    # the crimes as two: the months' signatures in crime, then their packed columns (siting.store.columns; the
    # signatures also count the crimes the in-memory model is about to read, for siting.store.capacity).
    Page("siting.index", "planner", "/siting", 11),
    Page("siting.site", "planner", "/siting/sites/{site_id}", 10),
    Page("siting.sites_geojson", "planner", "/siting/sites.geojson", 2),
    # SQLite 6 (the window's two); PostGIS 9: the window (2), the grid's work_mem (once a transaction: the
    # aggregations spilled to disk at the default, siting.store.postgis_sql.GRID_WORK_MEM), cells, snap points,
    # proposals, their names
    Page("siting.hotspots_geojson", "planner", "/siting/hotspots.geojson", 9),
    Page("siting.run", "planner", "/siting/runs/{run_id}", 4),
    Page("siting.compare", "planner", "/siting/runs/compare?a={run_id}&b={other_run_id}", 4),
    Page("siting.report", "planner", "/siting/report.pdf", 9),  # +1: audit entry of the read
    Page("siting.ranking_csv", "planner", "/siting/ranking.csv", 9),  # the report's reads and the audit entry
    Page("crimes.index", "planner", "/siting/crimes", 8),  # its figures, the area and the imports
    Page("crime_jobs.status", "planner", "/siting/crimes/jobs/{job_id}", 3),  # a background import, polled
    Page("bid.index", "planner", "/siting/bid", 11),
    Page("bid.pdf", "planner", "/siting/bid.pdf", 11),  # the bid page's reads, the report's, and the audit entry
    # DPIA register and self-assessment
    Page("dpia.index", "dpo", "/dpia", 17),
    Page("dpia.index", "advisory", "/dpia", 17),
    Page("dpia.system", "dpo", "/dpia/systems/{system_id}", 10),
    Page("dpia_versions.show", "dpo", "/dpia/{dpia_id}", 12, variant="draft"),
    Page("dpia_versions.show", "dpo", "/dpia/{signed_dpia_id}", 7, variant="signed-off"),
    Page("dpia_versions.compare", "dpo", "/dpia/{dpia_id}/compare", 9),
    Page("dpia_versions.pdf", "dpo", "/dpia/{signed_dpia_id}.pdf", 6),  # +1: audit entry of the read
    Page("assessment.index", "dpo", "/dpia/assessments", 5),
    Page("assessment.show", "dpo", "/dpia/assessments/{assessment_id}", 5),
    Page("assessment.latest", "dpo", "/dpia/self-assessment", 2, status=302),
    # Control room
    Page("incidents.day_log", "operator", "/incidents?day={day}", 6),  # +1: audit entry of the read
    Page("incidents.day_log", "supervisor", "/incidents?day={day}", 6),
    Page("incidents.day_log", "operator", "/incidents?session={day}", 6, variant="session"),
    Page("incidents.live", "operator", "/incidents/live?session={day}&after=0", 4),
    Page("incidents.void", "supervisor", "/incidents/{incident_id}/void", 4),
    Page("incidents.new", "operator", "/incidents/new", 4),
    Page("incidents.show", "operator", "/incidents/{incident_id}", 9),  # +1: audit entry of the read; +1 arrests
    Page("arrests.new", "operator", "/incidents/{incident_id}/arrests/new", 3),
    Page("arrests.edit", "operator", "/incidents/{arrested_incident_id}/arrests/{arrest_id}", 4),
    Page("incidents.edit", "operator", "/incidents/{incident_id}/edit", 6),
    Page("incidents.camera_options", "operator", "/incidents/cameras?q=Camera", 2),
    Page("incident_summary.summary", "supervisor", "/incidents/summary?year={year}", 5),
    Page("retention.index", "supervisor", "/incidents/retention", 9),  # each kind of record, the holds
    Page("incident_search.index", "operator", "/incidents/search?place=street&camera=B-0000&start={day}", 7),
    Page("site_search.index", "supervisor", "/search?q=street", 7),
    Page("site_search.index", "service_manager", "/search?q=street", 4),
    Page("evidence.index", "supervisor", "/evidence?show=all", 6),  # +1: audit entry of the read
    Page("evidence.show", "supervisor", "/evidence/{evidence_id}", 8),  # +1: audit entry; +1: the custody chain
    Page("evidence.custody_csv", "supervisor", "/evidence/{evidence_id}/custody.csv", 5),  # +1: audit entry
    Page("evidence.new", "supervisor", "/evidence/new?incident={incident_id}", 4),
    Page("disclosures.index", "supervisor", "/disclosures?show=all", 5),
    Page("disclosures.show", "supervisor", "/disclosures/{disclosure_id}", 4),  # +1: audit entry of the read
    Page("disclosures.new", "supervisor", "/disclosures/new", 2),
    Page("shifts.index", "supervisor", "/shifts", 6),  # +1: every unsigned handover
    Page("control_room_settings.index", "supervisor", "/control-room/settings", 4),
    # Outcomes and the inbox
    # -4: the period's incidents joined to their cameras once (camera_links), only the totals of the period before;
    # -1: the service areas' names read once for the breakdowns, the idle cameras and the filter's label
    Page("outcomes.index", "advisory", "/outcomes", 34),  # +1: arrests by offence group and outcome
    Page("outcomes.table_csv", "advisory", "/outcomes/totals.csv", 34),  # +1: audit entry of the read
    Page("outcomes.pack_pdf", "advisory", "/outcomes/pack.pdf", 34),  # +1: audit entry of the read
    Page("inbox.index", "admin", "/inbox", 3),
    # The public page (signed out), what it publishes, and the signage register
    # Each public page +3: the shared rate limit counts and records the request in the database (and every 20th prunes).
    Page("public.index", None, "/public", 9),  # notice, cameras, systems, their DPIAs, signs' cameras, signs
    Page("public.geojson", None, "/public/cameras.geojson", 5),
    Page("public.csv_download", None, "/public/cameras.csv", 5),
    Page("public.context", None, "/public/context.geojson", 7),  # +1: the council area, +1: the imported wards
    Page("maps.context", "admin", "/map/context.geojson", 5),  # +1: the council area, +1: the imported wards
    Page("publishing.index", "dpo", "/publication", 7),
    Page("signs.index", "supervisor", "/signs", 4),
    Page("signs.create", "supervisor", "/signs/new", 2),
    Page("signs.edit", "supervisor", "/signs/{sign_id}", 4),
    # Administration
    Page("admin.users", "admin", "/admin/users", 4),
    Page("admin.tokens", "admin", "/admin/tokens", 4),
    Page("audit.trail", "admin", "/admin/audit", 4),  # + the hidden cameras, read once when a DPIA entry is shown
    Page("estate.service_areas", "admin", "/admin/service-areas", 4),
    Page("estate.edit_service_area", "admin", "/admin/service-areas/{area_id}", 3),
    Page("estate.control_rooms", "admin", "/admin/control-rooms", 3),
    Page("estate.edit_control_room", "admin", "/admin/control-rooms/{room_id}", 3),
    # The API, with the admin's token
    Page("api.list_service_areas", "api", "/api/v1/service-areas", 3),
    Page("api.list_cameras", "api", "/api/v1/cameras", 4),
    Page("estate_api.list_systems", "api", "/api/v1/systems", 4),
    Page("estate_api.list_control_rooms", "api", "/api/v1/control-rooms", 3),
    Page("api.get_camera", "api", "/api/v1/cameras/{camera_id}", 3),
    Page("api.list_faults", "api", "/api/v1/faults", 5),  # +1: audit entries of the reads (who reported each)
    Page("incidents_api.index", "api", "/api/v1/incidents?day={day}", 7),  # +1: audit entries of the reads
    Page("incidents_api.read", "api", "/api/v1/incidents/{incident_id}", 5),  # +1: audit entry of the read
    Page("records_api.list_funding_awards", "api", "/api/v1/funding", 5),
    Page("records_api.list_evidence", "api", "/api/v1/evidence", 6),  # +1: audit entries of the reads
    Page("records_api.dpia_status", "api", "/api/v1/dpia", 6),
    Page("records_api.list_siting_runs", "api", "/api/v1/siting/runs", 3),
    Page("records_api.read_siting_run", "api", "/api/v1/siting/runs/{run_id}", 3),
    Page("outcomes_api.outcomes", "api", "/api/v1/outcomes", 33),  # the dashboard's pack (arrests too), +1: audit entry
    Page("upkeep_api.list_contracts", "api", "/api/v1/contracts", 5),
    Page("transparency_api.get_publication", "api", "/api/v1/publication", 5),  # notice, published, public cameras
    Page("transparency_api.list_signs", "api", "/api/v1/signs", 5),  # signs, their visible cameras
    Page("transparency_api.get_sign", "api", "/api/v1/signs/{sign_id}", 5),
    Page("api.openapi", "api", "/api/v1/openapi.json", 0),
]
UPLOAD = Path(__file__).parents[2] / "fixtures" / "council_cameras.csv"
SCALES = (1, 3)


def page_id(page: Page) -> str:
    """The page's name in test ids and messages: endpoint, role and any variant."""
    return "-".join(filter(None, (page.endpoint, page.role or "anonymous", page.variant)))


def _clients(app: Flask, template_cache: BytecodeCache) -> dict[str | None, FlaskClient]:
    """A client signed in as each role the pages use (and one signed out), with cheap password hashes."""
    cheap = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")
    with app.extensions["cctv_db"].session("fixture") as s:
        s.exec(update(User).values(password_hash=cheap))
        s.commit()
    app.jinja_env.bytecode_cache = template_cache
    clients: dict[str | None, FlaskClient] = {None: app.test_client(), "api": app.test_client()}
    for role in {page.role for page in PAGES} - {None, "api"}:
        clients[role] = app.test_client()
        login(clients[role], role)
    return clients


def _upload(client: FlaskClient) -> str:
    """Upload the council's camera list for import: the token of its review page."""
    response = client.post("/cameras/import", data={"file": (io.BytesIO(UPLOAD.read_bytes()), UPLOAD.name)})
    assert response.status_code == 302, response.status_code
    return response.headers["Location"].rsplit("/", 1)[1]


def read_pages(url: str, scale: int, template_cache: BytecodeCache, instance: Path) -> dict[str, Reading]:
    """Every page read on a database holding the estate at this scale (uploads kept in `instance`)."""
    app = build_app(url)
    app.instance_path = str(instance)
    try:
        records = add_records(app, scale)
        engine = app.extensions["cctv_db"].engine
        # Checked at once: a session a fixture left open is closed when the garbage collector gets to it (the
        # arrest read after add_records' `with` block was, some time after these readings, in CI)
        assert left_in_transaction(engine) == [], "adding the records left a session open (idle in transaction)"
        clients = _clients(app, template_cache)
        ids = {**vars(records), "year": records.day.year, "upload": _upload(clients["admin"])}
        bearer = {"Authorization": f"Bearer {records.token}"}
        found = {page_id(page): read_counted(clients[page.role], engine, page.url.format(**ids),
                                             bearer if page.role == "api" else None) for page in PAGES}
        assert left_in_transaction(engine) == [], "a page left a session open (idle in transaction)"
        return found
    finally:
        app.extensions["cctv_db"].engine.dispose()


@pytest.fixture(scope="module", params=BACKENDS)
def readings(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
             template_cache: BytecodeCache) -> dict[int, dict[str, Reading]]:
    """Each page's reading at each scale, on each backend under test (one database at a time)."""
    readings = {}
    for scale in SCALES:
        folder = tmp_path_factory.mktemp(f"scale{scale}")
        readings[scale] = read_pages(database_url(request.param, folder), scale, template_cache, folder)
    return readings


def test_every_page_has_a_budget(app: Flask) -> None:
    """A new GET page needs its line in PAGES; two lines for one endpoint and role need a variant."""
    pages = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods} - {"static"}
    assert pages - {page.endpoint for page in PAGES} == set()
    assert len({page_id(page) for page in PAGES}) == len(PAGES)


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_page_stays_within_its_statement_budget(readings: dict[int, dict[str, Reading]], page: Page) -> None:
    small, large = (readings[scale][page_id(page)] for scale in SCALES)
    assert (small.status, large.status) == (page.status, page.status), f"{page.url} answered {small.status}"
    listing = "\n".join(small.statements)
    assert len(small.statements) <= page.budget, (
        f"{page_id(page)} sent {len(small.statements)} statements, over its budget of {page.budget}:\n{listing}")
    assert len(large.statements) == len(small.statements), (
        f"{page_id(page)} sent {len(large.statements)} statements with three times the rows, against "
        f"{len(small.statements)}: it reads per row.\n{listing}\n--- with three times the rows:\n"
        + "\n".join(large.statements))
