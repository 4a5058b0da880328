"""docs/deploy.md, sections 1 to 3, followed on loopback: the guide as a tested path.

Every command run here is first looked up, word for word, in docs/deploy.md (`Machine.says`),
so the guide and this test cannot drift apart. What a test machine must change, and nothing
else (docs/deploy.md says the same):

- paths: /srv/broadsheet, /etc/broadsheet, /etc/nginx and /var/cache/nginx live in a
  temporary folder, and the code is copied there from this checkout instead of cloned;
- the system user: `nobody` and `nogroup` play `broadsheet` (no user is created), for the
  guide's commands and for the unit's User= and Group=; the test runs as root, as the guide;
- ports and names: your.host.name is broadsheet.test, gunicorn and nginx listen on free
  loopback ports (BROADSHEET_BIND in the env file; in the nginx site `listen 80` and the
  upstream's 127.0.0.1:8000), the SMTP relay on port 25 is an aiosmtpd sink on a free port,
  nginx logs go to the temporary folder; MAIL_SEND_INTERVAL is 1 second, not 30;
- no systemd: the unit's environment, ExecStartPre and ExecStart are read from
  deploy/broadsheet.service and run with its UMask; nginx runs with a main configuration
  like Debian's (user www-data, the site included) and its own prefix;
- PostgreSQL (under the suite's PostgreSQL pass): DATABASE_URL in the env file names a
  throwaway database, as section 6 adds it.
"""

from __future__ import annotations

import http.client
import io
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from contextlib import closing
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from PIL import Image
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.conftest import Inbox, free_port
from tests.support.apps import require
from tests.support.gunicorn import _admin
from tests.test_newsroom_photo_sizes import phone_photo

pytestmark = pytest.mark.deploy

ROOT = Path(__file__).resolve().parents[2]
GUIDE = (ROOT / "docs" / "deploy.md").read_text()
NGINX = "/usr/sbin/nginx"
HOST = "broadsheet.test"
ADMIN = "you@example.org"
PASSWORD = "harbour lights at dawn"
MODERATOR = f"editor@{HOST}"
# The site's system user and group, played by ones every Debian has.
USER, GROUP = "nobody", "nogroup"

ENV_FILE = """install -d -m 750 -g broadsheet /etc/broadsheet
cat > /etc/broadsheet/env <<EOF2
SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
BROADSHEET_SITE_URL=http://your.host.name
# nginx is one proxy in front: trust one X-Forwarded-For / -Proto hop, no more.
BROADSHEET_PROXY_FIX_X_FOR=1
BROADSHEET_PROXY_FIX_X_PROTO=1
EOF2
chmod 640 /etc/broadsheet/env && chgrp broadsheet /etc/broadsheet/env"""

MAIL_SETTINGS = """cat >> /etc/broadsheet/env <<EOF2
BROADSHEET_MAIL_SERVER=127.0.0.1
BROADSHEET_MAIL_PORT=25
BROADSHEET_MAIL_FROM='Newsroom <newsroom@your.host.name>'
BROADSHEET_MODERATOR_EMAILS=editor@your.host.name
EOF2"""

BSFLASK = """bsflask() {
  runuser -u broadsheet -- sh -c 'cd /srv/broadsheet && set -a && . /etc/broadsheet/env && set +a &&
    FLASK_APP=app:create_app BROADSHEET_ENV=production exec .venv/bin/flask "$@"' bsflask "$@"
}"""

NGINX_MAIN = """user www-data;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {etc}/sites-enabled/*;
}}
"""


