"""Tests of the DPIA register, reviews, reminders and self-assessment (dpia/)."""
