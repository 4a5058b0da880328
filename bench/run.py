"""Broadsheet's benchmark: the same load against Broadsheet, bare Flask and Isso, in one run.

    python bench/run.py                    # 10k stories, 5 s per scenario, two rounds
    python bench/run.py --scale 100k       # 100k stories (built once, cached in bench/out/)
    python bench/run.py --smoke            # seconds: tiny database, 1 s each, no Isso

Every server is gunicorn with two sync workers on 127.0.0.1; the load is wrk with the Lua
scripts in bench/wrk/. Each scenario runs for a fixed time, every round in turn, so slow
drift on a shared machine lands on all of them alike. The table, ratios and machine go to
stdout and (not in smoke mode) into docs/benchmarks.md between the markers for the scale.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OUT = BENCH / "out"
WRK_DIR = BENCH / "wrk"
DOC = ROOT / "docs" / "benchmarks.md"
GUNICORN_CONF = BENCH / "gunicorn_bench.py"
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))

import load  # noqa: E402

from tests.support.nginx import NGINX, Nginx  # noqa: E402

ISSO_SPEC = "isso==0.14.*"
SECRET = "bench-secret-key-not-for-production"
# The guards a peer would switch off for a load test; everything else stays as shipped.
BROADSHEET_ENV = {
    "BROADSHEET_ENV": "production",
    "BROADSHEET_COMMENT_RATE_LIMIT": "100000/second",
    "BROADSHEET_COMMENT_ADDRESS_RATE_LIMIT": "100000/second",
    "BROADSHEET_COMMENT_MIN_SECONDS": "0",
    "BROADSHEET_COMMENT_MODERATION": '"none"',
}
SCALE_CHECK = "1k"
TARGETS = {
    "fragment_vs_isso_get": 20.0,
    "post_vs_isso_post": 2.0,
    "article_vs_bare": 0.25,
    "commenter_vs_bare": 0.05,
    "nginx_article_vs_static": 0.8,
    "scale_slowdown": 1.2,
    "rss_mib": 64.0,
}


# --- servers ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    name: str
    proc: subprocess.Popen
    port: int
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def workers(self) -> list[int]:
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The parent pid is the second field after the parenthesised command name.
            if int(stat.rsplit(")", 1)[1].split()[1]) == self.proc.pid:
                pids.append(int(entry.name))
        return pids

    def worker_rss_mib(self) -> float:
        sizes = []
        for pid in self.workers():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
            if match:
                sizes.append(int(match.group(1)) / 1024)
        return max(sizes, default=0.0)

    def cpu_seconds(self) -> float:
        """CPU time its workers have used so far (user and system)."""
        ticks = 0
        for pid in self.workers():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        return ticks / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def start_gunicorn(name: str, gunicorn: Path, app: str, env: dict, cwd: Path) -> Server:
    port = free_port()
    log = OUT / f"{name}.log"
    argv = [str(gunicorn), "-c", str(GUNICORN_CONF), "-b", f"127.0.0.1:{port}", app]
    handle = log.open("w")
    proc = subprocess.Popen(
        argv, cwd=cwd, env={**os.environ, **env}, stdout=handle, stderr=subprocess.STDOUT
    )
    server = Server(name, proc, port, log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited: see {log}\n{log.read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                if len(server.workers()) >= 2:
                    return server
        except OSError:
            pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"{name} did not start within 60 s: see {log}")


def fetch(url: str, *, data: bytes | None = None, headers: dict | None = None):
    request = urllib.request.Request(url, data=data, headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as response:  # only 127.0.0.1
        return response.status, response.headers, response.read().decode()


def warm(url: str, n: int = 3) -> None:
    for _ in range(n):
        fetch(url)


# --- Isso, the peer -----------------------------------------------------------------------


def isso_gunicorn(quiet: bool) -> Path | None:
    """Isso 0.14 in its own virtualenv under bench/out/, created on first use."""
    venv = OUT / "isso-venv"
    gunicorn = venv / "bin" / "gunicorn"
    if gunicorn.exists() and (venv / "bin" / "isso").exists():
        return gunicorn
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(venv / "bin" / "pip"), "install", "--quiet", ISSO_SPEC, "gunicorn"],
            check=True,
            stdout=subprocess.DEVNULL if quiet else None,
        )
    except subprocess.CalledProcessError as error:
        print(f"Isso could not be installed ({error}); its rows are skipped.", file=sys.stderr)
        return None
    return gunicorn


def start_isso(gunicorn: Path) -> Server:
    port = free_port()
    db = OUT / "isso-run.db"
    db.unlink(missing_ok=True)
    config = OUT / "isso.cfg"
    config.write_text(
        "[general]\n"
        f"dbpath = {db}\n"
        f"host = http://127.0.0.1:{port}/\n"
        "[moderation]\nenabled = false\n"
        "[guard]\nenabled = false\n"
        f"[server]\nlisten = http://127.0.0.1:{port}/\n"
    )
    # Same settings as Broadsheet's server; free_port() picked the port already.
    log = OUT / "isso.log"
    argv = [str(gunicorn), "-c", str(GUNICORN_CONF), "-b", f"127.0.0.1:{port}", "isso.run"]
    handle = log.open("w")
    proc = subprocess.Popen(
        argv,
        cwd=OUT,
        env={**os.environ, "ISSO_SETTINGS": str(config)},
        stdout=handle,
        stderr=subprocess.STDOUT,
    )
    server = Server("isso", proc, port, log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"isso exited: see {log}")
        try:
            fetch(f"{server.base}/info")
            if len(server.workers()) >= 2:
                break
        except OSError:
            time.sleep(0.2)
    for uri in ("/thread-1", "/thread-2"):
        seed_isso(server, uri)
    return server


def seed_isso(server: Server, uri: str) -> None:
    """Fifty comments, shaped like Broadsheet's bench thread: 35 top level, 15 replies."""
    ids: list[int] = []
    for k in range(load.THREAD_SIZE):
        parent = None
        if 35 <= k < 45:
            parent = ids[k - 35]
        elif k >= 45:
            parent = ids[k - 10]
        body = {
            "author": f"Reader {k}",
            "email": f"reader{k}@example.org",
            "website": None,
            "title": "Bench thread",
            "parent": parent,
            "text": f"Comment {k}: a few sentences about the story, with *some* emphasis.\n\n"
            "A second paragraph, and a link https://example.org/notes for anyone curious.",
        }
        _status, _headers, text = fetch(
            f"{server.base}/new?uri={urllib.parse.quote(uri)}",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        ids.append(json.loads(text)["id"])


# --- load ----------------------------------------------------------------------------------


@dataclass
class Scenario:
    name: str
    server: str
    path: str
    script: str = "get.lua"
    env: dict = field(default_factory=dict)
    prepare: object = None  # called before each run; returns extra env


@dataclass
class Result:
    scenario: str
    round: int
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    rss_mib: float
    cpu_ms: float


def run_wrk(url: str, scenario: Scenario, duration: int, connections: int) -> dict:
    result_file = OUT / f"wrk-{scenario.name}.json"
    result_file.unlink(missing_ok=True)
    env = {
        **os.environ,
        "BENCH_WRK_DIR": str(WRK_DIR),
        "BENCH_RESULT": str(result_file),
        **scenario.env,
    }
    if scenario.prepare:
        env.update(scenario.prepare())
    argv = [
        "wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", "10s",
        "-s", str(WRK_DIR / scenario.script), url,
    ]  # fmt: skip
    subprocess.run(argv, env=env, check=True, timeout=duration + 60, stdout=subprocess.DEVNULL)
    return json.loads(result_file.read_text())


def post_form_env(server: Server, article_path: str) -> dict:
    """What a browser sends back from the story's form: its signed render stamp (the
    anonymous form carries no session token)."""
    _status, _headers, html = fetch(server.base + article_path)
    rendered = re.search(r'name="rendered" type="hidden" value="([^"]*)"', html)
    action = re.search(r'action="(/comments/\d+)"', html)
    if not rendered or not action:
        raise RuntimeError(f"no comment form on {article_path}")
    return {
        "BENCH_POST_PATH": action.group(1),
        "BENCH_RENDERED": urllib.parse.quote(rendered.group(1), safe=""),
        "BENCH_TOKEN_PREFIX": secrets.token_hex(6),
    }


class _KeepCookies(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_args, **_kwargs):
        return None  # the 303 after a post carries the cookies: read them, do not follow


def commenter_env(server: Server, article_path: str) -> dict:
    """The cookies of a reader who posted a comment and asked to be remembered."""
    env = post_form_env(server, article_path)
    fields = {
        "name": "Bench Commenter",
        "email": "commenter@example.org",
        "body": "Remember me, please.",
        "remember": "y",
        "rendered": urllib.parse.unquote(env["BENCH_RENDERED"]),
    }
    request = urllib.request.Request(
        server.base + env["BENCH_POST_PATH"], data=urllib.parse.urlencode(fields).encode()
    )
    cookies: list[str] = []
    try:
        urllib.request.build_opener(_KeepCookies).open(request, timeout=30)
    except urllib.error.HTTPError as answer:  # the unfollowed 303
        cookies = [c.split(";", 1)[0] for c in answer.headers.get_all("Set-Cookie") or []]
    if not any(c.startswith("bs_commenter=") for c in cookies):
        raise RuntimeError("the comment post set no commenter cookie")
    return {"BENCH_COOKIE": "; ".join(cookies)}


def start_nginx(upstream: Server, article_path: str) -> Server:
    """The shipped nginx site in front of `upstream`, whose static folder holds the story
    page's bytes as a file: the physical limit for the same response."""
    folder = OUT / "nginx"
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "static").mkdir(parents=True)
    _status, _headers, html = fetch(upstream.base + article_path)
    (folder / "static" / "story.html").write_text(html)
    nginx = Nginx(folder, upstream.port, folder / "static")
    server = Server("nginx", nginx.process, nginx.port, folder / "error.log")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", nginx.port), timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"nginx did not start: see {server.log}")


