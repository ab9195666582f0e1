"""Synthetic inputs shared by the report tests (no test here): an assessment with hostile evidence,
a stand-in profile and content, so the report is tested independently of the shipped checklists."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from cyberaudit.model import Assessment, Finding, Organisation, Text

WHEN = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
ESC = "\x1b"
HOSTILE = {
    "banner": "<script>alert('xss')</script></style><img src=x onerror=alert(1)>",
    "url": "javascript:alert(document.domain)",
    "record": "[clic](javascript:alert(1)) | ![i](http://198.51.100.7/t.png) <b>gras</b>",
    "server": f"{ESC}[31mROUGE{ESC}[0m{ESC}]0;titre{ESC}\\{ESC}[2J fin",
}


def T(fr: str, en: str | None = None) -> Text:
    return Text(fr=fr, en=en or f"{fr} (en)")


def organisation(**kw) -> Organisation:
    data = dict(
        name="Commune de Test-sur-Loire", siren="999999998", kind="commune", population=1800,
        assessor="Mme Test", dpo={"name": "CDG 99", "type": "shared", "email": "dpo@cdg.example"},
        it_provider={"name": "Syndicat informatique"},
        inventory={"domains": [{"name": "test-sur-loire.example", "scope": ["dns", "tls"]}],
                   "hosts": [{"name": "webmail.test-sur-loire.example", "scope": ["tls", "ports"],
                              "authorized_by": "M. le maire", "authorized_on": "2026-10-01"}]},
    )
    data.update(kw)
    return Organisation.model_validate(data)


def findings(hostile: bool = True) -> list[Finding]:
    fs = [
        Finding(id="ports.rdp.exposed", status="fail", severity="critical", title=T("Bureau à distance (RDP) exposé"),
                remediation=T("Fermer le port 3389 sur Internet"), effort="low", owner="it_provider",
                references=["anssi-hygiene:23"], target="webmail.test-sur-loire.example", theme="exposure",
                evidence=HOSTILE if hostile else {"port": 3389}),
        Finding(id="mail.dmarc.policy", status="fail", severity="high", title=T("Politique DMARC appliquée"),
                remediation=T("Publier p=quarantine puis p=reject"), effort="low", owner="it_provider",
                references=["rfc:7489"], target="test-sur-loire.example", theme="mail",
                evidence={"record": "v=DMARC1; p=none"}),
        Finding(id="mail.spf.policy", status="pass", severity="high", title=T("SPF strict"),
                target="test-sur-loire.example", theme="mail", references=["rfc:7208"]),
        Finding(id="tls.cert.expiry", status="error", severity="high", title=T("Échéance du certificat"),
                target="test-sur-loire.example", theme="web", detail=T("délai dépassé")),
        Finding(id="gov.dpo.designated", status="pass", severity="critical", title=T("DPO désigné"),
                source="interview", theme="governance", evidence={"answer": "yes"}, references=["gdpr:37"]),
        Finding(id="trn.staff.trained", status="warn", severity="high", title=T("Agents sensibilisés"),
                source="interview", theme="awareness", evidence={"answer": "unknown"},
                references=["anssi-hygiene:2"]),
        Finding(id="bcp.backup.offline", status="fail", severity="high", title=T("Copie de sauvegarde hors ligne"),
                source="interview", theme="continuity", effort="medium", owner="elected",
                remediation=T("Budgéter une copie hors ligne"), references=["anssi-hygiene:37"],
                evidence={"answer": "no", "note": "<b>disque</b> USB"}),
        Finding(id="gov.contracts.security_clauses", status="warn", severity="medium",
                title=T("Clauses de sécurité dans les contrats"), source="interview", theme="governance",
                effort="medium", owner="dpo", references=["anssi-hygiene:3"], evidence={"answer": "partial"}),
        Finding(id="rgpd.activity.dpia_missing", status="fail", severity="high", title=T("AIPD manquante"),
                source="register", theme="rgpd", target="T-003", references=["gdpr:35"], owner="dpo",
                effort="high"),
    ]
    return fs


def assessment(hostile: bool = True, **kw) -> Assessment:
    meta = {
        "coverage": {"unanswered": {"sys.patch.policy": "systems"}, "not_scanned": ["mfa"]},
        "scan": {"started_at": "2026-11-20T09:30:00+00:00", "checks": ["dns", "mail", "tls", "web", "ports"],
                 "tool_version": "0.1.0", "recorded": False},
        "scope": [{"name": "test-sur-loire.example", "kind": "domain", "scope": ["dns", "tls"], "authorization": None},
                  {"name": "webmail.test-sur-loire.example", "kind": "host", "scope": ["tls", "ports"],
                   "authorization": "M. le maire, 2026-10-01"}],
        "register": {"available": True, "activities": [{"id": "T-001", "name": "État civil"},
                                                       {"id": "T-003", "name": "CCAS"}]},
    }
    data = dict(tool_version="0.1.0", generated_at=WHEN, organisation=organisation(), findings=findings(hostile),
                meta=meta)
    data.update(kw)
    return Assessment(**data)


class Profile:
    id = "commune"
    title = T("Commune", "Commune")
    theme_weights = {"exposure": 2, "governance": 1.5, "rgpd": 1.5, "sobriety": 0.5}
    essential = ["ports.*.exposed", "bcp.backup.offline", "gov.dpo.designated", "mail.dmarc.policy"]
    banks: list[str] = []
    skip: list[str] = []
    facts = SimpleNamespace(dpo_mandatory=True, reen_threshold=50000, reen_strategy="above_threshold",
                            nis2=SimpleNamespace(status="not_covered", note=T("Pas concernée en propre")))

    def fact_value(self, name, population=None):
        if name == "reen_required":
            return None if population is None else population > self.facts.reen_threshold
        return getattr(self.facts, name)


class _Framework:
    def __init__(self, title, items):
        self.title = title
        self.items = items

    def item(self, ref_item):
        return self.items.get(ref_item)


class Content:
    questions: dict = {}
    bank_of: dict = {}
    frameworks = {"anssi-hygiene": _Framework(T("Guide d'hygiène ANSSI", "ANSSI hygiene guide"),
                                              {"37": SimpleNamespace(title=T("Sauvegardes", "Backups"))})}

    def profile(self, kind):
        return Profile()
