"""Library side of `cyberaudit scan`: validate options, gate scope, run, render, save."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError, ProbeError, ThresholdError, WriteError
from ..i18n import t
from ..model import SEVERITY_RANK, ScanResult, Severity, Status
from .scan_output import FORMATS


def parse_fail_on(value: str | None) -> Severity | None:
    if not value:
        return None
    try:
        return Severity(value.lower())
    except ValueError:
        raise InputError(t("--fail-on attend critical, high, medium, low ou info",
                           "--fail-on expects critical, high, medium, low or info"), field="--fail-on") from None


def check_threshold(findings, fail_on: Severity | None) -> None:
    if fail_on is None:
        return
    bad = [f for f in findings if f.status is Status.FAIL and SEVERITY_RANK[f.severity] >= SEVERITY_RANK[fail_on]]
    if bad:
        raise ThresholdError(t(f"{len(bad)} échec(s) de sévérité ≥ {fail_on.value}",
                               f"{len(bad)} failure(s) of severity ≥ {fail_on.value}"))


def parse_only(value: str | None) -> list[str]:
    """--only: check IDs, ID prefixes or families that match a known check; InputError otherwise."""
    if not value:  # no --only: nothing to match, so no need to import every check module
        return []
    from ..checks import load_all
    from ..scanview.triage import parse_only as split

    try:
        return split(value, load_all())
    except ValueError as exc:
        raise InputError(t(f"--only : aucun contrôle ne correspond à {exc} (un identifiant comme "
                           "mail.spf.policy, un préfixe comme tls.cert ou une famille comme dns)",
                           f"--only: no check matches {exc} (an ID like mail.spf.policy, a prefix like "
                           "tls.cert or a family like dns)"), field="--only") from None


def load_trust_anchor(path) -> str:
    """Read a DNSSEC trust anchor file (zone-file lines of DS or DNSKEY records); InputError if invalid."""
    from ..probes.dnssec import parse_anchor

    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(t(f"lecture impossible : {exc}", f"cannot read: {exc}"), file=str(path),
                         field="--trust-anchor") from None
    try:
        parse_anchor(text)
    except ValueError as exc:
        raise InputError(str(exc), file=str(path), field="--trust-anchor") from None
    return text


def check_ca_bundle(path: Path) -> None:
    """--ca-bundle must be a readable PEM file holding at least one certificate."""
    import ssl

    if not path.is_file():
        raise InputError(t("fichier introuvable", "file not found"), file=str(path), field="--ca-bundle")
    try:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.load_verify_locations(cafile=str(path))
        stats = ctx.cert_store_stats()
        loaded = stats.get("x509_ca", 0) + stats.get("x509", 0)
    except (ssl.SSLError, OSError, UnicodeDecodeError):
        loaded = 0
    if not loaded:
        raise InputError(t("aucun certificat PEM lisible dans ce fichier", "no readable PEM certificate in this file"),
                         file=str(path), field="--ca-bundle")


def build_net(nameserver, ca_bundle, timeout, concurrency, ports="curated", syn=False, trust_anchor=None):
    from ..probes.net import Net, parse_nameserver

    ns, port = None, 53
    if nameserver:
        try:
            ns, port = parse_nameserver(nameserver)
        except ValueError:
            raise InputError(t(f"--nameserver invalide : {nameserver!r} (attendu IP[:PORT])",
                               f"invalid --nameserver: {nameserver!r} (expected IP[:PORT])"),
                             field="--nameserver") from None
    if ca_bundle is not None:
        check_ca_bundle(Path(ca_bundle))
    if ports not in ("curated", "top100"):
        raise InputError(t("--ports attend curated ou top100", "--ports expects curated or top100"), field="--ports")
    options = {"ports": ports, "syn": syn}
    if trust_anchor is not None:
        options["trust_anchor"] = load_trust_anchor(trust_anchor)
    return Net(nameserver=ns, port=port, ca_bundle=Path(ca_bundle) if ca_bundle else None, timeout=timeout,
               concurrency=concurrency, options=options)


def run_scan_command(*, targets, workspace, checks, nameserver, ca_bundle, timeout, concurrency, authorized,
                     ports, syn, fmt, output, fail_on, trust_anchor=None, only=None, show_all=False) -> None:
    import time

    from ..disk.observations import ObservationLog, save_scan
    from ..disk.workspace import Workspace
    from ..probes import pipeline as scanning
    from ..probes import scope

    if fmt is not None and fmt not in FORMATS:
        raise InputError(t(f"--format attend {', '.join(FORMATS)}", f"--format expects {', '.join(FORMATS)}"),
                         field="--format")
    only = parse_only(only)
    severity = parse_fail_on(fail_on)
    families = scope.parse_families(checks)
    net = build_net(nameserver, ca_bundle, timeout, concurrency, ports, syn, trust_anchor)
    ws = Workspace(workspace) if workspace else None
    if targets:
        tgs, fams = scope.targets_from_cli(targets, families, authorized)
    elif ws:
        org = ws.load_organisation()
        tgs, fams = scope.targets_from_organisation(org, families)
    else:
        raise InputError(t("indiquez au moins un domaine, ou --workspace DIR",
                           "give at least one domain, or --workspace DIR"))
    if not tgs:
        raise InputError(t("aucune cible à analyser dans l'inventaire", "no target to scan in the inventory"))
    progress_fn, finish = _progress(len(tgs), fmt)
    log = ObservationLog() if ws else None  # what the probes saw, saved beside the result
    started = time.monotonic()
    not_saved = None
    try:
        try:
            result = scanning.scan(tgs, fams, net, progress=progress_fn,
                                   observations=log.add if log is not None else None)
        finally:
            finish()
        elapsed = time.monotonic() - started
        if ws:
            try:
                with ws.lock():
                    save_scan(ws, _stable(result, ws), log)
            except WriteError as exc:  # a full disk: still print the result, then say what was not saved
                not_saved = exc
    finally:
        if log is not None:
            log.close()
    finish_scan(result, fmt, output, severity, not_saved, only=only, show_all=show_all, elapsed=elapsed)


def finish_scan(result: ScanResult, fmt: str | None, output, severity: Severity | None,
                not_saved: WriteError | None = None, *, only: list[str] | None = None, show_all: bool = False,
                elapsed: float | None = None) -> None:
    """Print the result, then the exit status: not saved (4), nothing tested (3), threshold (1)."""
    from .scan_output import print_result

    print_result(result, fmt, output, only=only, show_all=show_all, elapsed=elapsed)
    if not_saved is not None:
        raise not_saved
    findings = result.findings()
    if findings and all(f.status is Status.ERROR for f in findings):
        raise ProbeError(t("aucun contrôle n'a pu être réalisé (réseau ?)", "no check could be performed (network?)"))
    if only:
        from ..scanview.triage import matches

        findings = [f for f in findings if matches(f.id, only)]
    check_threshold(findings, severity)


def _stable(result: ScanResult, ws) -> ScanResult:
    """Keep the previous timestamp when nothing changed, so a re-run rewrites the same bytes."""
    from ..disk.fileio import load_json
    from ..disk.workspace import LATEST_SCAN

    prev = load_json(ws.path(LATEST_SCAN), missing_ok=True)
    if prev:
        try:
            old = ScanResult.model_validate(prev)
        except Exception:
            return result
        if old.model_copy(update={"started_at": None}) == result.model_copy(update={"started_at": None}):
            return old
    return result


def _progress(total: int, fmt: str | None):
    import sys

    if total < 2 or fmt in ("json", "markdown", "csv", "junit") or not sys.stderr.isatty():
        return None, lambda: None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from . import ui

    prog = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    transient=True, console=ui.err())
    task = prog.add_task(t("Analyse", "Scanning"), total=total)
    prog.start()

    def update(name: str, done: int, tot: int) -> None:
        prog.update(task, completed=done)

    return update, prog.stop
