"""Tests of the `cctv` command."""
