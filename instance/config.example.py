# Copy to instance/config.py and adjust. Environment variables (CCTV_*) override what is set here.
# SECRET_KEY = "a long random string"
# DATABASE_URL = "postgresql+psycopg://cctv@localhost/cctv"
# MAP_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"   # "" for no background tiles
# END_OF_LIFE_YEARS = 10
# SLA_HOURS = {"critical": 4, "high": 24, "medium": 72, "low": 168}
