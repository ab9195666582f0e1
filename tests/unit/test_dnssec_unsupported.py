"""RFC 4035 §5.2: a DS set with no supported algorithm/digest is insecure, not bogus."""

from __future__ import annotations

import dns.name
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import pytest

from cyberaudit.checks.dns import judge_dnssec
from cyberaudit.model import Status
from cyberaudit.probes import dnssec


def _ds(text: str):
    return dns.rdata.from_text(dns.rdataclass.IN, dns.rdatatype.DS, text)


def test_only_unsupported_ds_raises_unsupported():
    zone = dns.name.from_text("mairie.lab.")
    gost = _ds("12345 12 3 " + "ab" * 32)  # GOST R 34.10-2001 key, GOST digest: neither supported
    with pytest.raises(dnssec.Unsupported):
        dnssec.secure_keys(zone, [gost], None, None)


def test_a_supported_ds_beside_an_unsupported_one_is_still_validated():
    zone = dns.name.from_text("mairie.lab.")
    gost = _ds("12345 12 3 " + "ab" * 32)
    ecdsa = _ds("23456 13 2 " + "cd" * 32)
    assert dnssec.supported_ds([gost, ecdsa]) == [ecdsa]
    with pytest.raises(dnssec.Bogus):  # no DNSKEY: judged on the supported DS, so bogus
        dnssec.secure_keys(zone, [gost, ecdsa], None, None)


def test_unsupported_state_is_a_warning_not_a_bogus_failure():
    f = judge_dnssec("mairie.lab", {"state": "unsupported", "reason": "algorithm 12/digest 3"})
    assert f.status is Status.WARN and f.evidence["result"] == "unsupported"
    bogus = judge_dnssec("mairie.lab", {"state": "bogus", "reason": "x"})
    assert bogus.status is Status.FAIL and bogus.severity.value == "high"


@pytest.mark.parametrize("days,fr,en", [(1.5, "dans environ 36 heures", "in about 36 hours"),
                                        (0.05, "dans moins de 2 heures", "in less than 2 hours")])
def test_signatures_near_expiry_are_counted_in_hours(days, fr, en):
    f = judge_dnssec("mairie.lab", {"state": "secure", "algorithms": [13], "expires_in_days": days})
    assert f.status is Status.WARN
    assert fr in f.detail.fr and en in f.detail.en and "jour(s)" not in f.detail.fr


@pytest.mark.parametrize("reason,fr", [
    ("no RRSIG over A", "aucune signature RRSIG sur les enregistrements A"),
    ("DNSKEY: no RRSIGs validated", "aucune signature des enregistrements DNSKEY ne se vérifie"),
    ("SOA: expired", "la signature des enregistrements SOA a expiré"),
    ("no DNSKEY matches the DS", "aucune clé DNSKEY de la zone ne correspond au DS publié chez le parent"),
    ("no NSEC3 proves that b.lab. has no DS", "aucun NSEC3 ne prouve que b.lab. n'a pas de DS"),
    ("something new", "something new"),  # a reason no pattern knows is shown as it is
])
def test_bogus_reasons_read_in_french_and_stay_english_in_the_evidence(reason, fr):
    f = judge_dnssec("mairie.lab", {"state": "bogus", "reason": reason})
    assert f.detail.fr.endswith(f"signatures invalides (bogus) : {fr}")
    assert f.detail.en.endswith(f"signatures do not validate (bogus): {reason}")
    assert f.evidence["reason"] == reason


def test_unsupported_reason_reads_in_french():
    reason = "mairie.lab.: no DS with a supported algorithm and digest (algorithm 12/digest 3)"
    f = judge_dnssec("mairie.lab", {"state": "unsupported", "reason": reason})
    assert "aucun DS d'un algorithme et d'un condensat pris en charge (algorithme 12/condensat 3)" in f.detail.fr
    assert reason in f.detail.en
