"""SPF (RFC 7208): record selection, strict syntax, and the lookup-limit tree.

`parse(text)` is pure. `expand(domain, txt, exists)` walks include/redirect with two
injected coroutines (the probe's DNS), so this module does no network I/O itself:

    txt(name)    -> (status, [bytes, ...])     status: ok|nodata|nxdomain|timeout|servfail|...
    exists(name, kind) -> (status, count)       kind: "a" | "mx"; count = records found

Counting (RFC 7208 §4.6.4): include, a, mx, ptr, exists and redirect each cost one DNS
lookup, summed over the whole include tree; more than 10 is a permerror. Lookups that
return no answer (NXDOMAIN or no data) are "void": more than 2 is a permerror. An mx
with more than 10 MX names is a permerror too. Loops are permerrors.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field

LOOKUP_LIMIT = 10
VOID_LIMIT = 2
MAX_NODES = 200  # bound on the expanded tree
MAX_DEPTH = 12
MECHANISMS = {"all", "include", "a", "mx", "ptr", "ip4", "ip6", "exists"}
COSTLY = {"include", "a", "mx", "ptr", "exists"}
_DOMAIN_SPEC = re.compile(r"^[\x21-\x7e]+$")
_MODIFIER = re.compile(r"^([a-z][a-z0-9_.-]*)=(.*)$", re.I)
_MECH = re.compile(r"^([+\-~?]?)([a-z0-9]+)(?::(.*?))?(/\d+)?(//\d+)?$", re.I)
_MACRO = re.compile(r"%(\{[slodiphcrtv]\d*r?[.\-+,/_=]*\}|[%_-])", re.I)
FAILED = {"timeout", "servfail", "refused", "error"}


class SpfError(ValueError):
    """Syntax error (permerror)."""


@dataclass
class Term:
    qualifier: str  # + - ~ ?
    name: str  # mechanism or modifier name
    value: str | None = None
    modifier: bool = False


@dataclass
class Record:
    terms: list[Term]

    @property
    def all(self) -> str | None:
        for t in self.terms:
            if not t.modifier and t.name == "all":
                return t.qualifier
        return None

    @property
    def redirect(self) -> str | None:
        return next((t.value for t in self.terms if t.modifier and t.name == "redirect"), None)


def is_spf(text: str) -> bool:
    low = text.lower()
    return low == "v=spf1" or low.startswith("v=spf1 ")


def select(texts: list[str]) -> list[str]:
    """The SPF records among a name's TXT strings (RFC 7208 §4.5)."""
    return [t for t in texts if is_spf(t.strip())]


def parse(text: str) -> Record:
    """Strict parse of one SPF record; raises SpfError on any syntax error."""
    if not text.isascii():
        raise SpfError("non-ASCII character in record")
    parts = text.split(" ")
    if parts[0].lower() != "v=spf1":
        raise SpfError("record does not start with v=spf1")
    terms: list[Term] = []
    seen_mod: set[str] = set()
    for raw in parts[1:]:
        if raw == "":
            continue  # multiple spaces are tolerated
        m = _MODIFIER.match(raw)
        if m and ":" not in m.group(1):
            name, value = m.group(1).lower(), m.group(2)
            if name in ("redirect", "exp"):
                if name in seen_mod:
                    raise SpfError(f"duplicate modifier {name}")
                _check_domain_spec(value, raw)
            seen_mod.add(name)
            terms.append(Term("+", name, value, modifier=True))
            continue
        m = _MECH.match(raw)
        if not m or m.group(2).lower() not in MECHANISMS:
            raise SpfError(f"unknown mechanism {raw[:60]!r}")
        qual, name, arg, cidr4, cidr6 = m.group(1) or "+", m.group(2).lower(), m.group(3), m.group(4), m.group(5)
        if name == "all":
            if arg is not None or cidr4 or cidr6:
                raise SpfError("all takes no argument")
        elif name in ("include", "exists"):
            if not arg or cidr4 or cidr6:
                raise SpfError(f"{name} needs a domain")
            _check_domain_spec(arg, raw)
        elif name in ("ip4", "ip6"):
            value = (arg or "") + (cidr4 or "") if name == "ip4" else (arg or "") + (cidr4 or "")
            try:
                net = ipaddress.ip_network(value, strict=False)
            except ValueError:
                raise SpfError(f"bad address in {raw[:60]!r}") from None
            if (name == "ip4") != (net.version == 4):
                raise SpfError(f"wrong address family in {raw[:60]!r}")
            arg = value
        elif name in ("a", "mx", "ptr"):
            if arg is not None:
                if arg == "":
                    raise SpfError(f"empty domain in {raw[:60]!r}")
                _check_domain_spec(arg, raw)
            if name == "ptr" and (cidr4 or cidr6):
                raise SpfError("ptr takes no prefix length")
            if cidr4 and int(cidr4[1:]) > 32 or cidr6 and int(cidr6[2:]) > 128:
                raise SpfError(f"prefix length out of range in {raw[:60]!r}")
        terms.append(Term(qual, name, arg))
    return Record(terms)


