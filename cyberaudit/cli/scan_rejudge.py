"""`cyberaudit scan --rejudge`: judge a workspace's saved observations again, offline, with today's judges.

Nothing is sent on the network. `scans/observations.jsonl` (written by every workspace scan) is read
line by line, each family's observation goes through today's judge, and `scans/latest.json` is
rewritten atomically: the findings of the families that were observed are replaced, those of families
with no saved observation (a scan made before observations were saved) are kept as they were.
"""

from __future__ import annotations

from ..errors import InputError
from ..i18n import t
from ..model import ScanResult


def rejudged(ws) -> ScanResult:
    """Today's verdicts on the saved observations of `ws`, merged with what the last scan did not observe."""
    from ..assessment.evaluate import load_scan
    from ..checks.rejudge import rejudge
    from ..disk import observations
    from ..disk.workspace import OBSERVATIONS

    head, records = observations.read(ws.path(OBSERVATIONS))
    return rejudge(head, records, load_scan(ws))


def run_rejudge_command(*, workspace, targets, fmt, output, fail_on, only=None, show_all=False) -> None:
    from ..disk.fileio import write_json
    from ..disk.workspace import LATEST_SCAN, Workspace
    from .scan_run import FORMATS, finish_scan, parse_fail_on, parse_only

    if workspace is None:
        raise InputError(t("--rejudge juge les observations d'un espace de travail : indiquez --workspace DIR",
                           "--rejudge judges a workspace's observations: give --workspace DIR"), field="--rejudge")
    if targets:
        raise InputError(t("--rejudge n'analyse rien : ne donnez ni cible ni --territory (il rejuge la dernière "
                           "analyse de --workspace)",
                           "--rejudge scans nothing: give no target nor --territory (it judges the last scan of "
                           "--workspace again)"),
                         field="--rejudge")
    if fmt is not None and fmt not in FORMATS:
        raise InputError(t(f"--format attend {', '.join(FORMATS)}", f"--format expects {', '.join(FORMATS)}"),
                         field="--format")
    severity = parse_fail_on(fail_on)
    wanted = parse_only(only)
    ws = Workspace(workspace)
    with ws.lock():
        result = rejudged(ws)
        write_json(ws.path(LATEST_SCAN), result)
    finish_scan(result, fmt, output, severity, only=wanted, show_all=show_all)
