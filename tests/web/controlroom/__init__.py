"""Page tests of cctv/web/controlroom."""
