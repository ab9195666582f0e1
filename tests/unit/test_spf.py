"""SPF parser and include-tree evaluator (RFC 7208), with in-memory DNS answers."""

from __future__ import annotations

import asyncio

import pytest

from cyberaudit.probes.mailsec import spf


@pytest.mark.parametrize("text", [
    "v=spf1 -all", "v=spf1", "V=SPF1 mx a:mail.exemple.fr/24 ip4:192.0.2.0/24 ip6:2001:db8::/32 ~all",
    "v=spf1 a/24//64 mx:exemple.fr/28 include:_spf.exemple.fr ?all", "v=spf1  redirect=_spf.exemple.fr",
    "v=spf1 exists:%{i}._spf.exemple.fr -all", "v=spf1 ptr -all", "v=spf1 ip4:192.0.2.1 exp=explain.exemple.fr -all",
    "v=spf1 unknown-mod=whatever -all",
])
def test_valid_records(text):
    spf.parse(text)


@pytest.mark.parametrize("text,why", [
    ("v=spf1 ip4:192.0.2.300 -all", "address"), ("v=spf1 ip4:2001:db8::1 -all", "family"),
    ("v=spf1 include -all", "include"), ("v=spf1 all:exemple.fr", "all"), ("v=spf1 foo:bar -all", "unknown"),
    ("v=spf1 redirect=a.fr redirect=b.fr", "duplicate"), ("v=spf1 a/33 -all", "prefix"),
    ("v=spf1 include:%{z}.fr -all", "macro"), ("v=spf1 include:a..fr -all", "domain"),
    ("v=spf1 mx -all é", "ASCII"), ("v=spf10 -all", "v=spf1"), ("v=spf1 ptr/24 -all", "ptr"),
])
def test_syntax_errors(text, why):
    with pytest.raises(spf.SpfError, match=why):
        spf.parse(text)


def test_select_is_exact_about_the_version_tag():
    assert spf.select(["v=spf1 -all", "v=spf10 -all", "x v=spf1", "v=spf1", "google-site-verification=x"]) == [
        "v=spf1 -all", "v=spf1"]


def _dns(txt: dict[str, list[str]], hosts: dict[str, int] | None = None):
    hosts = hosts or {}

    async def fetch_txt(name):
        if name not in txt:
            return "nxdomain", []
        return "ok", [t.encode() for t in txt[name]]

    async def exists(name, kind):
        if name == "lent.fr":
            return "timeout", 0
        return ("ok", hosts[name]) if name in hosts else ("nxdomain", 0)

    return fetch_txt, exists


def expand(domain, txt, hosts=None):
    fetch_txt, exists = _dns(txt, hosts)
    return asyncio.run(spf.expand(domain, txt[domain][0], fetch_txt, exists))


def test_counts_every_costly_mechanism_through_includes():
    tree = expand("a.fr", {
        "a.fr": ["v=spf1 a mx ptr include:b.fr exists:x.a.fr -all"],
        "b.fr": ["v=spf1 ip4:192.0.2.1 include:c.fr redirect=ignored.fr -all"],
        "c.fr": ["v=spf1 a:h.fr ~all"],
    }, {"a.fr": 1, "x.a.fr": 1, "h.fr": 2})
    # a, mx, ptr, include, exists (5) + include (1; redirect ignored next to all) + a (1)
    assert tree.lookups == 7 and tree.void == 0 and not tree.errors
    assert [c.domain for c in tree.root.children] == ["b.fr"]
    assert tree.root.children[0].children[0].domain == "c.fr"
    assert spf.effective_all(tree) == "-"


def test_redirect_counts_and_gives_the_final_all():
    tree = expand("a.fr", {"a.fr": ["v=spf1 redirect=b.fr"], "b.fr": ["v=spf1 mx ~all"]}, {"b.fr": 1})
    assert tree.lookups == 2 and spf.effective_all(tree) == "~"


def test_void_lookups_loops_and_missing_include_targets():
    tree = expand("a.fr", {"a.fr": ["v=spf1 a:x.fr a:y.fr mx:z.fr include:nulle.fr include:a.fr -all"]})
    assert tree.void == 4  # x, y, z, and the include target without any TXT
    assert tree.loop is True
    assert any("nulle.fr no SPF record" in e for e in tree.errors)


def test_dns_failures_are_unknown_not_errors():
    tree = expand("a.fr", {"a.fr": ["v=spf1 a:lent.fr -all"]})
    assert tree.unknown == ["a:lent.fr timeout"] and not tree.errors and tree.void == 0


def test_include_of_several_spf_records_is_an_error_and_mx_limit():
    tree = expand("a.fr", {"a.fr": ["v=spf1 include:b.fr mx:m.fr -all"], "b.fr": ["v=spf1 -all", "v=spf1 ~all"]},
                  {"m.fr": 11})
    assert any("several SPF records" in e for e in tree.errors)
    assert any("11 MX names" in e for e in tree.errors)


def test_tree_is_bounded():
    txt = {f"n{i}.fr": [f"v=spf1 include:n{i + 1}.fr -all"] for i in range(40)}
    tree = expand("n0.fr", txt)
    assert tree.nodes <= spf.MAX_DEPTH + 1
    node, depth = tree.root, 0
    while node.children:
        node, depth = node.children[0], depth + 1
    assert node.error == "not expanded (bound reached)" and depth == spf.MAX_DEPTH + 1


def test_terms_after_all_are_neither_followed_nor_counted():
    tree = expand("a.fr", {"a.fr": ["v=spf1 ip4:192.0.2.1 -all include:b.fr a mx redirect=c.fr"]})
    assert tree.lookups == 0 and tree.root.children == [] and spf.verdict(tree)["result"] == "evaluates"


@pytest.mark.parametrize("records,message,section", [
    ({"a.fr": ["v=spf1 include:absent.fr -all"]}, "include:absent.fr no SPF record", "RFC 7208 §5.2"),
    ({"a.fr": ["v=spf1 include:b.fr -all"], "b.fr": ["bonjour"]}, "include:b.fr no SPF record", "RFC 7208 §5.2"),
    ({"a.fr": ["v=spf1 redirect=absent.fr"]}, "redirect:absent.fr no SPF record", "RFC 7208 §6.1"),
    ({"a.fr": ["v=spf1 include:b.fr -all"], "b.fr": ["v=spf1 a:museum -all"]}, "syntax", "RFC 7208 §5.3"),
    ({"a.fr": ["v=spf1 " + " ".join(f"include:i{i}.fr" for i in range(11)) + " -all"],
      **{f"i{i}.fr": ["v=spf1 ip4:192.0.2.1 -all"] for i in range(11)}}, "11 DNS lookups", "RFC 7208 §4.6.4"),
    ({"a.fr": ["v=spf1 a:x.fr a:y.fr a:z.fr -all"]}, "3 void lookups", "RFC 7208 §4.6.4"),
    ({"a.fr": ["v=spf1 include:b.fr -all"], "b.fr": ["v=spf1 include:a.fr -all"]}, "loop", "RFC 7208 §4.6.4"),
])
def test_evaluation_ending_in_permerror_is_reported_with_its_section(records, message, section):
    result = spf.verdict(expand("a.fr", records))
    assert result["result"] == "permerror"
    assert any(message in e["message"] and e["section"] == section for e in result["errors"]), result


def test_unanswered_lookup_is_a_temperror_not_a_permerror():
    assert spf.verdict(expand("a.fr", {"a.fr": ["v=spf1 a:lent.fr -all"]}))["result"] == "temperror"
