"""Administration: accounts, API tokens and the read-only audit trail."""
