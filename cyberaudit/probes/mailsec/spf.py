"""SPF (RFC 7208): record selection, strict syntax, and the lookup-limit tree.

`parse(text)` is pure. `expand(domain, txt, exists)` walks include/redirect with two
injected coroutines (the probe's DNS), so this module does no network I/O itself:

    txt(name)    -> (status, [bytes, ...])     status: ok|nodata|nxdomain|timeout|servfail|...
    exists(name, kind) -> (status, count)       kind: "a" | "mx"; count = records found

Counting (RFC 7208 §4.6.4): include, a, mx, ptr, exists and redirect each cost one DNS
lookup, summed over the terms evaluation reaches in the whole include tree (nothing after `all`);
more than 10 is a permerror. Lookups that
return no answer (NXDOMAIN or no data) are "void": more than 2 is a permerror. An mx
with more than 10 MX names is a permerror too. Loops are permerrors.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .spf_syntax import MECHANISMS, Record, SpfError, Term, parse_record

__all__ = ["MECHANISMS", "Record", "SpfError", "Term", "expand", "parse", "select", "verdict"]

LOOKUP_LIMIT = 10
VOID_LIMIT = 2
MAX_NODES = 200  # bound on the expanded tree
MAX_DEPTH = 12
COSTLY = {"include", "a", "mx", "ptr", "exists"}
FAILED = {"timeout", "servfail", "refused", "error"}


def is_spf(text: str) -> bool:
    low = text.lower()
    return low == "v=spf1" or low.startswith("v=spf1 ")


def select(texts: list[str]) -> list[str]:
    """The SPF records among a name's TXT strings (RFC 7208 §4.5)."""
    return [t for t in texts if is_spf(t)]


def parse(text: str) -> Record:
    """Strict parse of one SPF record (RFC 7208 §12); raises SpfError on any syntax error."""
    return parse_record(text)


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
    permerrors: list[dict] = field(default_factory=list)  # {domain, message, section[, term, position, index]}

    def permerror(self, domain: str, message: str, section: str, **where) -> None:
        self.errors.append(f"{domain}: {message}")
        self.permerrors.append({"domain": domain, "message": message, "section": f"RFC 7208 §{section}", **where})


async def expand(domain: str, top: str, txt, exists) -> Tree:
    """Expand the include/redirect tree of the SPF record `top` published at `domain`.

    Only terms that evaluation reaches for a sender no mechanism matches are followed and counted
    (RFC 7208 §5.1: nothing after `all` is evaluated; redirect is ignored when there is an `all`)."""
    tree = Tree(root=Node(domain, record=top))
    await _walk(tree, tree.root, top, [domain.lower()], 0, txt, exists)
    return tree


async def _walk(tree: Tree, node: Node, text: str, path: list[str], depth: int, txt, exists) -> None:
    tree.nodes += 1
    try:
        rec = parse(text)
    except SpfError as exc:
        node.error = f"syntax: {exc}"
        where = {k: v for k, v in exc.as_dict().items() if k in ("term", "position", "index")}
        tree.permerror(node.domain, f"syntax: {exc}", exc.section, **where)
        return
    targets: list[tuple[str, str]] = []
    for term in rec.evaluated():
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
                tree.permerror(node.domain, f"mx:{spec} has {count} MX names (> 10)", "4.6.4")
    if rec.all is None and rec.redirect is not None:
        node.lookups += 1
        targets.append(("redirect", rec.redirect))
    tree.lookups += node.lookups
    for via, target in targets:
        await _follow(tree, node, via, target, path, depth, txt, exists)


async def _follow(tree: Tree, node: Node, via: str, target: str, path: list[str], depth: int, txt, exists) -> None:
    child = Node(target.lower().rstrip("."), via=via)
    node.children.append(child)
    if "%" in target:
        child.error = "macro (not expanded)"
        return
    if child.domain in path:
        child.error = "loop"
        tree.loop = True
        tree.errors.append(f"loop: {' -> '.join(path + [child.domain])}")
        tree.permerrors.append({"domain": node.domain, "message": f"loop: {' -> '.join(path + [child.domain])}",
                                "section": "RFC 7208 §4.6.4"})
        return
    if depth >= MAX_DEPTH or tree.nodes >= MAX_NODES:
        child.error = "not expanded (bound reached)"
        return
    status, texts = await txt(child.domain)
    if status in FAILED:
        child.error = status
        tree.unknown.append(f"{via}:{child.domain} {status}")
        return
    records = select([t.decode("utf-8", "replace") for t in texts])
    if status in ("nxdomain", "nodata") or not texts:
        tree.void += 1
    if len(records) != 1:
        child.error = "no SPF record" if not records else "several SPF records"
        section = ("5.2" if via == "include" else "6.1") if not records else "4.5"
        tree.errors.append(f"{via}:{child.domain} {child.error}")
        tree.permerrors.append({"domain": node.domain, "message": f"{via}:{child.domain} {child.error}",
                                "section": f"RFC 7208 §{section}", "term": f"{via}{'=' if via == 'redirect' else ':'}"
                                f"{target}"[:60]})
        return
    child.record = records[0]
    await _walk(tree, child, records[0], path + [child.domain], depth + 1, txt, exists)


def verdict(tree: Tree) -> dict:
    """What receivers conclude for a sender that no mechanism lists (the forged mail `-all` is for):
    {"result": "permerror" | "temperror" | "evaluates", "errors": [...]} (RFC 7208 §4.6.4, §5.2, §6.1)."""
    errors = list(tree.permerrors)
    if tree.lookups > LOOKUP_LIMIT:
        errors.append({"domain": tree.root.domain, "message": f"{tree.lookups} DNS lookups (limit {LOOKUP_LIMIT})",
                       "section": "RFC 7208 §4.6.4"})
    if tree.void > VOID_LIMIT:
        errors.append({"domain": tree.root.domain, "message": f"{tree.void} void lookups (limit {VOID_LIMIT})",
                       "section": "RFC 7208 §4.6.4"})
    if errors:
        return {"result": "permerror", "errors": errors[:10]}
    if tree.unknown:
        return {"result": "temperror", "errors": [{"message": u} for u in tree.unknown[:10]]}
    return {"result": "evaluates", "errors": []}


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
