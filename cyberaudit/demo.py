"""`cyberaudit demo`: the whole job, end to end and offline, on a fictional commune.

The embedded sample (cyberaudit/data/demo/) holds an organisation, interview answers,
a small register and a recorded scan: observations of every probe family recorded from a real
lab run (tools/record_demo.py), judged at run time by today's judges. The demo writes a real
workspace from them, evaluates it with the same code as a real run, and writes the reports.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .content.locate import data_file
from .disk.fileio import atomic_write, load_yaml, write_json
from .errors import InputError
from .i18n import t
from .model import ScanResult

DEMO_DIR = "demo"
MARKER = ".cyberaudit-demo"
OBSERVED = "observations.jsonl"  # recorded observations (tools/record_demo.py)


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
    """The demo's scan: its recorded observations (`observations.jsonl`, from a real lab run by
    tools/record_demo.py), judged now by today's judges."""
    from .checks.rejudge import rejudge
    from .disk import observations

    head, records = observations.read(demo_source() / OBSERVED)
    return rejudge(head, records, None, options={"recorded": True})


def write_demo_workspace(root: Path) -> Path:
    """Lay the demo workspace out in `root` (replacing an earlier demo there, nothing else)."""
    from .disk.workspace import (
        ANSWERS,
        LATEST_SCAN,
        OBSERVATIONS,
        ORGANISATION,
        REGISTER_DIR,
        Workspace,
        create,
    )

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
    atomic_write(root / OBSERVATIONS, (src / OBSERVED).read_bytes())  # `scan --rejudge` works on the demo too
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
