"""Page tests of cctv/web/api."""
