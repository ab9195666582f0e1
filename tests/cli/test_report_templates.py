"""A territory restyles the report with its own templates folder, without touching the package."""

from __future__ import annotations

import pytest


@pytest.fixture
def demo_ws(tmp_path):
    from cyberaudit.demo import write_demo_workspace

    return write_demo_workspace(tmp_path / "ws")


def test_css_override_alone_restyles_the_html(demo_ws, tmp_path, run_cli):
    folder = tmp_path / "charte"
    folder.mkdir()
    (folder / "report.css").write_text("body { color: #123456; } /* charte du Pays */\n")
    code, _, err = run_cli("report", "--workspace", demo_ws, "--format", "html", "--templates", folder,
                           "--output", tmp_path / "out")
    assert code == 0, err
    html = next(p for p in (tmp_path / "out").glob("*.html") if not p.stem.endswith("-elus")).read_text()
    assert "#123456" in html and "charte du Pays" in html
    assert "<h1" in html  # the shipped HTML template is still used


def test_markdown_template_override(demo_ws, tmp_path, run_cli):
    folder = tmp_path / "charte"
    folder.mkdir()
    (folder / "report.md.j2").write_text("# Rapport du Pays\n\nNote : {{ r.summary.grade }}\n")
    code, _, err = run_cli("report", "--workspace", demo_ws, "--format", "md", "--templates", folder,
                           "--output", tmp_path / "out")
    assert code == 0, err
    text = next(p for p in (tmp_path / "out").glob("*.md") if not p.stem.endswith("-elus")).read_text()
    assert text.startswith("# Rapport du Pays") and "Note : " in text
    elected = next((tmp_path / "out").glob("*-elus.md")).read_text()
    assert not elected.startswith("# Rapport du Pays")  # the elected officials' template was not overridden


def test_broken_template_is_an_input_error_with_its_line(demo_ws, tmp_path, run_cli):
    folder = tmp_path / "charte"
    folder.mkdir()
    (folder / "report.html.j2").write_text("<p>ok</p>\n{% if r.summary %}\n<p>jamais fermé</p>\n")
    code, _, err = run_cli("report", "--workspace", demo_ws, "--templates", folder, "--output", tmp_path / "out")
    assert code == 2
    assert "report.html.j2:" in " ".join(err.split())
    assert not (tmp_path / "out").exists()


def test_missing_templates_folder(demo_ws, tmp_path, run_cli):
    code, _, err = run_cli("report", "--workspace", demo_ws, "--templates", tmp_path / "absent")
    assert code == 2 and "absent" in err
