"""The report's breach-and-request section in headless Chromium: laid out, no console error, no request,
and whatever sits in the assessment's records summary stays text."""

from __future__ import annotations

import pytest

from tests.lab.test_report_browser import KW, chromium
from tests.unit.test_report_samples import assessment

pytestmark = pytest.mark.lab


def test_records_section_in_the_browser(tmp_path):
    from cyberaudit.report import render

    a = assessment()
    item = {"kind": "request", "id": "D-2026-001<script>alert(1)</script>", "state": "overdue", "bill": False,
            "what": {"fr": "Réponse à la demande (1 mois, art. 12(3))", "en": "Answer"}, "due": "2026-10-01T23:59:59+02:00"}
    nis2 = {"kind": "breach", "id": "V-2026-002", "state": "due", "bill": True,
            "what": {"fr": "NIS 2 : alerte précoce à l'ANSSI (24 h)", "en": "NIS2"}, "due": "2026-11-21T09:00:00+01:00"}
    a.meta["records"] = {"available": True, "breach_log": True, "breaches": {"total": 2, "open": 1, "notified": 1},
                         "requests": {"total": 3, "open": 1, "late": 1}, "overdue": [item], "due": [nis2]}
    page = tmp_path / "rapport.html"
    page.write_bytes(render(a, "html", "fr", **KW))
    result = chromium(page, tmp_path, "--dump-dom")
    assert result["console"] == [] and result["requests"] == []
    dom = result["stdout"]
    section = dom.split('id="records"', 1)[1].split('<section id="regulatory"', 1)[0]
    assert "2 violation(s) consignée(s), dont 1 non close(s) et 1 notifiée(s) à la CNIL." in section
    assert "<caption>En retard</caption>" in section and "<caption>À faire</caption>" in section
    assert "2026-10-01" in section and "2026-11-21 09:00" in section and "au titre du projet de loi" in section
    assert "<script>" not in section and "D-2026-001&lt;script&gt;" in section