# --- the run -----------------------------------------------------------------------------


def serve_broadsheet(name: str, scale: str) -> tuple[Server, int]:
    stories = load.SCALES[scale][0]
    source = load.build(scale)
    work = OUT / f"run-{scale}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{work}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, work)
    load.refresh(work, stories)
    env = {"DATABASE_URL": f"sqlite:///{work}", "SECRET_KEY": SECRET, **BROADSHEET_ENV}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    return start_gunicorn(name, gunicorn, "app:create_app()", env, ROOT), stories


def scenarios_for(servers: dict, stories: dict, *, with_isso: bool) -> list[Scenario]:
    main_read, main_post = load.bench_stories(stories["main"])
    article = f"/{load.CATEGORY}/{main_read}"
    search = f"/search?q={load.SEARCH_WORD}"
    main = servers["main"]
    rows = [
        Scenario("article", "main", article),
        Scenario("fragment", "main", f"{article}/comments", env={"BENCH_HX": "1"}),
        Scenario(
            "post",
            "main",
            "/",
            script="post.lua",
            prepare=lambda: post_form_env(main, f"/{load.CATEGORY}/{main_post}"),
        ),
        Scenario(
            "commenter",
            "main",
            article,
            prepare=lambda: commenter_env(main, f"/{load.CATEGORY}/{main_post}"),
        ),
        Scenario("front", "main", "/"),
        Scenario("category", "main", f"/{load.CATEGORY}/"),
        Scenario("deep", "main", f"/{load.CATEGORY}/?page={stories['main'] // 20}"),
        Scenario("search", "main", search),
        Scenario("bare", "bare", "/"),
    ]
    if "nginx" in servers:
        rows += [
            Scenario("nginx_article", "nginx", article),
            Scenario("nginx_static", "nginx", "/static/story.html"),
        ]
    if "check" in servers:
        small_read, _ = load.bench_stories(stories["check"])
        rows += [
            Scenario("article@1k", "check", f"/{load.CATEGORY}/{small_read}"),
            Scenario("front@1k", "check", "/"),
            Scenario("category@1k", "check", f"/{load.CATEGORY}/"),
            Scenario("deep@1k", "check", f"/{load.CATEGORY}/?page={stories['check'] // 20}"),
            Scenario("search@1k", "check", search),
        ]
    if with_isso:
        rows += [
            Scenario("isso_get", "isso", "/?uri=%2Fthread-1"),
            Scenario(
                "isso_post",
                "isso",
                "/",
                script="isso_post.lua",
                env={"BENCH_POST_PATH": "/new?uri=%2Fthread-2"},
            ),
        ]
    return rows


