"""Page tests of cctv/web/outcomes."""
