"""deploy/nginx/cctv.conf is a configuration nginx itself accepts (`nginx -t`, Debian's nginx as installed by
scripts/test), with a throw-away certificate in place of the council's, and it sends every request to gunicorn with
the forwarded headers the app trusts."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.deploy.units import DEPLOY

CONF = DEPLOY / "nginx" / "cctv.conf"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def _nginx_test(tmp_path: Path, site: str) -> subprocess.CompletedProcess[str]:
    """`nginx -t` on a main configuration that includes `site`, its certificate paths pointed at a fresh one."""
    if NGINX is None:
        if os.environ.get("CI"):
            pytest.fail("nginx is not installed: scripts/test installs Debian's nginx-light")
        pytest.skip("nginx is not installed (scripts/test installs Debian's nginx-light)")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "2", "-subj", "/CN=cctv.example.gov.uk"], check=True, capture_output=True)
    site = re.sub(r"ssl_certificate\s+\S+;", f"ssl_certificate {cert};", site)
    site = re.sub(r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {key};", site)
    (tmp_path / "cctv.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n    access_log off;\n    include {tmp_path}/cctv.conf;\n}}\n")
    return subprocess.run([NGINX, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e",
                           str(tmp_path / "error.log")], capture_output=True, text=True, timeout=60)


def test_nginx_accepts_the_site_configuration(tmp_path: Path) -> None:
    checked = _nginx_test(tmp_path, CONF.read_text())
    assert checked.returncode == 0, checked.stderr
    assert "syntax is ok" in checked.stderr and "test is successful" in checked.stderr


def test_the_check_refuses_a_broken_configuration(tmp_path: Path) -> None:
    """The check above can fail: the same file with one directive misspelt is refused."""
    checked = _nginx_test(tmp_path, CONF.read_text().replace("proxy_pass ", "proxy_passs ", 1))
    assert checked.returncode != 0 and 'unknown directive "proxy_passs"' in checked.stderr


def test_requests_go_to_gunicorn_with_the_headers_the_app_trusts() -> None:
    text = CONF.read_text()
    assert "proxy_pass http://127.0.0.1:8000;" in text  # deploy/gunicorn.conf.py's default bind
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in text  # replaced, never appended to
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in text
    assert "return 301 https://$host$request_uri;" in text and "server_tokens off;" in text
