"""Scheduled work: plain functions of an injected `now` and settings, and the one scheduler that runs them."""
