"""Accounts, roles, login throttling and API tokens (no Flask here; the web layer wires Flask-Login)."""
