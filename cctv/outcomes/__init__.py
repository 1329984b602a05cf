"""The six-principle outcome measures and the Advisory Group report pack (no Flask). Built by the outcomes issue."""
