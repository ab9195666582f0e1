"""`cyberaudit demo`: the whole job, end to end and offline, on a fictional commune.

The embedded sample (cyberaudit/data/demo/) holds an organisation, interview answers,
a small register and a recorded scan. The demo writes a real workspace from them,
evaluates it with the same code as a real run, and writes the reports.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .content.locate import data_file
from .disk.fileio import atomic_write, load_yaml, to_plain, write_json
from .errors import InputError
from .i18n import t
from .model import ScanResult, Status, TargetResult, sort_findings

DEMO_DIR = "demo"
MARKER = ".cyberaudit-demo"


@dataclass
class DemoResult:
    workspace: Path
    assessment: object
    report: object  # cyberaudit.report.view.Report
    score: object  # cyberaudit.scoring.Score
    reports: list[Path] = field(default_factory=list)


def demo_source() -> Path:
    return data_file(DEMO_DIR)


def recorded_scan() -> ScanResult:
    """The recorded scan, rebuilt from the check registry so metadata matches the code."""
    from .checks import load_all

    registry = load_all()
    src = demo_source() / "scan.yaml"
    data = load_yaml(src)
    results = []
    for target, rows in data["results"].items():
        findings = []
        for check_id, status, evidence in rows:
            info = registry.get(str(check_id))
            if info is None:
                raise InputError(t(f"contrôle inconnu {check_id!r} dans la démo", f"unknown check {check_id!r} in demo"),
                                 file=str(src))
            findings.append(info.finding(Status(str(status)), target=str(target), evidence=to_plain(evidence)))
        results.append(TargetResult(target=str(target), findings=sort_findings(findings)))
    started = data["started_at"]
    if isinstance(started, str):
        started = dt.datetime.fromisoformat(started)
    return ScanResult(tool_version=__version__, started_at=started, checks=list(data["checks"]),
                      options={"recorded": True}, results=sorted(results, key=lambda r: r.target))




def write_demo_workspace(root: Path) -> Path:
    """Lay the demo workspace out in `root` (replacing an earlier demo there, nothing else)."""
    from .disk.workspace import ANSWERS, LATEST_SCAN, ORGANISATION, REGISTER_DIR, Workspace, create

    root = Path(root)
    if root.exists() and any(root.iterdir()) and not (root / MARKER).exists():
        raise InputError(t("le dossier existe et n'est pas une démo précédente : choisissez-en un autre (--output)",
                           "the folder exists and is not an earlier demo: choose another one (--output)"),
                         file=str(root))
    if root.exists():
        shutil.rmtree(root)
    src = demo_source()
    from .disk.fileio import validate
    from .model import Organisation

    org = validate(Organisation, load_yaml(src / ORGANISATION), str(src / ORGANISATION))
    create(root, org)
    atomic_write(root / MARKER, "cyberaudit demo workspace\n")
    atomic_write(root / ORGANISATION, (src / ORGANISATION).read_text("utf-8"))
    if (src / ANSWERS).exists():
        atomic_write(root / ANSWERS, (src / ANSWERS).read_text("utf-8"))
    reg_src = src / REGISTER_DIR
    if reg_src.is_dir():
        for path in sorted(reg_src.glob("*.yaml")):
            atomic_write(root / REGISTER_DIR / path.name, path.read_text("utf-8"))
    write_json(root / LATEST_SCAN, recorded_scan())
    return Workspace(root).root


def run_demo(output: Path, *, formats: list[str], lang: str) -> DemoResult:
    from .assessment.evaluate import evaluate, record_assessment
    from .disk.workspace import Workspace
    from .report import produce_reports

    root = write_demo_workspace(output)
    ws = Workspace(root)
    generated = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
    assessment = record_assessment(ws, evaluate(ws, now=generated))
    reports, report, result = produce_reports(ws, formats, lang, assessment=assessment)
    return DemoResult(workspace=root, assessment=assessment, report=report, score=result, reports=reports)
