"""DNS checks against a real knot: DNSSEC chain, NS redundancy, AXFR, CAA, CNAME, IPv6."""

from __future__ import annotations


def test_dnssec_secure_unsigned_bogus_deprecated_and_expiring(knot_lab, lab_scan):
    lab = knot_lab()
    lab.add_zone("lab.", "bogus.lab. DS 12345 13 2 " + "AB" * 32 + "\n", signed=True)
    lab.add_zone("ok.lab.", "", signed=True)
    lab.add_zone("plain.lab.", "")
    lab.add_zone("bogus.lab.", "", signed=True, publish_ds=False)
    lab.add_zone("old.lab.", "", signed=True, algorithm="rsasha1")
    lab.add_zone("soon.lab.", "", signed=True, rrsig_lifetime="2d")
    lab.add_zone("nods.lab.", "", signed=True, publish_ds=False)
    lab.start()
    res = lab_scan(lab, "ok.lab", "plain.lab", "bogus.lab", "old.lab", "soon.lab", "nods.lab", families=("dns",))
    ok = res["ok.lab"]["dns.dnssec.valid"]
    assert ok.status.value == "pass"
    assert ok.evidence["chain"] == ["lab.", "ok.lab."] and ok.evidence["algorithms"] == [13]
    plain = res["plain.lab"]["dns.dnssec.valid"]
    assert plain.status.value == "fail" and plain.evidence["result"] == "unsigned"
    assert plain.severity.value == "medium"
    bogus = res["bogus.lab"]["dns.dnssec.valid"]
    assert (bogus.status.value, bogus.severity.value, bogus.evidence["result"]) == ("fail", "high", "bogus")
    old = res["old.lab"]["dns.dnssec.valid"]
    assert old.status.value == "warn" and old.evidence["algorithms"] == [5]
    soon = res["soon.lab"]["dns.dnssec.valid"]
    assert soon.status.value == "warn" and soon.evidence["expires_in_days"] < 3
    nods = res["nods.lab"]["dns.dnssec.valid"]
    assert nods.status.value == "fail" and "without DS" in nods.evidence["reason"]


def test_dnssec_wrong_trust_anchor_is_bogus_and_no_anchor_is_error(knot_lab, lab_scan):
    lab = knot_lab()
    lab.add_zone("lab.", "", signed=True)
    lab.add_zone("ok.lab.", "", signed=True)
    lab.start()
    other = lab.trust_anchor("ok.lab.").replace("ok.lab.", "lab.")
    res = lab_scan(lab, "ok.lab", families=("dns",), trust_anchor=other)
    assert res["ok.lab"]["dns.dnssec.valid"].evidence["result"] == "bogus"
    # anchored at the real root, the lab cannot be validated: could not test, never a failure
    res = lab_scan(lab, "ok.lab", families=("dns",), trust_anchor=None)
    assert res["ok.lab"]["dns.dnssec.valid"].status.value == "error"


def test_ns_redundancy_axfr_caa(knot_lab, lab_scan):
    lab = knot_lab()
    second = lab.address.replace("127.53.", "127.153.")  # another /24 (and /16) on loopback
    lab.addresses = (lab.address, second)
    lab.add_zone("lab.", "")
    lab.add_zone("two.lab.", f"""
        @ NS ns1
        @ NS ns2
        ns1 A {lab.address}
        ns2 A {second}
        @ CAA 0 issue "letsencrypt.org"
        @ CAA 0 iodef "mailto:securite@two.lab"
    """)
    lab.add_zone("open.lab.", "", allow_axfr=True)
    lab.add_zone("samenet.lab.", f"@ NS ns1\n@ NS ns2\nns1 A {lab.address}\nns2 A {lab.address}\n")
    lab.start()
    res = lab_scan(lab, "two.lab", "open.lab", "samenet.lab", families=("dns",))
    two = res["two.lab"]
    assert two["dns.ns.redundancy"].status.value == "pass"
    assert len(two["dns.ns.redundancy"].evidence["networks"]) == 2
    assert two["dns.axfr.refused"].status.value == "pass"
    assert two["dns.caa.present"].status.value == "pass"
    assert two["dns.caa.present"].evidence["issuers"] == ["letsencrypt.org"]
    assert res["open.lab"]["dns.axfr.refused"].status.value == "fail"
    assert res["open.lab"]["dns.axfr.refused"].severity.value == "high"
    assert res["open.lab"]["dns.ns.redundancy"].status.value == "fail"  # a single NS
    assert res["open.lab"]["dns.caa.present"].status.value == "warn"
    same = res["samenet.lab"]["dns.ns.redundancy"]
    assert same.status.value == "fail" and same.evidence["networks"] == [lab.address.rsplit(".", 1)[0] + ".0/24"]


