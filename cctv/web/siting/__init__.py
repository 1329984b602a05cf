"""The planner's pages: candidate sites, rankings, saved runs, the bid report and the crime data."""
