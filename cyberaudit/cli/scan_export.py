"""`scan --format csv` and `--format junit`: the text, one target at a time (streamed). Layout only: the
rows and test cases come from `scanview.tabular`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from xml.sax.saxutils import escape, quoteattr

from ..disk.csv_text import csv_chunks
from ..model import ScanResult
from ..sanitize import strip_control
from ..scanview.tabular import csv_headers, csv_row, junit_suite
from ..scanview.triage import View

# Characters XML 1.0 cannot hold, even escaped (after control sequences are stripped).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def csv_text_chunks(view: View) -> Iterator[str]:
    rows = (csv_row(tv.target, row) for tv, found in view.details() for row in found)
    return csv_chunks(csv_headers(), rows)


def _x(value: object, *, keep_newlines: bool = False) -> str:
    return _NOT_XML.sub("", strip_control(str(value), keep_newlines=keep_newlines))


def _attr(value: object) -> str:
    return quoteattr(_x(value))


def junit_chunks(view: View, result: ScanResult) -> Iterator[str]:
    """A JUnit XML document (Ant/Jenkins schema): <testsuites>, one <testsuite> per target."""
    import socket

    stamp = (result.started_at.replace(tzinfo=None).isoformat(timespec="seconds") if result.started_at
             else "1970-01-01T00:00:00")
    hostname = _x(socket.gethostname()) or "localhost"
    yield '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n'
    for i, tv in enumerate(view.targets):
        suite = junit_suite(tv)
        out = [f"  <testsuite name={_attr(suite.name)} package=\"cyberaudit\" id=\"{i}\" timestamp=\"{stamp}\" "
               f"hostname={_attr(hostname)} tests=\"{len(suite.cases)}\" failures=\"{suite.failures}\" "
               f"errors=\"{suite.errors}\" skipped=\"0\" time=\"0\">",
               "    <properties>",
               f"      <property name=\"tool_version\" value={_attr(result.tool_version)}/>",
               f"      <property name=\"checks\" value={_attr(','.join(result.checks))}/>",
               "    </properties>"]
        for c in suite.cases:
            head = f"    <testcase classname={_attr(c.classname)} name={_attr(c.name)} time=\"0\""
            if c.outcome is None:
                out.append(head + "/>")
                continue
            out += [head + ">", f"      <{c.outcome} type={_attr(c.type)} message={_attr(c.message)}>"
                    f"{escape(_x(c.text, keep_newlines=True))}</{c.outcome}>", "    </testcase>"]
        out += [f"    <system-out>{escape(_x(chr(10).join(suite.warnings), keep_newlines=True))}</system-out>",
                "    <system-err></system-err>", "  </testsuite>"]
        yield "\n".join(out) + "\n"
    yield "</testsuites>\n"
