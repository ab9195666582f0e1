"""DMARC (RFC 9989) parsing, tree walk names and report destinations."""

from __future__ import annotations

from cyberaudit.probes.mailsec import dmarc


def test_strict_tags_and_obsolete_ones():
    d = dmarc.parse("v=DMARC1; p=reject; sp=quarantine; np=reject; psd=n; t=n; adkim=s; aspf=r; "
                    "rua=mailto:a@exemple.fr,mailto:b@rapports.fr!10m; pct=50; rf=afrf; ri=86400; zz=1")
    assert d.p == "reject" and d.policy_for(subdomain=True) == "quarantine"
    assert d.policy_for(subdomain=True, nonexistent=True) == "reject"
    assert sorted(d.obsolete) == ["pct", "rf", "ri"] and d.unknown == ["zz"] and d.pct == 50
    assert d.problems == []
    assert d.uris("rua") == ["mailto:a@exemple.fr", "mailto:b@rapports.fr!10m"]


def test_problems_are_reported_not_raised():
    d = dmarc.parse("p=reject; v=DMARC1; p=none; t=yes; adkim=x; pct=120; rua=http//bad")
    text = " | ".join(d.problems)
    for part in ("v=DMARC1 must come first", "duplicate tag p", "t=yes", "adkim=x", "pct=120", "rua URI"):
        assert part in text
    assert dmarc.parse("v=DMARC1; p=rejet").p is None
    assert "no p tag" in dmarc.parse("v=DMARC1; rua=mailto:a@b.fr").problems


def test_testing_mode():
    assert dmarc.parse("v=DMARC1; p=reject; t=y").testing
    assert not dmarc.parse("v=DMARC1; p=reject").testing


def test_is_dmarc():
    assert dmarc.is_dmarc("v=DMARC1; p=none") and dmarc.is_dmarc("v=DMARC1")
    assert not dmarc.is_dmarc("v=DMARC10; p=none") and not dmarc.is_dmarc("p=none; v=DMARC1")


def test_tree_walk_names_without_public_suffix_list():
    assert dmarc.walk_names("mail.ville.fr") == ["mail.ville.fr", "ville.fr", "fr"]
    long = "a.b.c.d.e.f.g.h.i.fr"
    names = dmarc.walk_names(long)
    assert names[0] == long and names[1] == "d.e.f.g.h.i.fr" and names[-1] == "fr"
    assert len(names) <= 9


def test_external_destinations():
    d = dmarc.parse("v=DMARC1; p=none; rua=mailto:d@ville.fr,mailto:x@sub.ville.fr,mailto:y@prestataire.com;"
                    " ruf=mailto:z@autre.org")
    assert dmarc.external_destinations(d, "ville.fr") == ["autre.org", "prestataire.com"]
    assert dmarc.same_organisation("ville.fr", "mail.ville.fr") and not dmarc.same_organisation("ville.fr", "le.fr")


def test_report_uris_are_validated():
    from cyberaudit.probes.mailsec.dmarc import valid_uri

    assert valid_uri("mailto:dmarc@ville.fr") and valid_uri("mailto:d@x.fr!10m") and valid_uri("https://r.fr/d")
    for bad in ("javascript:alert(1)", "mailto:<b>x</b>@x.fr", "<a href=x>", "mailto:a@b", "ftp://x.fr"):
        assert not valid_uri(bad), bad
