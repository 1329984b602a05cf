"""Tests of cctv/auth: throttling, the password policy and API tokens, on each database."""
