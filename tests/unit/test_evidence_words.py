"""Evidence in words: a record held in one evidence key (an MTA-STS policy) reads as labelled fields."""

from __future__ import annotations

from cyberaudit.model import Finding, Text
from cyberaudit.report.evidence import sentences


def _finding(evidence: dict) -> Finding:
    return Finding(id="mail.mta_sts.policy", status="warn", severity="medium", title=Text(fr="MTA-STS", en="MTA-STS"),
                   evidence=evidence)


def test_a_policy_record_reads_as_labelled_fields_never_raw_keys():
    policy = {"max_age": 86400, "mode": "testing", "mx": ["mx1.exemple.fr"], "version": "STSv1"}
    fr = " ".join(sentences(_finding({"policy": policy}), "fr", lambda v: None))
    assert "mode : testing" in fr and "durée de validité (secondes) : 86400" in fr and "mx1.exemple.fr" in fr
    assert "max_age" not in fr
    en = " ".join(sentences(_finding({"policy": policy}), "en", lambda v: None))
    assert "mode: testing" in en and "max-age (seconds): 86400" in en


def test_a_table_keyed_by_names_still_lists_its_names():
    fr = " ".join(sentences(_finding({"policy": {"sel1": {"x": 1}, "sel2": {"x": 2}}}), "fr", lambda v: None))
    assert "sel1, sel2" in fr


def test_weak_suites_read_as_families_not_as_versions_or_codes():
    from cyberaudit.checks.tls_protocol import judge_ciphers

    f = judge_ciphers("ville.fr", {"weak": {"cbc": {"status": "accepted", "suites": ["AES128-SHA"]},
                                            "rc4": {"status": "accepted", "suites": ["RC4-SHA"]},
                                            "des": {"status": "refused"}}})
    assert sentences(f, "fr", lambda v: None) == ["Familles de suites faibles acceptées : mode CBC, RC4"]
    assert sentences(f, "en", lambda v: None) == ["Weak suite families accepted: CBC mode, RC4"]
    # the same key elsewhere keeps its own label: the legacy versions a server accepts
    legacy = Finding(id="tls.protocol.legacy", status="fail", severity="medium", title=Text(fr="x", en="x"),
                     evidence={"accepted": ["TLSv1.0"]})
    assert sentences(legacy, "fr", lambda v: None) == ["Versions acceptées : TLSv1.0"]


def test_starttls_certificate_problems_read_in_words():
    f = Finding(id="mail.starttls.supported", status="warn", severity="high", title=Text(fr="x", en="x"),
                evidence={"certificate_problems": ["hostname", "trusted"]})
    (line,) = sentences(f, "fr", lambda v: None)
    assert line == ("Problèmes du certificat : certificat à un autre nom, "
                    "certificat d'une autorité non reconnue")


def test_one_weak_family_and_none_read_alike():
    from cyberaudit.checks.tls_protocol import judge_ciphers

    cbc = judge_ciphers("ville.fr", {"weak": {"cbc": {"status": "accepted", "suites": ["AES128-SHA"]}}})
    assert sentences(cbc, "fr", lambda v: None) == ["Familles de suites faibles acceptées : mode CBC"]
    none = judge_ciphers("ville.fr", {"weak": {"cbc": {"status": "refused"}}})
    assert sentences(none, "fr", lambda v: None) == ["Familles de suites faibles acceptées : aucune"]


def test_certificate_validity_times_read_as_days():
    f = Finding(id="tls.cert.expiry", status="warn", severity="medium", title=Text(fr="x", en="x"),
                evidence={"not_after": "2026-12-12T00:00:00+00:00", "not_before": "2025-12-12T00:00:00+00:00"})
    assert sentences(f, "fr", lambda v: None) == ["Valide jusqu'au : 12/12/2026", "Valide à partir du : 12/12/2025"]
    assert sentences(f, "en", lambda v: None) == ["Valid until: 2026-12-12", "Valid from: 2025-12-12"]
