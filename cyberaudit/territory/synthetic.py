"""A synthetic territory (fictional members with varied results) for tests, benchmarks and demos.

    specs = build(root, 300, seed=7)      # writes territoire.yaml and membres/<SIREN>/{organisation.yaml,assessment.json}

Every member's choices are returned as plain specs (answers and probe statuses) so a
test can compute the expected barometer on its own. Deterministic for a given seed.
Only documentation domains (`.example`) appear; nothing here touches the network.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from pathlib import Path
from typing import Any

KINDS = ("petite-commune", "commune", "epci")
# question -> (probability of yes, partial, no, unknown; the rest: not answered)
ANSWER_ODDS = {
    "gov.digital.project": (0.40, 0.05, 0.40, 0.05),
    "gov.cyber.measures": (0.60, 0.05, 0.20, 0.05),
    "gov.dpo.designated": (0.55, 0.05, 0.25, 0.05),
    "priv.location.known": (0.80, 0.05, 0.05, 0.05),
    "eco.charter.adopted": (0.12, 0.03, 0.60, 0.10),
    "priv.register.exists": (0.50, 0.10, 0.25, 0.05),
    "bcp.backup.offline": (0.45, 0.10, 0.30, 0.05),
    "iam.mfa.webmail": (0.30, 0.10, 0.45, 0.05),
    "iam.mfa.vpn": (0.40, 0.05, 0.20, 0.05),
}
DATE_QUESTIONS = ("priv.register.updated", "bcp.backup.restore_tested")  # answered with a date
DATE_AGES = (30, 200, 390, 600, 1000)  # days before the assessment date: fresh, ageing, just over a year, old
PROBES = {  # finding id -> (severity, choices of status; None = not scanned)
    "mail.dmarc.policy": ("high", ("pass", "pass", "fail", "warn", "error", None)),
    "dns.dnssec.valid": ("medium", ("pass", "fail", "fail", "error", None)),
    "tls.protocol.legacy": ("high", ("pass", "pass", "pass", "fail", None)),
    "tls.cert.expiry": ("high", ("pass", "pass", "pass", "fail", "warn")),
    "ports.rdp.exposed": ("critical", ("fail", None, None, None, None, None)),
    "ports.ftp.exposed": ("medium", ("fail", None, None, None)),
}


def siren(n: int) -> str:
    """A valid SIREN (Luhn) built from a number."""
    base = f"{n:08d}"[-8:]
    for last in "0123456789":
        candidate = base + last
        total = 0
        for i, ch in enumerate(reversed(candidate)):
            d = int(ch) * (2 if i % 2 else 1)
            total += d - 9 if d > 9 else d
        if total % 10 == 0:
            return candidate
    raise AssertionError("unreachable")


def _pick(rng: random.Random, odds: tuple[float, ...]) -> str | None:
    x = rng.random()
    for value, p in zip(("yes", "partial", "no", "unknown"), odds, strict=False):
        if x < p:
            return value
        x -= p
    return None


def member_spec(i: int, rng: random.Random, today: dt.date) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "siren": siren(21000000 + i * 7),
        "name": f"Commune fictive n° {i:04d}",
        "kind": KINDS[i % len(KINDS)],
        "population": 100 + (i * 37) % 9000,
        "org_dpo": rng.random() < 0.15,
        "answers": {q: _pick(rng, odds) for q, odds in ANSWER_ODDS.items()},
        "dated": {q: rng.choice((*DATE_AGES, None)) for q in DATE_QUESTIONS},  # age in days at "assessed"
        "probes": {},
        "assessed": today - dt.timedelta(days=rng.randrange(0, 800)),
    }
    spec["breach_log"] = i % 5 == 0  # breach files in the workspace (no random draw: other values unchanged)
    scanned = rng.random() < 0.85
    spec["ports_scanned"] = scanned and rng.random() < 0.6
    for fid, (_, choices) in PROBES.items():
        status = rng.choice(choices) if scanned else None
        if fid.startswith("ports.") and not spec["ports_scanned"]:
            status = None
        spec["probes"][fid] = status
    return spec


def _text(fid: str):
    from ..model import Text

    return Text(fr=f"Constat {fid}", en=f"Finding {fid}")


@functools.lru_cache(maxsize=1)
def _template() -> dict[str, Any]:
    """The demo's assessment, evaluated by the real code (`cyberaudit demo`): interview, register, scan."""
    import tempfile

    from ..assessment.evaluate import evaluate
    from ..demo import write_demo_workspace
    from ..disk.workspace import Workspace

    with tempfile.TemporaryDirectory() as tmp:
        root = write_demo_workspace(Path(tmp) / "demo")
        model = evaluate(Workspace(root), now=dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC))
    return model.model_dump(mode="python", by_alias=True, exclude_none=True)


