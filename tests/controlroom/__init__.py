"""Tests of the control-room log (cctv.controlroom)."""
