"""The WSGI entry point for production servers: `gunicorn -c deploy/gunicorn.conf.py cctv.wsgi:app`.

Only the app: web workers never migrate, never add demo data and never start the scheduler (`cctv scheduler`
is its own process; DESIGN §3). Configuration comes from CCTV_* environment variables or instance/config.py.
"""

import gc

from cctv.app import create_app

app = create_app()
# What starting up made (modules, the app, the models' mappers: about 190,000 objects) lives as long as the worker.
# Frozen out of the garbage collector's way, so its full collections stop walking them: on the Advisory dashboard
# one came every ten requests and took 0.1 s, 13 ms a request on average (2 ms frozen).
gc.collect()
gc.freeze()
