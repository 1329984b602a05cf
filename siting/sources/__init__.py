"""Reading what planners bring: police.uk street-level files, the council's area, and candidate sites from
CSV, GeoJSON or typed lines (uploaded files are read by `common.tabular`, as camera lists are)."""
