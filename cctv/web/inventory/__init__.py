"""The camera register's pages: cameras, the map and exports, faults, funding, systems and imports."""