class Machine:
    """The server the guide talks about, inside a temporary folder."""

    def __init__(self, base: Path, smtp_port: int) -> None:
        self.base = base
        self.srv = base / "srv" / "broadsheet"
        self.etc = base / "etc" / "broadsheet"
        self.nginx_etc = base / "etc" / "nginx"
        self.nginx_prefix = base / "nginx"
        self.gunicorn_port = free_port()
        self.nginx_port = free_port()
        self.smtp_port = smtp_port
        self.gunicorn: subprocess.Popen | None = None
        self.env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin",
            "HOME": os.environ.get("HOME", "/root"),
            "LANG": "C.UTF-8",
        }

    def local(self, text_: str) -> str:
        for guide, here in (
            ("/srv/broadsheet", str(self.srv)),
            ("/etc/broadsheet", str(self.etc)),
            ("/etc/nginx/sites-", f"{self.nginx_etc}/sites-"),
            ("/var/cache/nginx", f"{self.base}/var/cache/nginx"),
            ("your.host.name", HOST),
            ("runuser -u broadsheet -- ", f"runuser -u {USER} -- "),
            ("-o broadsheet -g broadsheet ", f"-o {USER} -g {GROUP} "),
            ("-o broadsheet ", f"-o {USER} "),
            ("-g broadsheet ", f"-g {GROUP} "),
            ("chgrp broadsheet ", f"chgrp {GROUP} "),
            ("127.0.0.1:8000", f"127.0.0.1:{self.gunicorn_port}"),
            ("BROADSHEET_MAIL_PORT=25", f"BROADSHEET_MAIL_PORT={self.smtp_port}"),
        ):
            text_ = text_.replace(guide, here)
        return text_

    def says(self, command: str) -> str:
        assert command in GUIDE, f"docs/deploy.md no longer says:\n{command}"
        return command

    def run(self, command: str, stdin: str = "", prelude: str = "") -> str:
        """One command of the guide, as root in bash, in the site's folder when it exists."""
        script = prelude + "\n" + self.local(self.says(command))
        done = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", script],
            cwd=self.srv if self.srv.exists() else self.base,
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, f"{script}\n{done.stdout}\n{done.stderr}"
        return done.stdout

    def bsflask(self, command: str, stdin: str = "") -> str:
        return self.run(command, stdin, prelude=self.local(self.says(BSFLASK)))

    def append_env(self, *lines: str) -> None:
        with open(self.etc / "env", "a") as env:
            env.write("".join(f"{line}\n" for line in lines))

    def unit(self) -> tuple[dict[str, str], str, str, dict]:
        """deploy/broadsheet.service's environment, ExecStartPre, ExecStart, and the user,
        group and umask it runs them with."""
        unit = self.local((ROOT / "deploy" / "broadsheet.service").read_text())
        values: dict[str, list[str]] = {}
        for line in unit.splitlines():
            key, sep, value = line.partition("=")
            if sep and not line.startswith("#"):
                values.setdefault(key, []).append(value)
        env = dict(self.env)
        env.update(v.split("=", 1) for v in values["Environment"])
        sourced = subprocess.run(
            ["bash", "-c", 'set -a && . "$0" && env -0', values["EnvironmentFile"][0]],
            env={},
            capture_output=True,
            check=True,
        ).stdout.decode()
        env.update(item.split("=", 1) for item in sourced.split("\0") if "=" in item)
        env.pop("PWD", None)
        env.pop("SHLVL", None)
        env.pop("_", None)
        assert values["WorkingDirectory"] == [str(self.srv)]
        assert (values["User"], values["Group"]) == (["broadsheet"], ["broadsheet"])
        runs_as = {"user": USER, "group": GROUP, "umask": int(values["UMask"][0], 8)}
        return env, values["ExecStartPre"][0], values["ExecStart"][0], runs_as

    def start_site(self) -> None:
        env, migrate, start, runs_as = self.unit()
        migrated = subprocess.run(
            migrate.split(), cwd=self.srv, env=env, capture_output=True, text=True, **runs_as
        )
        assert migrated.returncode == 0, migrated.stderr
        with open(self.base / "gunicorn.log", "ab") as log:
            self.gunicorn = subprocess.Popen(
                start.split(),
                cwd=self.srv,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                **runs_as,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.gunicorn.poll() is None, self.log("gunicorn.log")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.gunicorn_port, timeout=5)
                with closing(conn):
                    conn.request("GET", "/healthz", headers={"Host": HOST})
                    if conn.getresponse().status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise AssertionError("gunicorn did not answer:\n" + self.log("gunicorn.log"))

    def start_nginx(self) -> None:
        site = self.nginx_etc / "sites-available" / "broadsheet"
        config = self.local(site.read_text())
        for guide, here in (
            ("    listen 80;\n", f"    listen 127.0.0.1:{self.nginx_port};\n"),
            ("    listen [::]:80;\n", ""),
            ("/var/log/nginx/", f"{self.nginx_prefix}/"),
        ):
            assert guide in config, f"the shipped nginx site no longer has {guide!r}"
            config = config.replace(guide, here)
        site.write_text(config)
        main = self.nginx_prefix / "nginx.conf"
        main.write_text(NGINX_MAIN.format(prefix=self.nginx_prefix, etc=self.nginx_etc))
        nginx = [NGINX, "-p", f"{self.nginx_prefix}/", "-c", str(main)]
        self.says("nginx -t && systemctl reload nginx")
        for args in (["-t", "-q"], []):
            done = subprocess.run([*nginx, *args], capture_output=True, text=True, timeout=30)
            assert done.returncode == 0, done.stderr

    def stop(self) -> None:
        if self.gunicorn is not None:
            self.gunicorn.send_signal(signal.SIGTERM)
            try:
                self.gunicorn.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.gunicorn.pid, signal.SIGKILL)
                self.gunicorn.wait(timeout=10)
        pid_file = self.nginx_prefix / "nginx.pid"
        if pid_file.exists():
            pid = int(pid_file.read_text())
            os.kill(pid, signal.SIGQUIT)
            deadline = time.monotonic() + 15
            while pid_file.exists() and time.monotonic() < deadline:
                time.sleep(0.1)

    def log(self, name: str) -> str:
        path = self.base / name
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""


