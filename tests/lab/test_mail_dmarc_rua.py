"""DMARC rua holding no valid URI (HTML, javascript:) is not "reporting configured" (real knot)."""

from __future__ import annotations


def test_rua_without_any_valid_uri_is_not_reporting(knot_lab, lab_scan):
    lab = knot_lab()
    lab.add_zone("lab.", "")
    lab.add_zone("html.lab.", '_dmarc TXT "v=DMARC1; p=reject; rua=<a href=\\"x\\">rapports</a>"\n')
    lab.add_zone("js.lab.", '_dmarc TXT "v=DMARC1; p=reject; rua=javascript:alert(1)"\n')
    lab.add_zone("mixte.lab.", '_dmarc TXT "v=DMARC1; p=reject; rua=javascript:x,mailto:d@mixte.lab"\n')
    lab.start()
    res = lab_scan(lab, "html.lab", "js.lab", "mixte.lab", families=("mail",))
    for domain in ("html.lab", "js.lab"):
        rep = res[domain]["mail.dmarc.reporting"]
        assert rep.status.value == "warn", rep.evidence
        assert rep.evidence["rua"] == [] and rep.evidence["rua_invalid"]
        assert "no valid URI" in rep.detail.en
    mixte = res["mixte.lab"]["mail.dmarc.reporting"]
    assert mixte.status.value == "pass" and mixte.evidence["rua"] == ["mailto:d@mixte.lab"]
    assert mixte.evidence["rua_invalid"] == ["javascript:x"]
