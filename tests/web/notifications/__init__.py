"""Page tests of cctv/web/notifications."""
