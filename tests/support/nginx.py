"""Debian's nginx running the shipped site (deploy/nginx-broadsheet.conf) on loopback, for
tests/test_nginx_cache.py and the benchmark (bench/run.py)."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

from .gunicorn import ROOT, free_port

NGINX = Path("/usr/sbin/nginx")


class Nginx:
    """deploy/nginx-broadsheet.conf on a free loopback port, in front of `upstream`, with
    its cache, logs and temporary files under `folder` and /static/ served from `static`."""

    def __init__(self, folder: Path, upstream: int, static: Path) -> None:
        self.folder = folder
        self.port = free_port()
        site = (ROOT / "deploy" / "nginx-broadsheet.conf").read_text()
        for shipped, here in (
            ("listen 80;", f"listen 127.0.0.1:{self.port};"),
            ("listen [::]:80;", ""),
            ("127.0.0.1:8000", f"127.0.0.1:{upstream}"),
            ("/var/cache/nginx/broadsheet", str(folder / "cache")),
            ("/var/log/nginx/broadsheet.access.log", str(folder / "access.log")),
            ("/srv/broadsheet/static/", f"{static}/"),
        ):
            assert shipped in site, shipped
            site = site.replace(shipped, here)
        (folder / "site.conf").write_text(site)
        temp = "\n".join(
            f"{kind}_temp_path {folder / kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        (folder / "nginx.conf").write_text(
            ("user root;\n" if os.geteuid() == 0 else "")
            + f"daemon off;\nworker_processes 1;\npid {folder / 'nginx.pid'};\n"
            + f"error_log {folder / 'error.log'};\nevents {{ worker_connections 64; }}\n"
            + f"http {{\ninclude /etc/nginx/mime.types;\n{temp}\n"
            + f"include {folder / 'site.conf'};\n}}\n"
        )
        self.process = subprocess.Popen(
            [str(NGINX), "-p", str(folder), "-c", str(folder / "nginx.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )

    def stop(self) -> None:
        self.process.send_signal(signal.SIGQUIT)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
