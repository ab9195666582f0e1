"""Scan and assessment files carry check metadata once, in a catalogue; v1 files still open."""

from __future__ import annotations

import json

from cyberaudit.disk.fileio import dumps_json
from cyberaudit.disk.scan_json import json_chunks
from cyberaudit.model import Finding, ScanResult, TargetResult, Text


def _finding(cid: str, target: str, status: str = "fail", title: str = "Titre") -> Finding:
    return Finding(id=cid, status=status, severity="high", title=Text(fr=title, en="Title"),
                   explanation=Text(fr="Pourquoi " * 20, en="Why " * 20), remediation=Text(fr="Faire", en="Do"),
                   references=["rfc:7208"], theme="mail", target=target, evidence={"record": target})


def _scan(n: int = 3) -> ScanResult:
    return ScanResult(tool_version="t", checks=["mail"], results=[
        TargetResult(target=f"d{i}.example", findings=[_finding("mail.spf.policy", f"d{i}.example"),
                                                       _finding("mail.dmarc.policy", f"d{i}.example", "pass")])
        for i in range(n)])


def test_metadata_appears_once_per_document():
    text = dumps_json(_scan(5))
    doc = json.loads(text)
    assert doc["schema"] == "cyberaudit/scan/v2"
    assert set(doc["catalogue"]) == {"mail.spf.policy", "mail.dmarc.policy"}
    assert text.count("Pourquoi") == 2 * 20  # once per check, not once per finding
    assert all("title" not in f and f["evidence"] for r in doc["results"] for f in r["findings"])


def test_round_trip_gives_back_complete_findings():
    scan = _scan()
    back = ScanResult.model_validate(json.loads(dumps_json(scan)))
    assert back.findings() == scan.findings()


def test_a_finding_whose_metadata_differs_keeps_it_inline():
    scan = _scan(2)
    scan.results[1].findings[0] = _finding("mail.spf.policy", "d1.example", title="Autre titre")
    doc = json.loads(dumps_json(scan))
    inline = doc["results"][1]["findings"][0]
    assert inline["title"]["fr"] == "Autre titre"
    assert ScanResult.model_validate(doc).findings() == scan.findings()


def test_streamed_text_equals_the_file_text():
    scan = _scan(4)
    assert "".join(json_chunks(scan)) == dumps_json(scan)


def test_version_1_files_still_open():
    scan = _scan(2)
    v1 = scan.model_dump(mode="python", by_alias=True, exclude_none=True)  # complete findings, as v1 wrote
    v1 = json.loads(json.dumps(v1, default=str))
    v1["schema"] = "cyberaudit/scan/v1"
    back = ScanResult.model_validate(v1)
    assert back.findings() == scan.findings()
    assert json.loads(dumps_json(back))["schema"] == "cyberaudit/scan/v2"  # rewritten in the new form
