"""A real scan printed into a slow pipe under PYTHONUNBUFFERED=1 arrives whole (issue 12)."""

from __future__ import annotations

import json

import pytest

from .pipes import slow_read

pytestmark = pytest.mark.lab


def test_scan_json_after_a_closed_uvloop_reaches_a_slow_reader(knot_lab):
    """The case of the issue: a real scan (uvloop closed in the process), PYTHONUNBUFFERED=1, slow reader."""
    lab = knot_lab()
    lab.add_zone("lab.", "")
    names = []
    for i in range(30):
        lab.add_zone(f"d{i}.lab.", '@ MX 10 mx\nmx A 192.0.2.1\n@ TXT "v=spf1 mx -all"\n'
                                   '_dmarc TXT "v=DMARC1; p=reject"\n')
        names.append(f"d{i}.lab")
    lab.start()
    args = ["scan", *names, "--checks", "dns,mail", "--nameserver", lab.nameserver, "--timeout", "1",
            "--format", "json"]
    for _ in range(3):  # the loss depended on timing: three tries all have to be whole
        code, got, err = slow_read(args, nonblocking=False, delay=2.0)
        assert code == 0, err
        doc = json.loads(got)
        assert sorted(r["target"] for r in doc["results"]) == sorted(names)


@pytest.mark.parametrize("fmt", ["csv", "junit"])
def test_scan_csv_and_junit_reach_a_slow_reader_whole(knot_lab, fmt):
    """Both streamed formats, written a target at a time into a 4 KiB non-blocking pipe read late."""
    import re

    from .pipes import full_output

    lab = knot_lab()
    lab.add_zone("lab.", "")
    names = []
    for i in range(30):
        lab.add_zone(f"d{i}.lab.", '@ MX 10 mx\nmx A 192.0.2.1\n@ TXT "v=spf1 ~all"\n')
        names.append(f"d{i}.lab")
    lab.start()
    args = ["scan", *names, "--checks", "dns,mail", "--nameserver", lab.nameserver, "--timeout", "1",
            "--format", fmt, "--all"]
    expected = full_output(args)
    assert len(expected) > 4096 * 4  # many times what the pipe holds
    code, got, err = slow_read(args, nonblocking=True, delay=1.5)
    assert code == 0, err

    def stable(data: bytes) -> bytes:  # the JUnit timestamp is the scan's start, to the second
        return re.sub(rb'timestamp="[^"]+"', b"", data)

    assert len(stable(got)) == len(stable(expected)) and stable(got) == stable(expected), (len(got), len(expected))
    text = got.decode("utf-8")
    assert all(name in text for name in names)
    assert text.endswith("</testsuites>\n" if fmt == "junit" else "\r\n")
