"""bench/load.py's users: their actions, the open and closed loops, the integrity check of the references they
logged, and the figures."""

import http.client
import random
import statistics
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote, urlsplit

import sqlalchemy as sa

from bench._common import percentile
from bench._load_http import User, request
from bench._load_server import Fixtures
from inventory.types import LONDON

MARK = "Load bench"
OPERATOR_PAGES = ("log incident (POST)", "day's log (GET)", "camera search (GET)")


@dataclass
class Sample:
    """One request of a phase: its page, latency from its scheduled time, status, and (logging) its marker."""

    page: str
    ms: float
    status: int
    marker: str = ""


@dataclass
class Actions:
    """The requests each kind of user sends."""

    port: int
    fixtures: Fixtures
    run_id: str
    counter: Any = field(default_factory=lambda: iter(range(1, 10**9)))
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def day_path(self) -> str:
        """The day's log the operators read: the demo's busiest day of the last year."""
        return f"/incidents?day={self.fixtures.day}"

    def log_incident(self, user: User) -> tuple[int, str]:
        """POST the entry form: (status, marker). Success is a 302 to the day's log."""
        with self.lock:
            marker = f"{MARK} {self.run_id} #{next(self.counter)}"
        local = datetime.now(LONDON) - timedelta(minutes=2)
        form = {
            "csrf_token": user.token, "category": "violence", "occurred": local.strftime("%H:%M"),
            "source": "police_radio", "location_text": "High Street outside the Falcon",
            "cameras": ", ".join(self.fixtures.cameras), "police_informed": "y",
            "police_reference": f"CAD 1234 {local:%d/%m}", "police_attended": "y", "arrests": "1",
            "arrest_offences": "Common assault", "outcome": "Arrest made; footage reviewed.",
            "narrative": f"{marker}. Two males fighting outside the pub; followed on two cameras until police "
                         "arrived and one was arrested.", "follow_up": "closed",
        }
        answer = request(self.port, "POST", "/incidents/new", user.cookie, form)
        status = answer.status
        if status == 302 and not urlsplit(answer.location).path.endswith("/incidents"):
            status = 599  # a redirect elsewhere (the login page): not logged
        return status, marker

    def get(self, user: User, path: str) -> int:
        """GET a page; a redirect counts as an error (it can only be to the login page here)."""
        status = request(self.port, "GET", path, user.cookie).status
        return 598 if status in (301, 302, 303) else status

    def perform(self, kind: str, user: User, rng: random.Random) -> tuple[str, int, str]:
        """One action of a user of `kind`: (page, status, marker)."""
        if kind == "advisory":
            return "dashboard /outcomes", self.get(user, "/outcomes"), ""
        if kind == "planner":
            return "siting /siting", self.get(user, "/siting"), ""
        roll = rng.random()
        if roll < 0.25:
            status, marker = self.log_incident(user)
            return OPERATOR_PAGES[0], status, marker
        if roll < 0.75:
            return OPERATOR_PAGES[1], self.get(user, self.day_path), ""
        term = rng.choice(self.fixtures.terms)
        return OPERATOR_PAGES[2], self.get(user, f"/cameras?q={quote(term)}"), ""


def ok(status: int) -> bool:
    """2xx or 3xx."""
    return 200 <= status < 400


# ------------------------------------------------------------------------------------------------------------ phases


def open_loop(actions: Actions, users: list[tuple[str, User, float]], seconds: float, seed: int) -> list[Sample]:
    """Every user's Poisson arrivals over `seconds`, each request sent at its time; the samples of the phase."""
    rng = random.Random(seed)
    schedule: list[tuple[float, str, User]] = []
    for kind, user, mean in users:
        t = rng.expovariate(1 / mean)
        while t < seconds:
            schedule.append((t, kind, user))
            t += rng.expovariate(1 / mean)
    schedule.sort(key=lambda item: item[0])
    samples: list[Sample] = []
    keep = threading.Lock()

    def send(at: float, kind: str, user: User, choice: random.Random) -> None:
        try:
            page, status, marker = actions.perform(kind, user, choice)
        except (OSError, http.client.HTTPException):  # no answer (refused, reset, timed out): an error
            page, status, marker = (f"{kind}: no answer", 0, "")
        finished = time.perf_counter()
        with keep:
            samples.append(Sample(page, (finished - at) * 1000, status, marker))

    # Threads enough that none waits for a free one: each answer holds its thread, never the next arrival.
    with ThreadPoolExecutor(max_workers=max(32, len(users) * 3)) as pool:
        start = time.perf_counter() + 0.2
        for offset, kind, user in schedule:
            at = start + offset
            delay = at - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(send, at, kind, user, random.Random(rng.random()))
    return samples


