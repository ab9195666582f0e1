"""SPF syntax to the letter of RFC 7208 §12 (ABNF): each invalid form, with its term, position and section."""

from __future__ import annotations

import pytest

from cyberaudit.probes.mailsec.spf_syntax import SpfError, domain_spec_problem, macro_problem, parse_record

VALID = [
    "v=spf1 a:foo.example.com. -all", "v=spf1 a//0 -all", "v=spf1 ip6:::FFFF:192.0.2.1/0", "v=spf1 a:foo.com//32",
    "v=spf1 include:_spfh.%{d2}. -all", "v=spf1 exists:%{ir}.%{v}._spf.%{d} -all", "v=spf1 a:%{d}/24 -all",
    "v=spf1 -all x=%{c}", "v=spf1 a:e-x.c0m -all", "v=spf1 mx:x.xn--abc -all", "v=spf1 -all ",
    "v=spf1 a:a.%{s}.%-%_%%.%{d1r}.foo.com", "v=spf1 ip4:0.0.0.0/0 ip6:::/128 -all", "v=spf1 ptr:foo.com -all",
    "v=spf1 exp=%{l}.%{d} -all", "v=spf1 foo= -all", "v=spf1 x-foo.bar_baz=%{l} -all", "v=spf1 a:A.B.C/32//128",
    "v=spf1 ip4:255.255.255.255/32 -all",
]
INVALID = [  # (record, offending term, what the message names, RFC 7208 section)
    ("v=spf1 a:foo-bar -all", "a:foo-bar", "single label", "5.3"),
    ("v=spf1 a:abc.123 -all", "a:abc.123", "top-level label '123'", "5.3"),
    ("v=spf1 a:museum -all", "a:museum", "single label", "5.3"),
    ("v=spf1 a:museum. -all", "a:museum.", "single label", "5.3"),
    ("v=spf1 mx:example.-com -all", "mx:example.-com", "top-level label '-com'", "5.4"),
    ("v=spf1 a:example.com- -all", "a:example.com-", "top-level label 'com-'", "5.3"),
    ("v=spf1 a:example.com:8080 -all", "a:example.com:8080", "com:8080", "5.3"),
    ("v=spf1 a:192.0.2.4 -all", "a:192.0.2.4", "top-level label '4'", "5.3"),
    ("v=spf1 include:example.com/24 -all", "include:example.com/24", "com/24", "5.2"),
    ("v=spf1 redirect=-all", "redirect=-all", "single label", "6.1"),
    ("v=spf1 -all exp=-all", "exp=-all", "single label", "6.2"),
    ("v=spf1 ip4:192.0.2.4//32 -all", "ip4:192.0.2.4//32", "prefix length '//32'", "5.6"),
    ("v=spf1 ip4:192.0.2.4/032 -all", "ip4:192.0.2.4/032", "prefix length '/032'", "5.6"),
    ("v=spf1 ip4:192.0.2.4/33 -all", "ip4:192.0.2.4/33", "prefix length '/33'", "5.6"),
    ("v=spf1 ip4:192.0.2.4/ -all", "ip4:192.0.2.4/", "prefix length '/'", "5.6"),
    ("v=spf1 ip6:2001:db8::/129 -all", "ip6:2001:db8::/129", "prefix length '/129'", "5.6"),
    ("v=spf1 ip6:2001:db8::/064 -all", "ip6:2001:db8::/064", "prefix length '/064'", "5.6"),
    ("v=spf1 ip4:192.0.2.04 -all", "ip4:192.0.2.04", "leading zero", "5.6"),
    ("v=spf1 ip4:2001:db8::1 -all", "ip4:2001:db8::1", "family", "5.6"),
    ("v=spf1 ip6:192.0.2.1 -all", "ip6:192.0.2.1", "family", "5.6"),
    ("v=spf1 ip6:fe80::1%eth0 -all", "ip6:fe80::1%eth0", "bad address", "5.6"),
    ("v=spf1 a/33 -all", "a/33", "prefix length '/33'", "5.3"),
    ("v=spf1 mx//129 -all", "mx//129", "prefix length '//129'", "5.4"),
    ("v=spf1 a/024 -all", "a/024", "prefix length '/024'", "5.3"),
    ("v=spf1 a:foo.com/24/64 -all", "a:foo.com/24/64", "bad", "5.3"),
    ("v=spf1 ptr/24 -all", "ptr/24", "no prefix length", "5.5"),
    ("v=spf1 ptr:foo.com/24 -all", "ptr:foo.com/24", "no prefix length", "5.5"),
    ("v=spf1 exists:%{c}.foo.com -all", "exists:%{c}.foo.com", "only in explanation", "5.7"),
    ("v=spf1 include:%{r}.foo.com -all", "include:%{r}.foo.com", "only in explanation", "5.2"),
    ("v=spf1 a:%{t}.foo.com -all", "a:%{t}.foo.com", "only in explanation", "5.3"),
    ("v=spf1 -all exp=%{c}.foo.com", "exp=%{c}.foo.com", "only in explanation", "6.2"),
    ("v=spf1 exists:%{d0}.foo.com -all", "exists:%{d0}.foo.com", "nonzero", "5.7"),
    ("v=spf1 exists:%{x}.foo.com -all", "exists:%{x}.foo.com", "bad macro", "5.7"),
    ("v=spf1 exists:%{i}.foo.com% -all", "exists:%{i}.foo.com%", "'%' must be followed", "5.7"),
    ("v=spf1 -all foo=%z", "foo=%z", "valid macro-string", "6"),
    ("v=spf1 -all foo=%{q}", "foo=%{q}", "valid macro-string", "6"),
    ("v=spf1 -all =all", "=all", "unknown mechanism", "4.6.1"),
    ("v=spf1 -all 1x=foo", "1x=foo", "unknown mechanism", "4.6.1"),
    ("v=spf1 -redirect=a.example.com", "-redirect=a.example.com", "unknown mechanism", "4.6.1"),
    ("v=spf1 all:foo.com", "all:foo.com", "no argument", "5.1"),
    ("v=spf1 -all\n", "-all\n", "U+000A outside the grammar", "12"),
    ("v=spf1 a\t-all", "a\t-all", "U+0009 outside the grammar", "12"),
    ("v=spf1 a:foo.com\x7f -all", "a:foo.com\x7f", "U+007F outside the grammar", "12"),
    ("v=spf1 redirect=a.example.com redirect=b.example.com", "redirect=b.example.com", "duplicate", "6"),
]


