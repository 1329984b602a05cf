"""Page tests of cctv/web/siting."""
