"""The PDF site report for a capital bid: the ranking, each top site's figures and a drawn map (ReportLab).

`site_report_pdf(run, crimes=…, cameras_bng=…, sites=…, title=…, generated_at=…)` returns the PDF as bytes. All
text is real PDF text (tables and paragraphs, not pictures) so it can be searched, copied and read back by tests.
The per-site tables of high-harm crimes by category and year are recounted from `crimes` with the model's own
radius query, so `crimes`, `sites` and `cameras_bng` must be the inputs the run was scored on. The output is
byte-for-byte reproducible for the same inputs (ReportLab's invariant mode; `generated_at` is printed, not read
from the clock). Its look (type, tables, page numbers) is every report's: `common.pdf_style`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from xml.sax.saxutils import escape

import numpy as np
import shapely
from numpy.typing import ArrayLike
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, Spacer, Table, TableStyle

from common.pdf_style import (
    BODY,
    CELL_HEAD,
    CELL_RIGHT,
    FONT_BOLD,
    GRID,
    H1,
    H2,
    SHADE,
    SMALL,
    TITLE,
    build_pdf,
    key_values,
)
from inventory.types import london_time
from siting.model.bid import CapitalBid
from siting.model.explain import number, percent
from siting.model.inputs import CrimeSet, Site, camera_points, month_index, month_label
from siting.model.points import PointIndex, unique_points
from siting.model.recorded_at import short_name
from siting.model.rules import rate_text
from siting.model.run import ModelRun, SiteResult
from siting.report.bid import bid_story
from siting.report.maps import MapCrimes, site_map
from siting.report.overview import overview_story

# The bid report's own paragraph: the site's explanation, shaded, kept clear of the map's white mat below it.
EXPLAIN = ParagraphStyle("explain", parent=BODY, backColor=SHADE, borderPadding=5, spaceBefore=4, spaceAfter=16)
RIGHT_FROM_MARGINAL = TableStyle([("ALIGN", (2, 1), (-1, -1), "RIGHT")])  # the ranking's figures


def site_report_pdf(
    run: ModelRun,
    *,
    crimes: CrimeSet,
    cameras_bng: ArrayLike | None,
    sites: Sequence[Site],
    title: str,
    prepared_for: str = "",
    top_n: int = 10,
    generated_at: datetime,
    bid: CapitalBid | None = None,
    area_bng: shapely.Geometry | None = None,
    area_name: str = "",
) -> bytes:
    """The report as PDF bytes: the title, the overview map of the council's area (`area_bng`, National Grid) with
    the bid's sites (or the top N) numbered (`siting.report.overview`), method, the capital bid when given
    (`siting.report.bid`), the ranking of every site, then a section per top-N site."""
    by_id = {s.site_id: s for s in sites}
    ranked = run.ranked()
    top = ranked[:max(top_n, 0)]
    missing = [r.site_id for r in top if r.site_id not in by_id]
    if missing:
        raise ValueError(f"no geometry given for site(s) {', '.join(missing)}")
    first, last = month_index(run.window_first), month_index(run.window_last)
    weights = run.params.profile.weights_for(crimes.categories)
    mapped = MapCrimes.from_crimes(crimes, weights, first, last)
    counter = _Recount(mapped, crimes, first, last)

    story: list = _title(title, prepared_for, generated_at)
    if bid is not None:
        numbered = [(n, r, by_id[r.site_id]) for n, r in enumerate(bid.chosen(), start=1) if r.site_id in by_id]
        what = "the bid's sites, in the order of its table"
    else:
        numbered = [(r.rank, r, by_id[r.site_id]) for r in top]
        what = f"the ranks of the top {len(top)} sites"
    story += [*overview_story(area_bng, area_name, numbered, what), PageBreak()]
    story += _cover(run)
    if bid is not None:
        story += [PageBreak(), *bid_story(bid)]
    story += _ranking(run, ranked)
    for result in top:
        story += [PageBreak(), *_site_section(run, result, by_id[result.site_id], counter, mapped, cameras_bng)]

    return build_pdf(story, footer=footer_text(run, generated_at), title=title, author=prepared_for,
                     subject="CCTV site report", creator="cctv-estate siting model")


def footer_text(run: ModelRun, generated_at: datetime) -> str:
    """How the figures were computed, printed at the foot of every page."""
    p = run.params
    return (f"Figures from the siting model over the {p.window_months} months {window_text(run)}, harm profile "
            f"{p.profile.name}, coverage radius {number(p.radius_m)} m around each site and existing camera "
            f"({_count(run.cameras, 'working camera')}); persistent = top {percent(1 - p.persistence_decile)} of sites "
            f"in at least {p.years_needed} of {p.years} years (n/a with fewer than two years holding "
            f"{p.min_months_per_year}+ months). Generated {_when(generated_at)}.")


def _year_figure(r: SiteResult, year: int) -> str:
    """"1.2 a month (11 of 12 months held; 13 in all)" or "n/a (3 of 12 months held)"."""
    held, rate = r.months_held_by_year[year], r.rate_by_year[year]
    if rate is None:
        return f"n/a ({held} of 12 months held)"
    return f"{rate_text(rate)} a month ({held} of 12 months held; {number(r.harm_by_year[year])} in all)"


def window_text(run: ModelRun) -> str:
    """"Jan 2023 – Dec 2025"."""
    return f"{month_label(run.window_first)} – {month_label(run.window_last)}"


def site_crimes_by_year(run: ModelRun, site: Site, crimes: CrimeSet) -> dict[str, tuple[int, ...]]:
    """The site's harm-weighted crimes within r by category, a count per model year (oldest first)."""
    first, last = month_index(run.window_first), month_index(run.window_last)
    weights = run.params.profile.weights_for(crimes.categories)
    counter = _Recount(MapCrimes.from_crimes(crimes, weights, first, last), crimes, first, last)
    return counter.by_category_year(site, run.params.radius_m, run.params.years)[0]


