"""gunicorn's configuration for the CCTV estate web workers: `gunicorn -c deploy/gunicorn.conf.py`.

Workers serve pages only: the scheduled DPIA and retention work runs in its own `cctv scheduler` process, never in
a web worker (each worker would run it again). Settings come from the environment so one file serves every
installation: GUNICORN_BIND, WEB_CONCURRENCY (workers), GUNICORN_THREADS, GUNICORN_TIMEOUT.
The access log is one JSON object a line on stdout (systemd's journal keeps it): time, method, path, status,
duration in ms, the signed-in user's id and the client address. No query strings: searches can hold personal data.
"""

import json
import os
import time

from gunicorn.glogging import Logger

wsgi_app = "cctv.wsgi:app"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")  # nginx in front proxies to this; never 0.0.0.0 without it
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))  # 2–4 per core; each holds its own database pool
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))  # the longest page: a PDF pack or a crime-data upload
graceful_timeout = 30  # on stop or reload, finish requests under way for up to this long
keepalive = 5  # nginx keeps connections to us open; a little longer than its own idle wait costs nothing
max_requests = 2000  # recycle a worker now and then (jitter: not all at once), so a slow leak never grows
max_requests_jitter = 200
forwarded_allow_ips = "127.0.0.1,::1"  # nginx on this machine; the app's own PROXY_HOPS decides what it trusts
control_socket_disable = True  # gunicorn 25+'s control socket: unused (systemd reloads with HUP); no file in $HOME
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")


class JsonAccessLogger(Logger):
    """gunicorn's logger with the access log as one JSON object per request (structured, safely quoted)."""

    def access(self, resp, req, environ, request_time) -> None:
        """Log one request: what the proxy passed on (ProxyFix has set the client address) and who asked."""
        if not self.access_log_enabled:
            return
        line = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "method": environ.get("REQUEST_METHOD"),
            "path": environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""),
            "status": getattr(resp, "status_code", None),
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "user_id": environ.get("cctv.user_id"),  # set by the app (cctv/web/hardening.py) when signed in
            "remote": environ.get("REMOTE_ADDR"),
            "bytes": getattr(resp, "sent", None),
        }
        try:
            self.access_log.info(json.dumps(line))
        except Exception:  # a log line must never break the response
            self.exception("access log line failed")


logger_class = JsonAccessLogger
