"""Page tests of cctv/web/dpia."""
