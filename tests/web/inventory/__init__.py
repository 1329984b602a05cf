"""Page tests of cctv/web/inventory."""
