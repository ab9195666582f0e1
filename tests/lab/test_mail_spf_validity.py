"""SPF record validity (RFC 7208 §4.6, §5, §6, §7, §12) against a real knot: every invalid form is a void
policy with its term, position and section; evaluation ending in permerror voids `-all` too."""

from __future__ import annotations

INVALID = {  # zone -> (TXT, offending term, RFC 7208 section)
    "toplabel-dash": ("v=spf1 a:foo-bar -all", "a:foo-bar", "5.3"),
    "toplabel-num": ("v=spf1 a:abc.123 -all", "a:abc.123", "5.3"),
    "one-label": ("v=spf1 ip4:192.0.2.1 a:museum -all", "a:museum", "5.3"),
    "dash-start": ("v=spf1 mx:example.-com -all", "mx:example.-com", "5.4"),
    "port": ("v=spf1 a:example.com:8080 -all", "a:example.com:8080", "5.3"),
    "redirect-all": ("v=spf1 redirect=-all", "redirect=-all", "6.1"),
    "exp-all": ("v=spf1 -all exp=-all", "exp=-all", "6.2"),
    "double-slash": ("v=spf1 ip4:192.0.2.1//32 -all", "ip4:192.0.2.1//32", "5.6"),
    "zero-prefix": ("v=spf1 ip4:192.0.2.0/024 -all", "ip4:192.0.2.0/024", "5.6"),
    "ip6-prefix": ("v=spf1 ip6:2001:db8::/129 -all", "ip6:2001:db8::/129", "5.6"),
    "dual-cidr": ("v=spf1 a/24/64 -all", "a/24/64", "5.3"),
    "macro-c": ("v=spf1 exists:%{c}.x.example.com -all", "exists:%{c}.x.example.com", "5.7"),
    "macro-t": ("v=spf1 -all exp=%{t}.example.com", "exp=%{t}.example.com", "6.2"),
    "unknown-mod": ("v=spf1 -all foo=%z", "foo=%z", "6"),
    "after-all": ("v=spf1 -all ip4:192.0.2.300", "ip4:192.0.2.300", "5.6"),
}


def _zone(txt: str) -> str:
    escaped = txt.replace("\\", "\\\\").replace('"', '\\"')
    return f'@ TXT "{escaped}"\n'


def test_each_invalid_spf_form_voids_the_policy_with_term_position_and_section(knot_lab, lab_scan):
    lab = knot_lab()
    lab.add_zone("lab.", "")
    for name, (txt, _, _) in INVALID.items():
        lab.add_zone(f"{name}.lab.", _zone(txt))
    lab.add_zone("newline.lab.", '@ TXT "v=spf1 ip4:192.0.2.1 -all\\010"\n')  # a term followed by LF
    lab.add_zone("valide.lab.", _zone("v=spf1 a:mail.valide.lab/24//64 ip4:192.0.2.0/24 -all x-y=%{d}"))
    lab.start()
    res = lab_scan(lab, *(f"{n}.lab" for n in INVALID), "newline.lab", "valide.lab", families=("mail",))
    for name, (txt, term, section) in INVALID.items():
        f = res[f"{name}.lab"]["mail.spf.policy"]
        assert f.status.value == "fail", (name, f.detail)
        where = f.evidence["syntax_error"]
        assert where["term"] == term and where["section"] == f"RFC 7208 §{section}", (name, where)
        assert txt[where["position"] - 1:].startswith(term)
        assert f.evidence["receivers"] == "permerror" and "permerror" in f.detail.en and term in f.detail.fr
    nl = res["newline.lab"]["mail.spf.policy"]
    assert nl.status.value == "fail" and "U+000A" in nl.evidence["syntax"]
    valid = res["valide.lab"]["mail.spf.policy"]
    assert valid.status.value == "pass" and valid.evidence["receivers"] == "evaluates"


def test_evaluation_ending_in_permerror_is_not_a_strict_policy(knot_lab, lab_scan):
    lab = knot_lab()
    lab.add_zone("lab.", "")
    lab.add_zone("sans-cible.lab.", _zone("v=spf1 include:absent.sans-cible.lab -all"))
    lab.add_zone("cible-vide.lab.", _zone("v=spf1 include:x.cible-vide.lab -all") + 'x TXT "bonjour"\n')
    lab.add_zone("redir.lab.", _zone("v=spf1 redirect=_spf.redir.lab"))
    lab.add_zone("inclus-faux.lab.", _zone("v=spf1 include:_s.inclus-faux.lab -all")
                 + '_s TXT "v=spf1 ip4:192.0.2.1/33 -all"\n')
    inc = " ".join(f"include:i{i}.trop.lab" for i in range(11))
    lab.add_zone("trop.lab.", _zone(f"v=spf1 {inc} -all")
                 + "".join(f'i{i} TXT "v=spf1 ip4:192.0.2.{i} -all"\n' for i in range(11)))
    lab.add_zone("apres.lab.", _zone(f"v=spf1 ip4:192.0.2.1 -all {inc}"))
    lab.start()
    res = lab_scan(lab, "sans-cible.lab", "cible-vide.lab", "redir.lab", "inclus-faux.lab", "trop.lab", "apres.lab",
                   families=("mail",))
    expect = {"sans-cible.lab": ("include:absent.sans-cible.lab no SPF record", "RFC 7208 §5.2"),
              "cible-vide.lab": ("include:x.cible-vide.lab no SPF record", "RFC 7208 §5.2"),
              "redir.lab": ("redirect:_spf.redir.lab no SPF record", "RFC 7208 §6.1"),
              "inclus-faux.lab": ("prefix length '/33'", "RFC 7208 §5.6"),
              "trop.lab": ("11 DNS lookups", "RFC 7208 §4.6.4")}
    for domain, (message, section) in expect.items():
        f = res[domain]["mail.spf.policy"]
        assert f.status.value == "fail" and f.evidence["receivers"] == "permerror", (domain, f.detail)
        assert any(message in e["message"] and e["section"] == section for e in f.evidence["errors"]), f.evidence
        assert "void" in f.detail.en and "sans effet" in f.detail.fr
    # terms after -all are never evaluated (RFC 7208 §5.1): 11 includes there cost nothing
    assert res["apres.lab"]["mail.spf.policy"].status.value == "pass"
    assert res["apres.lab"]["mail.spf.lookup_limit"].evidence["lookups"] == 0