def test_cname_dangling_loop_and_chain(knot_lab, lab_scan):
    lab = knot_lab()
    lab.add_zone("lab.", "cible.lab. A 192.0.2.10\n")
    lab.add_zone("ville.lab.", """
        www CNAME cible.lab.
        webmail CNAME ancien-prestataire.lab.
        mail CNAME boucle1
        boucle1 CNAME boucle2
        boucle2 CNAME mail
        extranet CNAME absent
    """)
    lab.add_zone("propre.lab.", "www CNAME cible.lab.\n@ A 192.0.2.10\n@ AAAA 2001:db8::10\n")
    lab.start()
    res = lab_scan(lab, "ville.lab", "propre.lab", families=("dns",))
    f = res["ville.lab"]["dns.cname.dangling"]
    assert f.status.value == "fail"
    # extranet: in-zone target missing (knot answers NXDOMAIN with the CNAME); webmail: another zone
    assert f.evidence["dangling"] == ["extranet.ville.lab", "mail.ville.lab", "webmail.ville.lab"]
    assert f.evidence["aliases"]["mail.ville.lab"]["loop"] is True
    assert f.evidence["aliases"]["www.ville.lab"]["status"] == "ok"
    ok = res["propre.lab"]["dns.cname.dangling"]
    assert ok.status.value == "pass" and list(ok.evidence["aliases"]) == ["www.propre.lab"]
    v6 = res["propre.lab"]["dns.ipv6.present"]
    without = v6.detail.fr.split(" : ", 1)[1].split(", ")
    assert "web:www.propre.lab" in without and "web:propre.lab" not in without  # the apex has AAAA, www. not
    assert v6.evidence["hosts_without_ipv6"] == len(without) < v6.evidence["hosts_tested"]
    assert v6.status.value in ("info", "warn")


def test_name_servers_without_address(knot_lab, lab_scan):
    lab = knot_lab()
    second = lab.address.replace("127.53.", "127.153.")
    lab.addresses = (lab.address, second)
    lab.add_zone("lab.", "")
    lab.add_zone("boiteux.lab.", f"@ NS ns1\n@ NS ns.disparu.lab.\nns1 A {lab.address}\n")
    lab.add_zone("trois.lab.", f"@ NS ns1\n@ NS ns2\n@ NS ns.disparu.lab.\nns1 A {lab.address}\nns2 A {second}\n")
    lab.start()
    res = lab_scan(lab, "boiteux.lab", "trois.lab", families=("dns",))
    lame = res["boiteux.lab"]["dns.ns.redundancy"]
    assert lame.status.value == "fail" and lame.evidence["without_address"] == ["ns.disparu.lab"]
    three = res["trois.lab"]["dns.ns.redundancy"]
    assert three.status.value == "warn" and three.evidence["without_address"] == ["ns.disparu.lab"]


def test_a_name_inside_a_zone_is_judged_on_its_zone(knot_lab, lab_scan):
    lab = knot_lab()
    lab.add_zone("lab.", "", signed=True)
    lab.add_zone("ville.lab.", '@ CAA 0 issue "letsencrypt.org"\nservices A 192.0.2.5\n', signed=True)
    lab.start()
    res = lab_scan(lab, "services.ville.lab", families=("dns",))["services.ville.lab"]
    assert res["dns.zone.resolves"].evidence["zone"] == "ville.lab"
    sec = res["dns.dnssec.valid"]
    assert sec.status.value == "pass" and sec.evidence["zone"] == "ville.lab"  # no false "unsigned"
    assert res["dns.caa.present"].evidence["owner"] == "ville.lab"  # CAA found by climbing
    assert res["dns.caa.present"].status.value == "pass"
    assert res["dns.ns.redundancy"].evidence["zone"] == "ville.lab"
