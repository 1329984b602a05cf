"""Crime import and the 3-year high-harm siting model (no Flask, no database): plain data in, plain data out.

- `police_csv`  read data.police.uk street-level CSVs (files, folders, zips) → `CrimeRecord`s / tuples
- `summary`     counts and sentences for an import (`ImportSummary`)
- `area`        the council's area (bounding box or boundary GeoJSON) → `AreaFilter.contains`
- `geometry`    WGS84 ↔ British National Grid for numpy arrays and shapely geometries
- `harm`        harm-weight profiles: `high-harm` (default), `cchi`, user tables
- `crimes`      `CrimeSet` (numpy columns in metres), `Site`, month helpers
- `points`      crimes aggregated by unique point; radius queries (`count_within`)
- `model`       `score_sites(crimes, sites, cameras, ModelParams)` → `ModelRun` of `SiteResult`s
- `rules`       persistence, trend and camera-recommendation rules; `explain` the councillor's sentence
- `hotspots`    quartic kernel-density surface and its peaks (candidate sites)
- `best`        best K new sites: greedy and exact (HiGHS) maximum coverage
- `validate`    Predictive Accuracy Index on held-out months against a kernel-density baseline
"""