def measure(args) -> tuple[list[Result], dict, dict]:
    OUT.mkdir(parents=True, exist_ok=True)
    timings: dict[str, float] = {"load_before": os.getloadavg()[0]}
    started = time.monotonic()
    isso = isso_gunicorn(args.smoke) if not args.no_isso else None
    servers: dict[str, Server] = {}
    stories: dict[str, int] = {}
    try:
        t = time.monotonic()
        servers["main"], stories["main"] = serve_broadsheet("broadsheet", args.scale)
        timings["build_and_start_main"] = time.monotonic() - t
        if args.scale != SCALE_CHECK and not args.no_scale_check:
            servers["check"], stories["check"] = serve_broadsheet("broadsheet-1k", SCALE_CHECK)
        servers["bare"] = start_gunicorn(
            "bare-flask", Path(sys.executable).with_name("gunicorn"), "bare_flask:app", {}, BENCH
        )
        if isso:
            servers["isso"] = start_isso(isso)
        if NGINX.exists():
            main_read, _ = load.bench_stories(stories["main"])
            servers["nginx"] = start_nginx(servers["main"], f"/{load.CATEGORY}/{main_read}")
        scenarios = scenarios_for(servers, stories, with_isso=isso is not None)
        for scenario in scenarios:
            if scenario.script == "get.lua":
                headers = {"HX-Request": "true"} if scenario.env.get("BENCH_HX") else {}
                for _ in range(3):
                    fetch(servers[scenario.server].base + scenario.path, headers=headers)
        results = []
        for round_ in range(1, args.rounds + 1):
            for scenario in scenarios:
                if args.only and not re.search(args.only, scenario.name):
                    continue
                server = servers[scenario.server]
                cpu_before = server.cpu_seconds()
                raw = run_wrk(
                    server.base + scenario.path, scenario, args.duration, args.connections
                )
                cpu = server.cpu_seconds() - cpu_before
                errors = raw["non2xx"] + sum(
                    raw[k] for k in ("connect", "read", "write", "timeout")
                )
                results.append(
                    Result(
                        scenario.name,
                        round_,
                        raw["requests"] / (raw["duration_us"] / 1e6),
                        raw["p50_us"] / 1000,
                        raw["p99_us"] / 1000,
                        errors,
                        server.worker_rss_mib(),
                        1000 * cpu / max(raw["requests"], 1),
                    )
                )
                row = results[-1]
                print(
                    f"  {row.scenario:<12} round {round_}: {row.rps:8.1f} req/s "
                    f"p50 {row.p50_ms:7.2f} ms  errors {row.errors}",
                    file=sys.stderr,
                )
        rss_after = {name: server.worker_rss_mib() for name, server in servers.items()}
    finally:
        for server in servers.values():
            server.stop()
    timings["total"] = time.monotonic() - started
    timings["load_after"] = os.getloadavg()[0]
    return results, rss_after, timings


