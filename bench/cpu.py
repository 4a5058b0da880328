"""CPU milliseconds per request, in-process: steadier than req/s on a shared machine.

    .venv/bin/python bench/cpu.py 10k /news/story-10000 'hx:/news/story-10000/comments'

Runs the app's test client on a copy of a bench database (built by bench/load.py) and
prints, per path, the least CPU time (time.process_time) one request took over --runs
tries after three warm-ups, then the process's RSS. A path written "hx:/..." is sent as an
htmx fragment request. docs/benchmarks.md's per-fix table was measured this way.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import load  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scale", choices=load.SCALES)
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--runs", type=int, default=25)
    args = parser.parse_args()

    work = load.OUT / f"cpu-{args.scale}.db"
    shutil.copyfile(load.build(args.scale), work)
    load.refresh(work, load.SCALES[args.scale][0])
    os.environ.update(DATABASE_URL=f"sqlite:///{work}", SECRET_KEY="bench-cpu")
    sys.path.insert(0, str(ROOT))
    from app import create_app

    client = create_app().test_client()
    result: dict[str, float] = {}
    for raw in args.paths:
        fragment = raw.startswith("hx:")
        path = raw.removeprefix("hx:")
        headers = {"HX-Request": "true"} if fragment else {}
        for _ in range(3):
            status = client.get(path, headers=headers).status_code
            if status != 200:
                print(f"{path} answered {status}", file=sys.stderr)
                return 1
        best = float("inf")
        for _ in range(args.runs):
            started = time.process_time()
            client.get(path, headers=headers)
            best = min(best, time.process_time() - started)
        result[raw] = round(best * 1000, 2)
    status = Path("/proc/self/status").read_text()
    result["rss_mib"] = int(status.split("VmRSS:")[1].split()[0]) // 1024
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
