"""SPF and DMARC against a real knot: include trees, loops, limits, tree walk, report authorisation."""

from __future__ import annotations


def test_spf_include_loop_two_records_and_policies(knot_lab, lab_scan):
    lab = knot_lab()
    lab.add_zone("lab.", "")
    lab.add_zone("boucle.lab.", """
        @ TXT "v=spf1 include:a.boucle.lab -all"
        a TXT "v=spf1 include:b.boucle.lab -all"
        b TXT "v=spf1 include:boucle.lab -all"
    """)
    lab.add_zone("double.lab.", '@ TXT "v=spf1 -all"\n@ TXT "v=spf1 mx ~all"\n')
    lab.add_zone("souple.lab.", '@ TXT "v=spf1 ip4:192.0.2.0/24 ~all"\n')
    lab.add_zone("ouvert.lab.", '@ TXT "v=spf1 +all"\n')
    lab.add_zone("sans.lab.", '@ TXT "bonjour"\n')
    lab.add_zone("syntaxe.lab.", '@ TXT "v=spf1 ip4:127.0.0.999 -all"\n')
    lab.start()
    res = lab_scan(lab, "boucle.lab", "double.lab", "souple.lab", "ouvert.lab", "sans.lab", "syntaxe.lab",
                   families=("mail",))
    loop = res["boucle.lab"]["mail.spf.lookup_limit"]
    assert loop.status.value == "fail" and loop.evidence["loop"] is True
    assert "boucle.lab -> a.boucle.lab -> b.boucle.lab -> boucle.lab" in loop.evidence["errors"][0]
    # an include loop ends in permerror (RFC 7208 §4.6.4): the -all is void, not a strict policy
    pol = res["boucle.lab"]["mail.spf.policy"]
    assert pol.status.value == "fail" and pol.evidence["receivers"] == "permerror"
    double = res["double.lab"]["mail.spf.policy"]
    assert double.status.value == "fail" and len(double.evidence["records"]) == 2
    assert res["souple.lab"]["mail.spf.policy"].status.value == "warn"
    assert res["ouvert.lab"]["mail.spf.policy"].status.value == "fail"
    assert res["sans.lab"]["mail.spf.policy"].status.value == "fail"
    assert res["syntaxe.lab"]["mail.spf.policy"].status.value == "fail"
    assert "address" in res["syntaxe.lab"]["mail.spf.policy"].evidence["syntax"]


def test_spf_tree_of_50_includes_is_shown_and_counted(knot_lab, lab_scan):
    lab = knot_lab()
    lab.add_zone("lab.", "")
    top = " ".join(f"include:i{i}.large.lab" for i in range(10))
    lines = [f'@ TXT "v=spf1 {top} -all"']
    for i in range(10):
        subs = " ".join(f"include:i{i}-{j}.large.lab" for j in range(4))
        lines.append(f'i{i} TXT "v=spf1 {subs} -all"')
        lines += [f'i{i}-{j} TXT "v=spf1 ip4:192.0.2.{i * 4 + j} -all"' for j in range(4)]
    lab.add_zone("large.lab.", "\n".join(lines) + "\n")
    lab.add_zone("juste.lab.", '@ TXT "v=spf1 a mx include:_s.juste.lab -all"\n@ A 192.0.2.1\n@ MX 10 @\n'
                 '_s TXT "v=spf1 exists:%{i}.x.juste.lab a:v1.juste.lab a:v2.juste.lab a:v3.juste.lab -all"\n')
    lab.start()
    res = lab_scan(lab, "large.lab", "juste.lab", families=("mail",))
    f = res["large.lab"]["mail.spf.lookup_limit"]
    assert f.status.value == "fail"
    assert f.evidence["lookups"] == 50
    tree = f.evidence["tree"]
    assert len(tree["children"]) == 10 and all(len(c["children"]) == 4 for c in tree["children"])
    assert tree["children"][3]["children"][2]["record"] == "v=spf1 ip4:192.0.2.14 -all"
    j = res["juste.lab"]["mail.spf.lookup_limit"]
    # a, mx, include, exists (macro: counted, not expanded), 3 x a = 7 lookups, 3 void (v1..v3 absent)
    assert (j.evidence["lookups"], j.evidence["void"]) == (7, 3)
    assert j.status.value == "fail" and "void" in j.detail.en


def test_dmarc_policies_tree_walk_and_external_reports(knot_lab, lab_scan):
    lab = knot_lab()
    lab.add_zone("lab.", """
        ville.lab._report._dmarc.rapports.lab. TXT "v=DMARC1"
    """)
    lab.add_zone("ville.lab.", '_dmarc TXT "v=DMARC1; p=reject; rua=mailto:dmarc@rapports.lab"\n')
    lab.add_zone("essai.lab.", '_dmarc TXT "v=DMARC1; p=reject; t=y; rua=mailto:d@essai.lab"\n')
    lab.add_zone("quar.lab.", '_dmarc TXT "v=DMARC1; p=quarantine; rua=mailto:d@autre.lab"\n')
    lab.add_zone("rien.lab.", '_dmarc TXT "v=DMARC1; p=none"\n')
    lab.add_zone("org.lab.", '_dmarc TXT "v=DMARC1; p=reject; sp=quarantine; pct=20; ri=3600"\n')
    lab.add_zone("sub.org.lab.", "")
    lab.start()
    res = lab_scan(lab, "ville.lab", "essai.lab", "quar.lab", "rien.lab", "sub.org.lab", families=("mail",))
    assert res["ville.lab"]["mail.dmarc.policy"].status.value == "pass"
    assert res["ville.lab"]["mail.dmarc.policy"].evidence["found_at"] == "ville.lab"
    rep = res["ville.lab"]["mail.dmarc.reporting"]
    assert rep.status.value == "pass" and rep.evidence["external"] == {"rapports.lab": True}
    assert res["essai.lab"]["mail.dmarc.policy"].status.value == "fail"  # t=y is never enforcement
    assert res["essai.lab"]["mail.dmarc.reporting"].status.value == "pass"
    assert res["quar.lab"]["mail.dmarc.policy"].status.value == "warn"
    assert res["quar.lab"]["mail.dmarc.reporting"].evidence["external"] == {"autre.lab": False}
    assert res["quar.lab"]["mail.dmarc.reporting"].status.value == "warn"
    assert res["rien.lab"]["mail.dmarc.policy"].status.value == "fail"
    assert res["rien.lab"]["mail.dmarc.reporting"].status.value == "warn"
    sub = res["sub.org.lab"]["mail.dmarc.policy"]
    assert sub.evidence["found_at"] == "org.lab" and sub.evidence["policy"] == "quarantine"  # sp applies
    assert sub.status.value == "warn" and sorted(sub.evidence["obsolete"]) == ["pct", "ri"]
    assert "org.lab" in sub.detail.en
