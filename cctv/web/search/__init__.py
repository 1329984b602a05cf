"""The search box in every page's header: one page of results across cameras, incidents, evidence and disclosures."""
