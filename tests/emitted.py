"""pytest plugin: a probe check that is registered but never emitted by a probe run fails the suite.

Every finding built through `CheckInfo.finding` while a frame of `cyberaudit/probes/` is on the stack
(a real probe run, in this process, a forked scan worker or an xdist worker) is recorded in a
shared folder. When the whole suite ran and passed, the controller compares the records with the
registry: a check the probes never produce (its call removed, a typo in a family's wiring) is a
failure. Checks only judged in unit tests, or only built by the demo's recorded scan, do not count.
Checks made from one function and data rows (`template`: the ports table, `<family>.probe.error`) are
covered when the probes emit one of their rows: the function is what a probe calls.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ENV = "CYBERAUDIT_EMITTED_DIR"
_seen: set[str] = set()


def _record(cid: str) -> None:
    folder = os.environ.get(ENV)
    if not folder or cid in _seen:
        return
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_filename.replace("\\", "/")
        if "/cyberaudit/probes/" in name:
            break
        frame = frame.f_back
    else:
        return
    _seen.add(cid)
    with open(Path(folder) / f"{os.getpid()}.txt", "a", encoding="utf-8") as fh:
        fh.write(cid + "\n")


def pytest_configure(config):
    if not hasattr(config, "workerinput") and ENV not in os.environ:
        os.environ[ENV] = tempfile.mkdtemp(prefix="cyberaudit-emitted-")
    from cyberaudit.checks import CheckInfo

    original = CheckInfo.finding
    if getattr(original, "_records", False):
        return

    def finding(self, status, **kwargs):
        _record(self.id)
        return original(self, status, **kwargs)

    finding._records = True
    CheckInfo.finding = finding


def _whole_suite(config) -> bool:
    opt = config.option
    if getattr(opt, "keyword", "") or getattr(opt, "markexpr", "") or getattr(opt, "lf", False):
        return False
    args = [a for a in config.args if not a.startswith("-")]
    root = Path(str(config.rootpath))
    return all(Path(a).resolve() in (root, root / "tests") for a in args)


def pytest_sessionfinish(session, exitstatus):
    config = session.config
    if hasattr(config, "workerinput") or exitstatus != 0 or not _whole_suite(config):
        return
    folder = Path(os.environ[ENV])
    emitted = set()
    for path in folder.glob("*.txt"):
        emitted.update(path.read_text(encoding="utf-8").split())
    from cyberaudit.checks import load_all

    registry = load_all()
    covered = {info.template for cid, info in registry.items() if cid in emitted and info.template}
    missing = sorted(cid for cid, info in registry.items()
                     if cid not in emitted and (info.template is None or info.template not in covered))
    if missing:
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        msg = (f"{len(missing)} registered probe check(s) never emitted by a probe in the whole suite "
               f"(declared but never called?): {', '.join(missing)}")
        if reporter:
            reporter.write_line(msg, red=True)
        session.exitstatus = 1
