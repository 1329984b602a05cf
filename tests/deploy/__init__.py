"""Tests of the deployment: its files and the production processes they describe."""
