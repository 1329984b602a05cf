"""Siting data in the database: crime tables with their bulk import and read-back, candidate sites and saved
runs, and the inventory's working cameras as existing coverage."""