def mean_rps(results: list[Result], name: str) -> float | None:
    values = [r.rps for r in results if r.scenario == name]
    return sum(values) / len(values) if values else None


def ratios(
    results: list[Result], rss_after: dict, scale: str
) -> list[tuple[str, float, str, bool]]:
    """(what, measured, target, met) for each target the issue names that this run measured."""
    rows = []

    def add(label, value, target_text, met):
        if value is not None:
            rows.append((label, value, target_text, met))

    def ratio(a, b):
        x, y = mean_rps(results, a), mean_rps(results, b)
        return x / y if x and y else None

    r = ratio("fragment", "isso_get")
    add("comment-list fragment / Isso thread GET", r, "≥ 20×",
        r is not None and r >= TARGETS["fragment_vs_isso_get"])  # fmt: skip
    r = ratio("post", "isso_post")
    add("comment POST / Isso POST", r, "≥ 2×",
        r is not None and r >= TARGETS["post_vs_isso_post"])  # fmt: skip
    r = ratio("article", "bare")
    add("article page (50 comments) / bare Flask", r, "≥ 0.25",
        r is not None and r >= TARGETS["article_vs_bare"])  # fmt: skip
    r = ratio("commenter", "bare")
    add("article page for a commenter / bare Flask", r, "≥ 0.05",
        r is not None and r >= TARGETS["commenter_vs_bare"])  # fmt: skip
    r = ratio("nginx_article", "nginx_static")
    add("article through nginx / the same bytes as a static file", r, "≥ 0.8",
        r is not None and r >= TARGETS["nginx_article_vs_static"])  # fmt: skip
    for name in ("front", "category", "deep", "search", "article"):
        r = ratio(f"{name}@1k", name)
        add(f"{name}: req/s at 1k / at {scale} (slowdown)", r, "≤ 1.2×",
            r is not None and r <= TARGETS["scale_slowdown"])  # fmt: skip
    rss = rss_after.get("main")
    add("Broadsheet worker RSS after the run (MiB)", rss, "≤ 64",
        rss is not None and rss <= TARGETS["rss_mib"])  # fmt: skip
    return rows


