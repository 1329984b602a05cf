"""The WSGI entry point for production servers: `gunicorn -c deploy/gunicorn.conf.py cctv.wsgi:app`.

Only the app: web workers never migrate, never add demo data and never start the scheduler (`cctv scheduler`
is its own process; DESIGN §3). Configuration comes from CCTV_* environment variables or instance/config.py.
"""

from cctv.app import create_app

app = create_app()
