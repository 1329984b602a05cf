"""Page tests of cctv/web/admin."""
