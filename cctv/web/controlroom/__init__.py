"""The control room's pages: the incident log, evidence, disclosures, shifts, settings and retention."""
