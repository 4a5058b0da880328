"""Static URLs change when their file does, so a year-long browser cache is safe."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from flask import url_for


def test_pages_link_static_files_with_a_content_hash(client):
    html = client.get("/").get_data(as_text=True)
    css = Path(client.application.static_folder, "css/site.css").read_bytes()
    assert f"/static/css/site.css?v={hashlib.sha256(css).hexdigest()[:12]}" in html
    assert "/static/js/htmx-4.0.1.min.js?v=" in html


def test_a_changed_file_gets_a_new_url(app, tmp_path):
    shutil.copytree(app.static_folder, tmp_path / "static")
    app.static_folder = str(tmp_path / "static")
    with app.test_request_context():
        before = url_for("static", filename="css/site.css")
        with open(tmp_path / "static/css/site.css", "a") as css:
            css.write("\n/* changed */\n")
        after = url_for("static", filename="css/site.css")
    assert before != after and after.startswith("/static/css/site.css?v=")


def test_versioned_static_file_is_still_served(client):
    url = client.get("/").get_data(as_text=True).split('href="/static/css/site.css')[1]
    response = client.get("/static/css/site.css" + url.split('"')[0])
    assert response.status_code == 200 and response.mimetype == "text/css"
    response.close()