def table(results: list[Result]) -> str:
    lines = [
        "| scenario | round | req/s | CPU ms/req | p50 ms | p99 ms | errors | worker RSS MiB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r.scenario} | {r.round} | {r.rps:.1f} | {r.cpu_ms:.2f} | {r.p50_ms:.2f} "
            f"| {r.p99_ms:.2f} | {r.errors} | {r.rss_mib:.1f} |"
        )
    return "\n".join(lines)


def ratio_table(rows) -> str:
    lines = ["| ratio | measured | target | met |", "| --- | ---: | --- | --- |"]
    for label, value, target, met in rows:
        shown = f"{value:.3f}" if value < 1 else f"{value:.2f}"
        lines.append(f"| {label} | {shown} | {target} | {'yes' if met else 'NO'} |")
    return "\n".join(lines)


def _version(argv: list[str]) -> str:
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=10)
    except OSError:
        return "?"
    return (out.stdout or out.stderr).strip().splitlines()[0] if (out.stdout or out.stderr) else "?"


def machine() -> str:
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())
    from importlib.metadata import version

    isso_version = "?"
    show = subprocess.run(
        [str(OUT / "isso-venv" / "bin" / "python"), "-c",
         "import importlib.metadata as m; print(m.version('isso'))"],
        capture_output=True, text=True,
    ) if (OUT / "isso-venv" / "bin" / "python").exists() else None  # fmt: skip
    if show and show.returncode == 0:
        isso_version = show.stdout.strip()
    return "\n".join(
        [
            f"- CPU: {cpu}, nproc {os.cpu_count()}",
            f"- memory: {int(mem.group(1)) // 1024 if mem else '?'} MiB",
            f"- OS: {platform.platform()}",
            f"- Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
            f"Flask {version('flask')}, SQLAlchemy {version('sqlalchemy')}, "
            f"gunicorn {version('gunicorn')} (2 sync workers), Isso {isso_version}",
            f"- load generator: {_version(['wrk', '-v'])}",
        ]
    )


def report(args, results, rss_after, timings) -> str:
    command = "make bench" if args.scale == "10k" else f"SCALE={args.scale} make bench"
    rows = ratios(results, rss_after, args.scale)
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    return "\n\n".join(
        [
            f"### Scale {args.scale} (`{command}`, {stamp})",
            machine(),
            f"{args.duration} s per scenario, {args.rounds} rounds alternating, "
            f"wrk -t1 -c{args.connections}; run took {timings['total']:.0f} s "
            f"(building or reusing the database and starting the server: "
            f"{timings.get('build_and_start_main', 0):.0f} s). Load average (1 min) "
            f"{timings['load_before']:.1f} before, {timings['load_after']:.1f} after: on a "
            "shared machine the ratios, measured side by side, mean more than the req/s.",
            table(results),
            ratio_table(rows),
            "Worker RSS after the run (MiB, largest worker): "
            + ", ".join(f"{name} {mib:.1f}" for name, mib in rss_after.items()),
        ]
    )


def write_doc(scale: str, text: str) -> None:
    begin, end = f"<!-- bench:{scale}:begin -->", f"<!-- bench:{scale}:end -->"
    block = f"{begin}\n{text}\n{end}"
    doc = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    if begin in doc and end in doc:
        doc = re.sub(re.escape(begin) + ".*?" + re.escape(end), lambda _m: block, doc, flags=re.S)
    else:
        doc = doc.rstrip() + "\n\n" + block + "\n"
    DOC.write_text(doc)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default=os.environ.get("SCALE") or "10k", choices=load.SCALES)
    parser.add_argument("--duration", type=int, default=5, help="seconds per scenario")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--no-isso", action="store_true")
    parser.add_argument("--no-scale-check", action="store_true")
    parser.add_argument("--only", help="regex: run only the scenarios it matches")
    parser.add_argument("--smoke", action="store_true", help="tiny, 1 s, one round, no Isso")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--no-doc", action="store_true")
    args = parser.parse_args(argv)
    if args.smoke:
        args.scale, args.duration, args.rounds = "tiny", 1, 1
        args.no_isso = args.no_doc = args.no_scale_check = True
    if shutil.which("wrk") is None:
        print("wrk is not installed (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    results, rss_after, timings = measure(args)
    text = report(args, results, rss_after, timings)
    print(text)
    if args.json:
        args.json.write_text(
            json.dumps({"results": [r.__dict__ for r in results], "rss_after": rss_after})
        )
    if not args.no_doc:
        write_doc(args.scale, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