def _filler(spec: dict[str, Any], taken: set[str]) -> tuple[list, dict, dict]:
    """(findings, answers, meta) of a member who answered the whole interview, kept a register and was
    scanned, shaped as `cyberaudit assess` writes them (the demo's real evaluation, texts and all; on disk
    ~280-300 KB, schema v2 with its check catalogue), with varied results. Findings and answers the
    indicators read, or that the spec sets, are left out, so the spec alone decides every indicator."""
    from ..model import Answer, Finding
    from .history import reads_of
    from .indicators import load_indicators
    from .judging import _wanted

    template = _template()
    reads = reads_of(load_indicators())
    skip = set(taken) | set(ANSWER_ODDS) | set(DATE_QUESTIONS) | set(PROBES)
    rng = random.Random(spec["siren"])
    when = dt.datetime.combine(spec["assessed"], dt.time(9, 0), tzinfo=dt.UTC)
    status_of = {"yes": "pass", "partial": "warn", "no": "fail", "unknown": "warn"}
    findings, answered = [], {}
    for f in template["findings"]:
        if f["id"] in skip or _wanted(f["id"], reads):
            continue
        f = dict(f)
        f["evidence"] = dict(f.get("evidence") or {})
        if f.get("source") == "interview":
            value = rng.choice(("yes", "yes", "partial", "no", "unknown"))
            f["status"] = status_of[value]
            f["evidence"].update(answer=value, at=when.isoformat(), by="dpo@m.example")
            answered[f["id"]] = value
        else:
            f["status"] = rng.choice(("pass", "pass", "warn", "fail")) if f.get("status") != "info" else "info"
        if f.get("target"):
            f["target"] = f"m{spec['siren']}.example"
        findings.append(Finding.model_validate(f))
    answers = {}
    for qid, a in template["answers"].items():
        if qid in skip or _wanted(qid, reads):
            continue
        answers[qid] = Answer.model_validate({**a, "value": answered.get(qid, a.get("value")), "at": when,
                                              "by": "dpo@m.example"})
    return findings, answers, dict(template.get("meta") or {})


def assessment_for(spec: dict[str, Any], *, version: str = "0.0.0", real_size: bool = False):
    from ..model import Answer, Assessment, Finding, Organisation

    org: dict[str, Any] = {"name": spec["name"], "siren": spec["siren"], "kind": spec["kind"],
                           "population": spec["population"],
                           "inventory": {"domains": [{"name": f"m{spec['siren']}.example"}]}}
    if spec["org_dpo"]:
        org["dpo"] = {"name": "DPO mutualisé", "type": "shared"}
    findings = []
    answers = {}
    status_of = {"yes": "pass", "partial": "warn", "no": "fail", "unknown": "warn"}
    for qid, value in sorted(spec["answers"].items()):
        if value is None:
            continue
        answers[qid] = Answer(value=value)
        ev = {"answer": value}
        findings.append(Finding(id=qid, status=status_of[value], severity="high", title=_text(qid),
                                evidence=ev, source="interview"))
    for qid, age in sorted(spec["dated"].items()):
        if age is None:
            continue
        day = (spec["assessed"] - dt.timedelta(days=age)).isoformat()
        status = "pass" if age <= 365 else "warn" if age <= 730 else "fail"  # as the interview judged it then
        findings.append(Finding(id=qid, status=status, severity="medium", title=_text(qid), source="interview",
                                evidence={"answer": day}))
        answers[qid] = Answer(value=day)
    if spec.get("breach_log"):
        findings.append(Finding(id="rgpd.breaches.log", status="pass", severity="medium", source="records",
                                title=_text("rgpd.breaches.log"), theme="rgpd", evidence={"log": "breaches/"}))
    target = f"m{spec['siren']}.example"
    for fid, status in sorted(spec["probes"].items()):
        if status is None:
            continue
        findings.append(Finding(id=fid, status=status, severity=PROBES[fid][0], title=_text(fid), target=target,
                                evidence={"record": f"v=DMARC1; p={'reject' if status == 'pass' else 'none'}"}))
    if spec.get("ports_scanned"):
        findings.append(Finding(id="ports.risky.none", status="info" if any(
            spec["probes"][f] == "fail" for f in PROBES if f.startswith("ports.")) else "pass",
            severity="high", title=_text("ports.risky.none"), target=target))
    meta: dict[str, Any] = {}
    if real_size:
        more, more_answers, meta = _filler(spec, {f.id for f in findings})
        findings += more
        answers = {**more_answers, **answers}
    when = dt.datetime.combine(spec["assessed"], dt.time(9, 0), tzinfo=dt.UTC)
    return Assessment(tool_version=version, generated_at=when, organisation=Organisation.model_validate(org),
                      findings=sorted(findings, key=lambda f: (f.target or "", f.id)), answers=dict(sorted(answers.items())),
                      meta=meta)


def write_member(root: Path, spec: dict[str, Any], *, real_size: bool = False) -> Path:
    from ..disk.fileio import atomic_write, write_json
    from ..disk.workspace import organisation_yaml
    from .manifest import member_dir

    assessment = assessment_for(spec, real_size=real_size)
    folder = member_dir(root, spec["siren"])
    atomic_write(folder / "organisation.yaml", organisation_yaml(assessment.organisation))
    write_json(folder / "assessment.json", assessment)
    return folder


def write_manifest(root: Path, name: str, specs: list[dict[str, Any]]) -> None:
    from ..disk.fileio import atomic_write
    from .manifest import Member, Territory, manifest_text

    members = [Member(siren=s["siren"], name=s["name"], kind=s["kind"], population=s["population"]) for s in specs]
    atomic_write(Path(root) / "territoire.yaml", manifest_text(Territory(name=name, members=members)))


def build(root: str | Path, count: int, *, seed: int = 7, today: dt.date = dt.date(2026, 6, 30),
          name: str = "Pays fictif", real_size: bool = False) -> list[dict[str, Any]]:
    root = Path(root)
    rng = random.Random(seed)
    specs = [member_spec(i, rng, today) for i in range(count)]
    write_manifest(root, name, specs)
    for spec in specs:
        write_member(root, spec, real_size=real_size)
    return specs