class Browser:
    """Requests to nginx on loopback as a reader's browser makes them: Host, cookies."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        sent = {"Host": HOST, "Connection": "close", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        with closing(http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)) as conn:
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.headers, content

    def get(self, path: str) -> str:
        status, _headers, content = self.request("GET", path)
        assert status == 200, (path, status, content[:500])
        return content.decode()

    def post(self, path: str, fields: dict, files: bool = False, headers=None):
        if files:
            boundary, body = encode_multipart(fields)
            content_type = f"multipart/form-data; boundary={boundary}"
        else:
            body, content_type = urlencode(fields).encode(), "application/x-www-form-urlencoded"
        sent = {
            "Content-Type": content_type,
            "Origin": f"http://{HOST}",
            "Sec-Fetch-Site": "same-origin",
            **(headers or {}),
        }
        return self.request("POST", path, body, sent)


def hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" type="hidden" value="([^"]*)"', html).group(1)


@pytest.fixture(scope="module")
def smtp_sink():
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller.port, inbox
    controller.stop()


@pytest.fixture(scope="module")
def database_url():
    postgres = os.environ.get("TEST_DATABASE_URL", "")
    if not postgres:
        yield ""
        return
    name = f"{make_url(postgres).database}_deploy"
    _admin(f'CREATE DATABASE "{name}"')
    yield make_url(postgres).set(database=name).render_as_string(hide_password=False)
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def machine(smtp_sink, database_url):
    """Sections 1 to 3 of the guide, done; gunicorn and nginx serving."""
    require(os.geteuid() == 0, "root (the guide's commands run as root)")
    require(Path(NGINX).exists(), "Debian's nginx")
    base = Path(tempfile.mkdtemp(prefix="broadsheet-deploy-"))
    base.chmod(0o755)  # nginx's user walks through it, as through /srv on a server
    machine = Machine(base, smtp_sink[0])
    try:
        files = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout.decode()
        for name in filter(None, files.split("\0")):
            if (ROOT / name).is_file():
                (machine.srv / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(ROOT / name, machine.srv / name)
        for folder in (machine.nginx_etc / "sites-available", machine.nginx_etc / "sites-enabled"):
            folder.mkdir(parents=True)
        machine.nginx_prefix.mkdir()

        # 1. Install and configure
        machine.run("cd /srv/broadsheet && make install")
        machine.run("install -d -o broadsheet -g broadsheet -m 751 /srv/broadsheet/instance")
        machine.run("install -d -o broadsheet -g www-data -m 2750 /srv/broadsheet/instance/uploads")
        machine.run(ENV_FILE)
        machine.run("echo 'BROADSHEET_SITE_LANGUAGE=es' >> /etc/broadsheet/env")
        machine.run(MAIL_SETTINGS)
        machine.append_env(
            f"BROADSHEET_BIND=127.0.0.1:{machine.gunicorn_port}",
            "WEB_CONCURRENCY=3",
            "BROADSHEET_MAIL_SEND_INTERVAL=1",
            *([f"DATABASE_URL={database_url}"] if database_url else []),
        )

        # 2. gunicorn, as the unit starts it; the first account
        machine.start_site()
        assert (
            machine.run("curl -s http://127.0.0.1:8000/healthz -H 'Host: your.host.name'")
            == "database ok\n"
        )
        machine.bsflask(
            "bsflask users create you@example.org --role admin", f"{PASSWORD}\n{PASSWORD}\n"
        )

        # 3. nginx in front
        machine.run("mkdir -p /var/cache/nginx")
        machine.run("cp deploy/nginx-broadsheet.conf /etc/nginx/sites-available/broadsheet")
        machine.run(
            "sed -i 's/news.example.org/your.host.name/' /etc/nginx/sites-available/broadsheet"
        )
        machine.run("ln -s /etc/nginx/sites-available/broadsheet /etc/nginx/sites-enabled/")
        machine.start_nginx()
        machine.run("rm -f /etc/nginx/sites-enabled/default")
        machine.says("curl -s http://127.0.0.1/healthz -H 'Host: your.host.name'")
        status, _headers, body = Browser(machine.nginx_port).request("GET", "/healthz")
        assert (status, body) == (200, b"database ok\n")
        yield machine
    finally:
        machine.stop()
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def editor(machine):
    browser = Browser(machine.nginx_port)
    form = browser.get("/newsroom/login")
    fields = {"email": ADMIN, "password": PASSWORD, "csrf_token": hidden(form, "csrf_token")}
    status, headers, content = browser.post("/newsroom/login", fields)
    assert status == 303, content[:500]
    return browser


@pytest.fixture(scope="module")
def story(machine, editor):
    """A story with a phone photo, published by the editor through nginx: its address."""
    page = editor.get("/newsroom/categories")
    fields = {"name": "Puerto", "slug": "puerto", "csrf_token": hidden(page, "csrf_token")}
    assert editor.post("/newsroom/categories", fields)[0] == 303

    form = editor.get("/newsroom/stories/new")
    category = re.search(r'<option value="(\d+)">Puerto</option>', form).group(1)
    photo = phone_photo((2800, 2000))
    assert len(photo) > 6 * 1024 * 1024
    fields = {
        "csrf_token": hidden(form, "csrf_token"),
        "headline": "Llega la draga al puerto",
        "category_id": category,
        "byline": "Ana Ruiz",
        "body": "La draga llegó el lunes.",
        "comments_open": "y",
        "image_alt": "La draga en el puerto",
        "image_file": FileStorage(io.BytesIO(photo), "IMG_2041.JPG", "image_file"),
        "action": "publish",
    }
    status, headers, content = editor.post("/newsroom/stories/new", fields, files=True)
    assert status == 303, content[:1000]
    return "/puerto/llega-la-draga-al-puerto"


def test_editor_publishes_a_phone_photo_and_readers_see_it(machine, story):
    html = Browser(machine.nginx_port).get(story)
    picture = re.search(r'src="(/media/img-2041-[a-z0-9]+-\d+\.jpg)"', html).group(1)
    status, headers, content = Browser(machine.nginx_port).request("GET", picture)
    assert status == 200 and headers["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(content)) as shown:
        assert shown.format == "JPEG"


def test_media_is_served_by_nginx_from_disk(machine, story):
    html = Browser(machine.nginx_port).get(story)
    picture = re.search(r'src="(/media/[^"]+\.jpg)"', html).group(1)
    status, headers, _content = Browser(machine.nginx_port).request("GET", picture)
    assert status == 200
    assert headers["Cache-Control"] == "public, max-age=31536000"
    assert "X-Request-ID" not in headers  # the app sends it with every answer; nginx does not
    assert picture not in machine.log("gunicorn.log")


def test_a_spanish_site_reads_in_spanish(machine):
    html = Browser(machine.nginx_port).get("/")
    assert '<html lang="es"' in html
    assert "Todos los derechos reservados." in html  # "All rights reserved."


def test_a_moderation_email_leaves_the_queue(machine, story, smtp_sink, database_url):
    _port, inbox = smtp_sink
    reader = Browser(machine.nginx_port)
    page = reader.get(story)
    time.sleep(3.5)  # COMMENT_MIN_SECONDS: a person takes a moment to write
    fields = {
        "name": "Lectora",
        "email": "lectora@example.org",
        "body": "¿Cuánto dura la obra?",
        "rendered": hidden(page, "rendered"),
        "token": hidden(page, "token"),
    }
    article_id = re.search(r'action="/comments/(\d+)"', page).group(1)
    status, _headers, content = reader.post(f"/comments/{article_id}", fields)
    assert status == 303, content[:500]
    deadline = time.monotonic() + 60
    while not inbox.to(MODERATOR) and time.monotonic() < deadline:
        time.sleep(0.5)
    [message] = inbox.to(MODERATOR)
    assert "¿Cuánto dura la obra?" in message.get_body(("plain",)).get_content()
    url = database_url or f"sqlite:///{machine.srv}/instance/broadsheet.db"
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            statuses = conn.execute(text("SELECT status FROM mail_queue")).scalars().all()
    finally:
        engine.dispose()
    assert statuses == ["sent"]
