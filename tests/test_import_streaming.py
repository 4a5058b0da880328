"""Imports stream: memory stays flat however large the file (the issue's 100 MB WXR).

A generated export of about 9 MB (long stories, a thousand comments) is imported while
the process's resident memory is sampled at every read the parser makes. Its growth must
stay under a fixed bound smaller than the file itself: an importer that built the whole
document tree first (xml.etree.ElementTree.parse) could not pass, since the tree alone is
larger than the file. The bound does not depend on the file: a file twice the size grows
memory by the same few megabytes (about 6 MB on the developer machine, for 8 and 16 MB).
"""

from __future__ import annotations

import os

import pytest
from sqlalchemy import func, select

import importers.common
from extensions import db
from models import Article, Comment
from tests.support.imports import FIXTURES, STATM, resident_bytes, write_large_wxr

GROWTH_BOUND = 8 * 1024 * 1024


@pytest.mark.skipif(not os.path.exists(STATM), reason="needs Linux /proc to read memory use")
def test_a_large_export_imports_in_bounded_memory(runner, tmp_path, monkeypatch):
    export = write_large_wxr(tmp_path / "large.xml", posts=48, comments_per_post=21, body_kb=180)
    assert export.stat().st_size > GROWTH_BOUND
    # Warm up: the first import loads modules and fills caches once per process.
    runner.invoke(args=["import", "wordpress", str(FIXTURES / "wordpress-latin1.xml")])

    peak = 0
    read = importers.common.ProgressReader.read

    def sampling_read(self, size=-1):
        nonlocal peak
        peak = max(peak, resident_bytes())
        return read(self, size)

    monkeypatch.setattr(importers.common.ProgressReader, "read", sampling_read)
    before = resident_bytes()
    result = runner.invoke(args=["import", "wordpress", str(export)])
    peak = max(peak, resident_bytes())

    assert result.exit_code == 0, result.output
    assert "Stories: 48 created" in result.output
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 1 + 48 * 21
    assert db.session.scalar(select(func.count()).select_from(Article)) == 49
    assert peak - before < GROWTH_BOUND, f"grew {(peak - before) / 2**20:.1f} MiB"
