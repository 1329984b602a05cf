"""The camera estate: service areas, systems, cameras, moves, faults and funding (no Flask)."""
