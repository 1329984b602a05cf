"""DPIA records, review rules, self-assessment and scheduler jobs (no Flask). Built by the DPIA issue."""