def closed_loop(actions: Actions, users: list[User], seconds: float) -> tuple[int, int, float, list[float]]:
    """Each user GETs the day's log again as soon as the last answer came, for `seconds`:
    (answers, errors, seconds taken, latencies in ms)."""
    latencies: list[float] = []
    errors = [0]
    keep = threading.Lock()
    deadline = time.perf_counter() + seconds

    def loop(user: User) -> None:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                status = actions.get(user, actions.day_path)
            except (OSError, http.client.HTTPException):
                status = 0
            took = (time.perf_counter() - started) * 1000
            with keep:
                latencies.append(took)
                if not ok(status):
                    errors[0] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=loop, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies), errors[0], time.perf_counter() - started, latencies


def sequential_median(actions: Actions, user: User, path: str, times: int) -> tuple[float, int]:
    """The median of `times` GETs one after another with nothing else running (ms), and the errors among them."""
    timings, errors = [], 0
    for _ in range(times):
        started = time.perf_counter()
        status = actions.get(user, path)
        timings.append((time.perf_counter() - started) * 1000)
        errors += not ok(status)
    return statistics.median(timings), errors


# ----------------------------------------------------------------------------------------------------------- integrity


def integrity(url: str, run_id: str, logged: list[Sample]) -> dict[str, Any]:
    """Lost and duplicate incidents among the POSTs answered 302, repeated references, gaps in the numbering."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(sa.text(
                "SELECT narrative, control_room_id, ref_year FROM incident WHERE narrative LIKE :pattern"),
                {"pattern": f"{MARK} {run_id} #%"}).all()
            repeated = connection.execute(sa.text(
                "SELECT count(*) FROM (SELECT reference FROM incident GROUP BY reference HAVING count(*) > 1) r"
            )).scalar_one()
            gaps = 0
            for room, year in sorted({(row[1], row[2]) for row in rows}):
                count, distinct, low, high = connection.execute(sa.text(
                    "SELECT count(*), count(DISTINCT ref_number), min(ref_number), max(ref_number) FROM incident "
                    "WHERE control_room_id = :room AND ref_year = :year"), {"room": room, "year": year}).one()
                if not (count == distinct == high and low == 1):
                    gaps += 1
                    print(f"  GAP: control room {room}, {year}: {count} incidents, numbers {low}..{high}")
    finally:
        engine.dispose()
    found: dict[str, int] = defaultdict(int)
    for row in rows:
        found[row[0].split(".")[0]] += 1
    answered = [s.marker for s in logged if s.status == 302]
    refused = [s.marker for s in logged if s.status != 302]
    return {
        "posted": len(logged), "logged_302": len(answered),
        "lost": sum(1 for m in answered if found.get(m, 0) == 0),
        "duplicated": sum(1 for m in answered if found.get(m, 0) > 1),
        "stored_though_refused": sum(1 for m in refused if found.get(m, 0) > 0),
        "repeated_references": repeated, "years_with_gaps": gaps, "years_checked": len({(r[1], r[2]) for r in rows}),
    }


# ------------------------------------------------------------------------------------------------------------- report


def summary(samples: list[Sample], seconds: float) -> dict[str, dict[str, float]]:
    """Per page, the operators' pages together and overall: count, throughput, p50/p95/p99, errors."""
    groups: dict[str, list[Sample]] = defaultdict(list)
    for sample in samples:
        groups[sample.page].append(sample)
        groups["all requests"].append(sample)
        if sample.page in OPERATOR_PAGES:
            groups["operators' pages"].append(sample)
    table = {}
    for page, group in groups.items():
        ms = [s.ms for s in group]
        table[page] = {"n": len(group), "rps": round(len(group) / seconds, 2),
                       "p50": round(statistics.median(ms), 1), "p95": round(percentile(ms, 95), 1),
                       "p99": round(percentile(ms, 99), 1), "errors": sum(not ok(s.status) for s in group)}
    return table


def print_table(table: dict[str, dict[str, float]]) -> None:
    """The summary as aligned lines."""
    print(f"    {'page':26} {'n':>6} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>6}")
    order = [*OPERATOR_PAGES, "dashboard /outcomes", "siting /siting", "operators' pages", "all requests"]
    for page in sorted(table, key=lambda p: order.index(p) if p in order else 99):
        row = table[page]
        print(f"    {page:26} {row['n']:6d} {row['rps']:7.1f} {row['p50']:8.1f} {row['p95']:8.1f} "
              f"{row['p99']:8.1f} {row['errors']:6d}")