class _Recount:
    """The window's crimes indexed by map point, to recount one site's crimes by category and year with the same
    `dwithin` query the model uses (so the tables agree with the model's totals)."""

    def __init__(self, mapped: MapCrimes, crimes: CrimeSet, first: int, last: int) -> None:
        keep = crimes.located & (crimes.month >= first) & (crimes.month <= last)
        self.year = (crimes.month[keep] - first) // 12
        self.category = crimes.category[keep]
        self.names = crimes.categories
        self.harmful = mapped.harmful
        ue, un, self.point = unique_points(mapped.easting, mapped.northing)
        self.index = PointIndex(ue, un)

    def by_category_year(self, site: Site, radius_m: float, years: int
                         ) -> tuple[dict[str, tuple[int, ...]], dict[str, int]]:
        """(harm-weighted crimes by category → per-year counts, other crimes by category → count)."""
        _, points = self.index.pairs([site.geometry], radius_m)
        near = np.isin(self.point, points)
        table: dict[str, tuple[int, ...]] = {}
        for code in np.unique(self.category[near & self.harmful]):
            picked = near & self.harmful & (self.category == code)
            table[self.names[code]] = tuple(int(v) for v in np.bincount(self.year[picked], minlength=years))
        other_codes, counts = np.unique(self.category[near & ~self.harmful], return_counts=True)
        return dict(sorted(table.items(), key=lambda kv: (-sum(kv[1]), kv[0]))), \
            {self.names[c]: int(n) for c, n in sorted(zip(other_codes, counts, strict=True), key=lambda t: -t[1])}


# --- the document -------------------------------------------------------------------------------------------------

def _title(title: str, prepared_for: str, generated_at: datetime) -> list:
    story: list = [Paragraph(escape(title), TITLE)]
    if prepared_for:
        story.append(Paragraph(f"Prepared for {escape(prepared_for)}", BODY))
    story.append(Paragraph(f"Generated {_when(generated_at)}", BODY))
    story.append(Spacer(1, 4 * mm))
    return story


