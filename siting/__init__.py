"""Crime import and the 3-year high-harm siting model (no Flask): plain data in, plain data out, with the
database only at the edges (`store`, `planning`).

- `sources/`   what planners bring: `police` (data.police.uk street-level CSVs, folders, zips → `CrimeRecord`s),
               `import_summary` (counts and sentences for an import), `area` (bounding box or boundary GeoJSON),
               `sites` and `site_geometry` (candidate sites from CSV, GeoJSON or typed lines, each problem with
               its line)
- `geometry`   WGS84 ↔ British National Grid for numpy arrays and shapely geometries
- `model/`     the model on plain arrays: `inputs` (`CrimeSet` in metres, `Site`, month helpers), `harm` (profiles:
               `high-harm`, `cchi`, user tables), `points` (crimes by unique point, radius queries), `scoring`
               (`score_sites` → `ModelRun`), `rules` and `explain` (persistence, trend, cameras; the councillor's
               sentence), `hotspots` (quartic KDE and its peaks), `best` (best K: greedy and exact, from `greedy`,
               `exact` (the LP bound's proof or the integer programme, in a time limit) and `reduce` (dominated
               sites dropped, identical points merged)), `validate` (PAI on held-out months against a
               kernel-density baseline)
- `store/`     the database: `tables` (crimes and imports), `crimes` and `bulk` (import without duplicates, fast
               read-back as a `CrimeSet`), `saved` (candidate sites, saved runs and their comparison), `existing`
               (the inventory's working public-space cameras as existing coverage)
- `report/`    the ReportLab capital-bid report: `pdf` (ranking and a page per site), `maps` (a drawn map, no tiles)
- `planning`   what the pages and CLI ask: inputs from the database, scoring, a site's detail, the report
"""
