"""On a Spanish site every line `flask import` and `flask export` print is in Spanish:
summaries, reasons, progress labels and errors alike."""

from __future__ import annotations

import json

import pytest

from tests.support.imports import FIXTURES


@pytest.fixture
def app_config(app_config):
    app_config["SITE_LANGUAGE"] = "es"
    return app_config


def test_a_wordpress_import_reports_in_spanish(runner):
    result = runner.invoke(args=["import", "wordpress", str(FIXTURES / "wordpress.xml")])
    assert result.exit_code == 0, result.output
    assert "Leyendo " in result.output
    assert "Noticias: 5 creados, 0 actualizados, 0 sin cambios, 1 omitidos" in result.output
    assert "Omitidos:" in result.output and "no se indicó la carpeta --uploads" in result.output
    assert "Stories" not in result.output and "Skipped" not in result.output


def test_story_files_report_in_spanish(runner, tmp_path, make_category):
    make_category("Local")
    path = tmp_path / "s.json"
    path.write_text(json.dumps([{"headline": "Ferry", "category": "Local"}, {"headline": ""}]))
    result = runner.invoke(args=["import", str(path)])
    assert "Importando noticias" in result.output
    assert "Noticias: 1 creados, 0 actualizados, 0 sin cambios, 1 omitidos" in result.output
    assert "1 × Noticias: sin titular (s.json#2)" in result.output


def test_export_and_its_import_report_in_spanish(runner, tmp_path):
    archive = tmp_path / "site.zip"
    exported = runner.invoke(args=["export", str(archive)])
    assert exported.output.startswith("Se exportaron ")
    imported = runner.invoke(args=["import", "broadsheet", str(archive)])
    assert "No cambió nada." in imported.output


def test_an_import_that_fails_says_so_in_spanish(runner, tmp_path):
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"not a zip")
    result = runner.invoke(args=["import", "broadsheet", str(broken)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and "no es una exportación de Broadsheet" in (
        result.output
    )