def _cover(run: ModelRun) -> list:
    p = run.params
    story: list = []
    story.append(Paragraph(
        f"This report ranks {_count(run.sites, 'candidate site')} for new public-space CCTV by the harm recorded "
        f"within {number(p.radius_m)} m of each over the {p.window_months} months {window_text(run)}, after taking "
        f"away harm already within {number(p.radius_m)} m of the council's existing working cameras "
        f"({run.cameras:,}). The harm a new camera would add (its marginal harm) decides the rank.", BODY))
    years = "; ".join(f"year {i}: {month_label(a)} – {month_label(b)}" for i, (a, b) in enumerate(run.years, 1))
    shown = {c: w for c, w in p.profile.weights.items() if w > 0}
    rows = [
        ("Data window", f"{window_text(run)} ({p.window_months} months); {years}"),
        ("Harm profile", f"{p.profile.name} ({p.profile.label}): "
                         + ", ".join(f"{c} {number(w)}" for c, w in shown.items()) + "; other categories 0"),
        ("Coverage radius", f"{number(p.radius_m)} m around each candidate site and each existing camera"),
        ("Years", f"each year is a monthly rate over the months of it that hold data; a year holding fewer than "
                  f"{p.min_months_per_year} of its 12 months is n/a, never 0; months held: "
                  + ", ".join(f"{h} of 12" for h in run.months_held_by_year)),
        ("Persistence rule", f"persistent when in the top {percent(1 - p.persistence_decile)} of sites in at "
                             f"least {p.years_needed} of the {p.years} years; n/a with fewer than two usable years"),
        ("Trend rule", f"from the first and last usable years' monthly rates: rising or falling when the rate "
                       f"changes by more than {percent(p.trend_threshold)} of the earlier a year, otherwise "
                       "stable; no trend with fewer than two usable years"),
        ("Camera rule", f"one fixed camera for each 90° sector holding at least {percent(p.sector_share)} of the "
                        f"harm the site adds; {p.deployable_per_site} deployable per site, one more when rising"),
        ("Crimes", f"{run.crimes_total:,} in the data; {run.crimes_in_window:,} located in the window, of which "
                   f"{run.crimes_with_harm:,} carry harm; {run.crimes_without_location:,} without a location; "
                   f"{run.unique_points:,} distinct map points"),
        ("Sites and cameras", f"{_count(run.sites, 'candidate site')}; "
                              f"{_count(run.cameras, 'existing working camera')}"),
    ]
    rows += [("Note", note) for note in run.notes()]
    story += [Paragraph("Data and method", H1), key_values(rows, (38, 136))]
    story.append(Paragraph("Locations are police.uk's anonymous snap points, so crimes are counted by the point "
                           "they were published at; figures are no more precise than that.", SMALL))
    return story


def _ranking(run: ModelRun, ranked: list[SiteResult]) -> list:
    label = run.params.profile.label
    head = ["Rank", "Site", "Marginal harm", f"Harm, {run.params.window_months} months", "A month, per year", "Trend",
            "Persistent", "Already covered", "Fixed cameras", "Deployable"]
    rows: list[list] = [[Paragraph(h, CELL_HEAD) for h in head]]
    for r in ranked:
        per_year = Paragraph(r.rates_text(), CELL_RIGHT)
        place = r.label()
        site = (escape(place.name) + (f"<br/><font size=6>{escape(place.place)}</font>" if place.place else "")
                + (f"<br/><b>recorded at: {escape(short_name(r.recorded_at_label))}</b>" if r.recorded_at else ""))
        rows.append([str(r.rank), Paragraph(site, SMALL), number(r.marginal), number(r.harm),
                     per_year, Paragraph(escape(r.trend), SMALL), r.persistent_text(),
                     "–" if r.covered_share is None else percent(r.covered_share), str(r.fixed_cameras),
                     str(r.deployable_cameras)])
    widths = [10, 34, 16, 15, 22, 14, 16, 15, 14, 17]  # mm, 173 in all: A4 less the margins
    table = Table(rows, colWidths=[w * mm for w in widths], repeatRows=1, hAlign="LEFT")
    table.setStyle(GRID)
    table.setStyle(RIGHT_FROM_MARGINAL)
    table.setStyle(TableStyle([("ALIGN", (0, 1), (0, -1), "RIGHT"), ("ALIGN", (5, 1), (6, -1), "LEFT")]))
    intro = (f"Harm is counted in {escape(label)}. Marginal harm is the harm not already within "
             f"{number(run.params.radius_m)} m of an existing camera; sites are ranked by it, then by total harm. "
             "Per year is harm a month over the months each year holds, oldest first; n/a where a year holds "
             f"fewer than {run.params.min_months_per_year} months. A site marked \"recorded at\" has most of its "
             "harm at a hospital, police station or prison, where crimes are recorded rather than committed"
             + (": it is ranked after the others and given no camera." if not run.params.include_recorded_at
                else " (included in the ranking as asked)."))
    return [Paragraph("Ranking", H1), Paragraph(intro, BODY), table]


