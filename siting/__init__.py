"""Crime import and the 3-year high-harm siting model (no Flask): plain data in, plain data out, with the
database only at the edges (`models`, `store`, `bulk`, `saved`, `existing`, `planning`).

- `police_csv`  read data.police.uk street-level CSVs (files, folders, zips) → `CrimeRecord`s / tuples
- `summary`     counts and sentences for an import (`ImportSummary`)
- `area`        the council's area (bounding box or boundary GeoJSON) → `AreaFilter.contains`
- `geometry`    WGS84 ↔ British National Grid for numpy arrays and shapely geometries
- `harm`        harm-weight profiles: `high-harm` (default), `cchi`, user tables
- `crimes`      `CrimeSet` (numpy columns in metres), `Site`, month helpers
- `points`      crimes aggregated by unique point; radius queries (`count_within`: a numpy grid join for points)
- `model`       `score_sites(crimes, sites, cameras, ModelParams)` → `ModelRun` of `SiteResult`s
- `rules`       persistence, trend and camera-recommendation rules; `explain` the councillor's sentence
- `hotspots`    quartic kernel-density surface and its peaks (candidate sites)
- `best`        best K new sites: greedy and exact (HiGHS) maximum coverage
- `validate`    Predictive Accuracy Index on held-out months against a kernel-density baseline
- `sites_io`, `site_geometry`  candidate sites from CSV, GeoJSON or typed lines, every problem with its line
- `report`, `report_map`       the ReportLab site report with a drawn map per site (no tiles)
- `models`, `store`, `bulk`  crimes in the database: bulk import without duplicates, fast read-back as a `CrimeSet`
- `saved`       candidate sites and saved runs (parameters, window, counts, results) and their comparison
- `existing`    the inventory's working public-space cameras as existing coverage
- `planning`    what the pages and CLI ask: inputs from the database, scoring, a site's detail, the report
"""
