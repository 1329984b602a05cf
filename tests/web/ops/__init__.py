"""Tests of the operations endpoints."""
