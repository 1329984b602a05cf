"""Page tests of cctv/web/auth."""
