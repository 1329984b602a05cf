"""Tests of the demo estate and history."""