def _check_domain_spec(value: str, raw: str) -> None:
    if not value or not _DOMAIN_SPEC.match(value) or value.startswith(".") or ".." in value:
        raise SpfError(f"bad domain in {raw[:60]!r}")
    if "%" in value and "%" in _MACRO.sub("", value):
        raise SpfError(f"bad macro in {raw[:60]!r}")


@dataclass
class Node:
    domain: str
    record: str | None = None
    lookups: int = 0  # lookups caused by this record's own terms
    children: list[Node] = field(default_factory=list)
    error: str | None = None
    via: str = "top"  # include | redirect | top

    def as_dict(self) -> dict:
        d = {"domain": self.domain, "via": self.via, "lookups": self.lookups}
        if self.record is not None:
            d["record"] = self.record[:512]
        if self.error:
            d["error"] = self.error
        if self.children:
            d["children"] = [c.as_dict() for c in self.children]
        return d


@dataclass
class Tree:
    root: Node
    lookups: int = 0
    void: int = 0
    errors: list[str] = field(default_factory=list)  # permerrors found in the tree
    unknown: list[str] = field(default_factory=list)  # DNS failures (cannot conclude)
    loop: bool = False
    nodes: int = 0


async def expand(domain: str, top: str, txt, exists) -> Tree:
    """Expand the include/redirect tree of the SPF record `top` published at `domain`."""
    tree = Tree(root=Node(domain, record=top))
    await _walk(tree, tree.root, top, [domain.lower()], 0, txt, exists)
    return tree


async def _walk(tree: Tree, node: Node, text: str, path: list[str], depth: int, txt, exists) -> None:
    tree.nodes += 1
    try:
        rec = parse(text)
    except SpfError as exc:
        node.error = f"syntax: {exc}"
        tree.errors.append(f"{node.domain}: {exc}")
        return
    targets: list[tuple[str, str]] = []
    for term in rec.terms:
        if term.modifier:
            if term.name == "redirect" and rec.all is None:
                node.lookups += 1
                targets.append(("redirect", term.value))
            continue
        if term.name not in COSTLY:
            continue
        node.lookups += 1
        spec = term.value or node.domain
        if term.name == "include":
            targets.append(("include", spec))
        elif "%" in spec:
            continue  # macro: depends on the sender, not expandable statically
        elif term.name in ("a", "mx", "exists"):
            status, count = await exists(spec, "mx" if term.name == "mx" else "a")
            if status in FAILED:
                tree.unknown.append(f"{term.name}:{spec} {status}")
            elif count == 0:
                tree.void += 1
            elif term.name == "mx" and count > 10:
                tree.errors.append(f"{node.domain}: mx:{spec} has {count} MX names (> 10)")
    tree.lookups += node.lookups
    for via, target in targets:
        child = Node(target.lower().rstrip("."), via=via)
        node.children.append(child)
        if "%" in target:
            child.error = "macro (not expanded)"
            continue
        if child.domain in path:
            child.error = "loop"
            tree.loop = True
            tree.errors.append(f"loop: {' -> '.join(path + [child.domain])}")
            continue
        if depth >= MAX_DEPTH or tree.nodes >= MAX_NODES:
            child.error = "not expanded (bound reached)"
            continue
        status, texts = await txt(child.domain)
        if status in FAILED:
            child.error = status
            tree.unknown.append(f"{via}:{child.domain} {status}")
            continue
        records = select([t.decode("utf-8", "replace") for t in texts])
        if status in ("nxdomain", "nodata") or not texts:
            tree.void += 1
        if len(records) != 1:
            child.error = "no SPF record" if not records else "several SPF records"
            tree.errors.append(f"{via}:{child.domain} {child.error}")
            continue
        child.record = records[0]
        await _walk(tree, child, records[0], path + [child.domain], depth + 1, txt, exists)


def effective_all(tree: Tree) -> str | None:
    """The qualifier of `all` that ends evaluation (following redirect when there is no all)."""
    node = tree.root
    for _ in range(MAX_DEPTH):
        if node.record is None:
            return None
        try:
            rec = parse(node.record)
        except SpfError:
            return None
        if rec.all is not None:
            return rec.all
        nxt = next((c for c in node.children if c.via == "redirect"), None)
        if nxt is None:
            return None
        node = nxt
    return None
