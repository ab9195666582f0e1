"""Activity templates: the activities the issue lists, each complete and with its sources."""

from __future__ import annotations

import datetime as dt

from cyberaudit.content.locate import profile_ids
from cyberaudit.model import Dpo, Organisation, Status
from cyberaudit.register import rules
from cyberaudit.register.model import LEGAL_BASES
from cyberaudit.register.templates import for_profile, get, load_templates

# the activities issue 7 asks for -> the template that covers each
REQUIRED = {
    "civil status": "etat-civil", "electoral rolls": "listes-electorales", "census": "recensement",
    "school catering and extracurricular billing": "restauration-periscolaire",
    "water and sanitation billing": "eau-assainissement", "waste fee": "redevance-incitative",
    "HR and payroll": "rh-paie", "town planning permits": "urbanisme", "CCAS social action": "ccas-action-sociale",
    "video surveillance": "videoprotection", "cadastre and GIS": "cadastre-sig", "library loans": "bibliotheque",
    "newsletters and contact forms": "lettre-information-formulaires",
    "audience measurement and cookies": "mesure-audience-cookies", "conseillers numériques": "inclusion-numerique",
}


def test_at_least_fifteen_templates_cover_the_issue_list():
    templates = load_templates()
    assert len(templates) >= 15
    assert set(REQUIRED.values()) <= set(templates)


def test_every_template_is_complete_with_basis_text_and_retention_source():
    for tid, tpl in load_templates().items():
        a = tpl.activity("T-001")
        assert a.template == tid
        assert a.purpose and a.legal_bases and a.recipients and a.security_measures, tid
        for b in a.legal_bases:
            assert b.basis in LEGAL_BASES
            assert b.text, f"{tid}: a legal basis without its text"
        assert a.retention and a.retention.duration and a.retention.source, tid
        assert set(tpl.profiles) <= set(profile_ids()), tid
        assert tpl.title.fr and tpl.title.en and tpl.title.fr != tpl.title.en


def test_templates_pass_the_structural_rules():
    """A template is a sound starting point: no missing field, no forbidden basis, no open special data."""
    org = Organisation(name="C", siren="213501232", kind="commune", dpo=Dpo(name="D", email="d@x.fr"))
    acts = [tpl.activity(f"T-{i:03d}").model_copy(update={"updated": dt.date(2026, 1, 1)})
            for i, tpl in enumerate(load_templates().values(), 1)]
    found = rules.check(acts, org, today=dt.date(2026, 2, 1))
    bad = {(f.target, f.id) for f in found if f.status is Status.FAIL and f.id not in ("rgpd.dpia.required",)}
    assert bad == set()


def test_dpia_outcomes_of_the_sensitive_templates():
    def dpia(tid):
        found = rules.check_activity(get(tid).activity("T-001"), today=dt.date(2026, 1, 1))
        return next(f for f in found if f.id == "rgpd.dpia.required")

    assert dpia("ccas-action-sociale").status is Status.FAIL
    assert "cnil-aipd:13" in dpia("ccas-action-sociale").evidence["fired"]
    assert "gdpr:35(3)(c)" in dpia("videoprotection").evidence["fired"]
    assert dpia("restauration-periscolaire").status is Status.PASS  # CNIL exemption 10, school services
    assert dpia("listes-electorales").status is Status.PASS


def test_processor_template_for_epci_keeps_the_art30_2_record():
    a = get("urbanisme-ads-mutualise").activity("T-001")
    assert a.role == "processor" and a.on_behalf_of
    assert "epci" in get("urbanisme-ads-mutualise").profiles


def test_templates_by_profile():
    ids = {x.id for x in for_profile("epci")}
    assert "redevance-incitative" in ids and "etat-civil" not in ids
    assert {x.id for x in for_profile("petite-commune")} >= {"etat-civil", "listes-electorales"}
    assert len(for_profile(None)) == len(load_templates())
