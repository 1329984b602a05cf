"""The JSON API under /api/v1 (bearer tokens): cameras, service areas, faults and incidents, and its
OpenAPI document."""
