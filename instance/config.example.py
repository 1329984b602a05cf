# Copy to instance/config.py and adjust. Environment variables (CCTV_*) override what is set here.
# In production, deploy/cctv.env.example (read by the systemd units) is the usual place instead.
# ENV = "production"            # refuses a SECRET_KEY under 32 characters, HTTPS-only cookies, HSTS, no demo data
# SECRET_KEY = "a long random string"   # python3 -c 'import secrets; print(secrets.token_hex(32))'
# DATABASE_URL = "postgresql+psycopg://cctv@localhost/cctv"
# PROXY_HOPS = 1                # behind one reverse proxy (nginx): believe its X-Forwarded-* headers
# MAP_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"  # "": no background tiles; the CSP allows its host
# EXPECTED_LIFE_YEARS = {"public_space_fixed": 12, "body_worn": 3}  # by kind: replacement and the end-of-life flag
# SLA_HOURS = {"critical": 4, "high": 24, "medium": 72, "low": 168}
