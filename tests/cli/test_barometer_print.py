"""The barometer on paper: PDF (WeasyPrint) and the HTML's print layout (Chromium) hold 24 months on A4.

Checked as a reader would: pdftotext says which page each month's row is on, pdftoppm renders
the pages (the PNGs are kept next to the PDF for a look).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import subprocess

import pytest

from cyberaudit.territory import synthetic
from tests.lab.util import require_binary

MONTHS = 24


def _git(root, *args, date=None):
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org"}
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


@pytest.fixture(scope="module")
def territory(tmp_path_factory):
    """Two years of monthly commits; a few members re-assessed each month."""
    root = tmp_path_factory.mktemp("print") / "t"
    root.mkdir()
    _git(root, "init", "-q")
    start = dt.date(2024, 7, 10)
    specs = synthetic.build(root, 30, seed=4, today=start)
    rng = random.Random(5)
    for k in range(MONTHS):
        day = dt.date(start.year + (start.month - 1 + k) // 12, (start.month - 1 + k) % 12 + 1, 10)
        if k:
            for i in rng.sample(range(len(specs)), 4):
                fresh = synthetic.member_spec(i, rng, day)
                specs[i] = dict(fresh, siren=specs[i]["siren"], name=specs[i]["name"], kind=specs[i]["kind"],
                                assessed=day)
                synthetic.write_member(root, specs[i])
        _git(root, "add", "-A")
        _git(root, "commit", "-q", "-m", f"mois {k}", date=f"{day.isoformat()}T10:00:00+00:00")
    return root, day


def _pages(pdf) -> list[str]:
    out = subprocess.run([require_binary("pdftotext", package="poppler-utils"), "-layout", str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    return out.split("\f")


def _trend_page(pages: list[str], months: list[str]) -> int:
    """The one page holding every month's row of the trend table (fails when the table is split or cut)."""
    holding = [i for i, text in enumerate(pages) if all(re.search(rf"^\s*{m}\s+\d+\s+\d+", text, re.M) for m in months)]
    assert holding, "no page holds the 24 rows of the trend table"
    return holding[0]


def test_pdf_barometer_holds_24_months(territory, tmp_path, run_cli):
    from cyberaudit.report import pdf as pdfmod

    if not pdfmod.available():
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but WeasyPrint is not usable")
        pytest.skip("WeasyPrint not usable")
    root, last = territory
    out = tmp_path / "barometre.pdf"
    code, _, err = run_cli("aggregate", root, "--format", "pdf", "-o", out, "--as-of", last.isoformat())
    assert code == 0, err
    assert out.read_bytes().startswith(b"%PDF")
    pages = _pages(out)
    months = sorted({f"{y}-{m:02d}" for y, m in ((2024 + (6 + k) // 12, (6 + k) % 12 + 1) for k in range(MONTHS))})
    page = _trend_page(pages, months)
    assert "Ce qui a changé depuis le mois précédent" in "".join(pages)
    assert "Par type de membre" in "".join(pages)
    # each row says how many members that month had, and the A4 page is not wider than the table
    ppm = require_binary("pdftoppm", package="poppler-utils")
    subprocess.run([ppm, "-png", "-r", "60", "-f", str(page + 1), "-l", str(page + 1), str(out), str(tmp_path / "p")],
                   check=True)
    (png,) = tmp_path.glob("p*.png")
    from PIL import Image

    with Image.open(png) as im:
        w, h = im.size
    assert abs(w / h - 210 / 297) < 0.01  # A4 portrait


def test_html_print_layout_holds_24_months(territory, tmp_path, run_cli):
    chromium = require_binary("chromium", "chromium-browser", package="chromium")
    root, last = territory
    code, _, err = run_cli("aggregate", root, "--format", "html", "-o", tmp_path / "b.html", "--as-of", last.isoformat())
    assert code == 0, err
    pdf = tmp_path / "print.pdf"
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--user-data-dir={tmp_path / 'profile'}", f"--print-to-pdf={pdf}", (tmp_path / "b.html").as_uri()],
                   capture_output=True, timeout=120, check=True)
    months = [f"{2024 + (6 + k) // 12}-{(6 + k) % 12 + 1:02d}" for k in range(MONTHS)]
    _trend_page(_pages(pdf), months)
