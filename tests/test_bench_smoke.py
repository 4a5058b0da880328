"""The benchmark in miniature, so `make bench` cannot rot: every scenario runs and answers 2xx.

No timing is asserted here; speed is measured by `make bench` alone.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .support.nginx import NGINX

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = {"article", "fragment", "post", "commenter", "front", "category", "deep", "search"}
SCENARIOS |= {"bare"} | ({"nginx_article", "nginx_static"} if NGINX.exists() else set())

pytestmark = pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")


def test_bench_smoke_runs_every_scenario_without_errors(tmp_path):
    out = tmp_path / "bench.json"
    run = subprocess.run(
        [sys.executable, "bench/run.py", "--smoke", "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    results = json.loads(out.read_text())["results"]
    assert {r["scenario"] for r in results} == SCENARIOS
    for row in results:
        assert row["errors"] == 0, row
        assert row["rps"] > 0, row
        assert row["rss_mib"] > 0, row
    # The printed table has one row per scenario.
    for name in SCENARIOS:
        assert f"| {name} | 1 |" in run.stdout