def _site_section(run: ModelRun, r: SiteResult, site: Site, counter: _Recount, mapped: MapCrimes,
                  cameras_bng: ArrayLike | None) -> list:
    p = run.params
    label = p.profile.label
    place = r.label()
    heading = f"Rank {r.rank}: {escape(place.name)}"
    lead = ((f"{escape(place.place)}. " if place.place else "")
            + f"Marginal harm {number(r.marginal)} {escape(label)}; harm {number(r.harm)} over "
              f"{p.window_months} months.")
    years = [f"{month_label(a)} – {month_label(b)}" for a, b in run.years]
    usable = [v for v in r.top_decile_years if v is not None]
    figures = [
        ("Rank", f"{r.rank} of {run.sites}"),
        ("Marginal harm", number(r.marginal)),
        (f"Harm, {p.window_months} months", number(r.harm)),
        *[(f"Year {i}", f"{_year_figure(r, i - 1)} ({y})") for i, y in enumerate(years, 1)],
        ("Trend", r.trend_text()),
        ("Top-decile years", "n/a (fewer than two years with enough data)" if r.persistent is None
         else f"{sum(usable)} of {len(usable)}: " + ("persistent" if r.persistent else "not persistent")),
        ("Already covered", "–" if r.covered_share is None
         else f"{percent(r.covered_share)} ({number(r.covered_harm)})"),
        ("At one point", "–" if r.top_point_share is None
         else f"{percent(r.top_point_share)} of the harm at the largest single police.uk map point"),
        ("Recorded-at place", f"yes: {percent(r.recorded_at_share or 0.0)} of the harm at "
                              f"\"{escape(r.recorded_at_label)}\", where crimes are recorded rather than committed"
         if r.recorded_at else "no"),
        ("Crimes within radius", f"{r.crimes} (all categories); {r.harm_crimes} harm-weighted"),
        ("Fixed cameras", f"{r.fixed_cameras}" + (f" ({', '.join(r.directions)})" if r.directions else "")),
        ("Deployable cameras", str(r.deployable_cameras)),
    ]
    drawing = site_map(site, mapped, camera_points(cameras_bng), p.radius_m, size=98 * mm)
    side = Table([[key_values(figures, (34, 36)), drawing]], colWidths=[74 * mm, 100 * mm])
    side.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))

    harm_table, others = counter.by_category_year(site, p.radius_m, p.years)
    story = [Paragraph(heading, H1), Paragraph(lead, BODY), Paragraph(escape(r.explanation), EXPLAIN), side,
             Paragraph(f"Harm-weighted crimes within {number(p.radius_m)} m, by category and year", H2)]
    if harm_table:
        head = ["Category", *[f"Year {i}" for i in range(1, p.years + 1)], "Total", "Harm"]
        rows = [head]
        for category, counts in harm_table.items():
            rows.append([category, *[str(c) for c in counts], str(sum(counts)),
                         number(r.harm_by_category.get(category, 0.0))])
        totals = np.sum(list(harm_table.values()), axis=0)
        rows.append(["All", *[str(int(c)) for c in totals], str(int(totals.sum())), number(r.harm)])
        table = Table(rows, colWidths=[70 * mm] + [18 * mm] * (p.years + 2), repeatRows=1, hAlign="LEFT",
                      spaceAfter=6)
        table.setStyle(GRID)
        table.setStyle(TableStyle([("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                                   ("FONT", (0, -1), (-1, -1), FONT_BOLD, 8)]))
        story.append(table)
    else:
        story.append(Paragraph(f"None in the window within {number(p.radius_m)} m.", BODY))
    if others:
        listed = ", ".join(f"{escape(c)} {n}" for c, n in others.items())
        story.append(Paragraph(f"Other crimes within {number(p.radius_m)} m (weight 0, for context): {listed}.", SMALL))
    return story


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def _when(moment: datetime | date) -> str:
    """When the report was made, on London's clock (a naive time is UTC, as everywhere)."""
    return london_time(moment).strftime("%d %b %Y %H:%M") if isinstance(moment, datetime) \
        else moment.strftime("%d %b %Y")
