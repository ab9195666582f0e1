"""The streamed JSON of `cyberaudit scan` is byte-identical to fileio.dumps_json."""

from __future__ import annotations

import datetime as dt

import pytest

from cyberaudit.checks.mail import SPF_POLICY
from cyberaudit.disk.fileio import dumps_json
from cyberaudit.disk.scan_json import json_chunks
from cyberaudit.model import ScanResult, TargetResult


def _result(n: int) -> ScanResult:
    results = []
    for i in range(n):
        f = SPF_POLICY.finding("fail", target=f"d{i}.fr", evidence={
            "records": ["v=spf1 \x1b[31m<b>é</b>\ufffd -all"], "nested": {"z": [1, {"a": None}], "b": "x\ny"}})
        results.append(TargetResult(target=f"d{i}.fr", findings=[f]))
    return ScanResult(tool_version="0", started_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), checks=["mail"],
                      options={"nameserver": None}, results=results)


@pytest.mark.parametrize("n", [0, 1, 3])
def test_stream_equals_dumps_json(n):
    result = _result(n)
    assert "".join(json_chunks(result)) == dumps_json(result)