@pytest.mark.parametrize("text", VALID)
def test_valid_forms_of_the_abnf_parse(text):
    parse_record(text)


@pytest.mark.parametrize("text,term,what,section", INVALID)
def test_each_invalid_form_names_term_position_and_section(text, term, what, section):
    with pytest.raises(SpfError) as info:
        parse_record(text)
    exc = info.value
    assert exc.term == term
    assert text[exc.position - 1:].startswith(term)
    assert what in str(exc)
    assert exc.as_dict()["section"] == f"RFC 7208 §{section}"


def test_error_after_all_is_still_an_error_and_the_index_counts_terms():
    with pytest.raises(SpfError) as info:
        parse_record("v=spf1  ip4:192.0.2.1 -all  a:museum")
    assert (info.value.index, info.value.position) == (3, 29)


def test_dual_cidr_and_networks_are_kept():
    rec = parse_record("v=spf1 a:mail.example.com/24//64 mx//48 ip4:192.0.2.0/24 ip6:2001:db8::/32")
    a, mx, ip4, ip6 = rec.terms
    assert (a.value, a.cidr4, a.cidr6) == ("mail.example.com", 24, 64)
    assert (mx.value, mx.cidr4, mx.cidr6) == (None, None, 48)
    assert ip4.value == "192.0.2.0/24" and ip6.value == "2001:db8::/32"


def test_evaluated_terms_stop_at_all():
    rec = parse_record("v=spf1 a -all include:x.example.com redirect=y.example.com")
    assert [t.name for t in rec.evaluated()] == ["a", "all"]


def test_helpers():
    assert domain_spec_problem("%{d}") is None and domain_spec_problem("x.%{d}.") is None
    assert "empty label" in domain_spec_problem("a..example.com")
    assert macro_problem("%{c}.%{r}.%{t}", explanation=True) is None
    assert "explanation" in macro_problem("%{c}")
