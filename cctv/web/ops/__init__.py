"""Operations: what the reverse proxy, systemd and monitoring ask of the running app (no pages for people)."""
