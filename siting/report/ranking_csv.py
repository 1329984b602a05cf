"""The ranking as CSV rows: one line per site, best first, named and placed as on the pages and in the PDF
(`SiteResult.label()`), with the street, ward and town, and LSOA apart so a spreadsheet can sort or filter on them."""

from __future__ import annotations

from collections.abc import Sequence

from siting.geometry import to_wgs84
from siting.model.inputs import Site
from siting.model.run import ModelRun

HEADER = ["rank", "site_id", "name", "place", "street", "ward_and_town", "lsoa_code", "lsoa_name", "longitude",
          "latitude", "marginal_harm", "harm", "a_month_per_year", "trend", "persistent", "covered_share",
          "top_point_share", "recorded_at", "fixed_cameras", "deployable_cameras"]


def _share(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def ranking_rows(run: ModelRun, sites: Sequence[Site]) -> list[list[object]]:
    """The header and a row per site, best first; coordinates are each site's centre in longitude/latitude."""
    centres = {site.site_id: site.centre for site in sites}
    rows: list[list[object]] = [HEADER]
    for r in run.ranked():
        label = r.label()
        lon, lat = to_wgs84(*centres[r.site_id]) if r.site_id in centres else (None, None)
        rows.append([r.rank, r.site_id, label.name, label.place, r.street, r.locality, r.lsoa_code, r.lsoa_name,
                     "" if lon is None else round(float(lon), 6), "" if lat is None else round(float(lat), 6),
                     f"{r.marginal:g}", f"{r.harm:g}", r.rates_text(), r.trend, r.persistent_text(),
                     _share(r.covered_share), _share(r.top_point_share), r.recorded_at_label if r.recorded_at else "",
                     r.fixed_cameras, r.deployable_cameras])
    return rows
