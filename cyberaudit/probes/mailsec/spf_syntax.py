"""SPF record syntax exactly as the ABNF of RFC 7208 §12 (pure, no I/O).

    record = parse_record("v=spf1 a:mail.exemple.fr/24 -all")   # -> Record, or raises SpfError
    exc.term, exc.position, exc.index, exc.section               # what receivers reject, and where

Any syntax error anywhere in the record makes check_host() return permerror before any term is
evaluated (RFC 7208 §4.6), whatever the client address: the parser checks every term, including those
after `all`. Rules applied to the letter:

* terms are separated by SP only (0x20); any other character outside %x21-7E is outside the grammar;
* domain-spec = macro-string domain-end, domain-end = "." toplabel ["."] / macro-expand (one trailing dot
  after a macro is accepted, as the public RFC 7208 test suite does); toplabel has a letter, or hyphens
  only inside; an empty label (leading dot, "..") is refused (a query cannot be made from it);
* ip4-network is a dotted quad without leading zeros; ip4-cidr-length "/" (0 / 1-9 DIGIT), 0-32;
  ip6-cidr-length likewise, 0-128, no leading zero; `a` and `mx` take a dual-cidr-length
  ([ip4-cidr] ["/" ip6-cidr]); ip4 takes only an ip4 prefix, ip6 only an ip6 prefix; ptr none;
* macro letters c, r, t are allowed only in explanation text (§7.1), never in a domain-spec; a DIGIT
  transformer must be nonzero (§7.1); `%` is followed by `{`, `%`, `_` or `-`;
* an unknown modifier (name = ALPHA *(ALPHA / DIGIT / "-" / "_" / ".")) needs a valid macro-string;
  redirect and exp appear at most once (§6).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

MECHANISMS = ("all", "include", "a", "mx", "ptr", "ip4", "ip6", "exists")
SECTIONS = {"all": "5.1", "include": "5.2", "a": "5.3", "mx": "5.4", "ptr": "5.5", "ip4": "5.6", "ip6": "5.6",
            "exists": "5.7", "redirect": "6.1", "exp": "6.2"}
_MODIFIER = re.compile(r"^([A-Za-z][A-Za-z0-9_.\-]*)=(.*)$", re.S)
_DIRECTIVE = re.compile(r"^([+\-~?]?)([A-Za-z][A-Za-z0-9]*)(.*)$", re.S)
_QNUM = r"(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9][0-9]|[0-9])"
_IP4 = re.compile(rf"^{_QNUM}(?:\.{_QNUM}){{3}}$")
_CIDR = r"(?:0|[1-9][0-9]{0,2})"
_DUAL = re.compile(rf"(?:/({_CIDR}))?(?://({_CIDR}))?$")
_LOOSE_CIDR = re.compile(r"(/[^/]*)?(//[^/]*)?$")
_TOPLABEL = re.compile(r"^(?:[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*|[A-Za-z0-9]+-[A-Za-z0-9\-]*[A-Za-z0-9])$")
_MACRO_BODY = re.compile(r"^([A-Za-z])([0-9]*)([rR]?)([.\-+,/_=]*)$")
MACRO_LETTERS = set("slodiphcrtv")
EXP_ONLY = set("crt")
MAX_SHOWN = 60


class SpfError(ValueError):
    """A syntax error: receivers return permerror. `term`, `position` (1-based character offset in the
    record), `index` (1-based term number), `section` (RFC 7208 section) say what and where."""

    def __init__(self, message: str, term: str = "", position: int = 0, index: int = 0,
                 section: str = "4.6") -> None:
        super().__init__(message)
        self.term, self.position, self.index, self.section = term[:MAX_SHOWN], position, index, section

    def as_dict(self) -> dict:
        return {"message": str(self), "term": self.term, "position": self.position, "index": self.index,
                "section": f"RFC 7208 §{self.section}"}


@dataclass
class Term:
    qualifier: str  # + - ~ ?
    name: str  # mechanism or modifier name, lower case
    value: str | None = None  # domain-spec (a, mx, ptr, include, exists, modifiers) or network (ip4, ip6)
    modifier: bool = False
    cidr4: int | None = None
    cidr6: int | None = None
    position: int = 0


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

    def evaluated(self) -> list[Term]:
        """Mechanisms that evaluation can reach: those before the first `all` (§5.1)."""
        out = []
        for t in self.terms:
            if t.modifier:
                continue
            out.append(t)
            if t.name == "all":
                break
        return out


def macro_problem(text: str, *, explanation: bool = False) -> str | None:
    """Why `text` is not a macro-string (§7.1), or None. c, r, t only when `explanation`."""
    i = 0
    while i < len(text):
        ch = text[i]
        if not "\x21" <= ch <= "\x7e":
            return f"character {_show(ch)} outside the grammar"
        if ch != "%":
            i += 1
            continue
        nxt = text[i + 1:i + 2]
        if nxt in ("%", "_", "-"):
            i += 2
            continue
        if nxt != "{":
            return "'%' must be followed by '{', '%', '_' or '-' (bad macro)"
        end = text.find("}", i)
        if end < 0:
            return "unclosed macro '%{'"
        m = _MACRO_BODY.match(text[i + 2:end])
        if not m or m.group(1).lower() not in MACRO_LETTERS:
            return f"bad macro {text[i:end + 1]!r}"
        if m.group(1).lower() in EXP_ONLY and not explanation:
            return f"macro letter {m.group(1)!r} is allowed only in explanation text (bad macro)"
        if m.group(2) and int(m.group(2)) == 0:
            return f"macro {text[i:end + 1]!r}: a DIGIT transformer must be nonzero (bad macro)"
        i = end + 1
    return None


def _ends_with_macro(text: str) -> bool:
    if text.endswith("}"):
        start = text.rfind("%{")
        return start >= 0 and "}" not in text[start:-1] and _MACRO_BODY.match(text[start + 2:-1]) is not None
    return len(text) >= 2 and text[-2] == "%" and text[-1] in "%_-" and (len(text) < 3 or text[-3] != "%")


def domain_spec_problem(text: str) -> str | None:
    """Why `text` is not a domain-spec (macro-string domain-end), or None."""
    if not text:
        return "empty domain"
    bad = macro_problem(text)
    if bad:
        return bad
    core = text[:-1] if text.endswith(".") else text
    if _ends_with_macro(core):
        return None
    if text.startswith(".") or ".." in text:
        return "empty label in domain"
    dot = core.rfind(".")
    if dot < 0:
        return "domain must end with '.' and a top-level label, or a macro (single label)"
    if not _TOPLABEL.match(core[dot + 1:]):
        return f"bad top-level label {core[dot + 1:][:30]!r} in domain"
    return None


def _show(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def _cidr_ok(value: str | None, limit: int) -> bool:
    return value is None or int(value) <= limit


def _split_dual(rest: str) -> tuple[str | None, int | None, int | None, str | None]:
    """a/mx argument after the name: ([":" domain-spec] dual-cidr) -> (domain, cidr4, cidr6, problem)."""
    spec_part = rest[1:] if rest.startswith(":") else None
    if rest and not rest.startswith((":", "/")):
        return None, None, None, "unknown mechanism"
    body = spec_part if spec_part is not None else rest
    # every split whose suffix is a strict dual-cidr-length, longest cidr first
    for cut in range(len(body) + 1) if spec_part is not None else (0,):
        m = _DUAL.fullmatch(body[cut:]) if body[cut:] else None
        if body[cut:] and (m is None or not (_cidr_ok(m.group(1), 32) and _cidr_ok(m.group(2), 128))):
            continue
        domain = body[:cut] if spec_part is not None else None
        if domain is not None and domain_spec_problem(domain):
            continue
        c4 = int(m.group(1)) if m and m.group(1) else None
        c6 = int(m.group(2)) if m and m.group(2) else None
        return domain, c4, c6, None
    loose = _LOOSE_CIDR.search(body)
    head = body[:loose.start()] if loose and loose.group(0) else body
    if spec_part is None or (loose and loose.group(0) and not domain_spec_problem(head)):
        return None, None, None, f"bad prefix length {body[len(head):][:20]!r} (ip4 0-32, ip6 0-128, no leading zero)"
    return None, None, None, domain_spec_problem(head) or domain_spec_problem(body) or "bad domain"


def _ip_term(name: str, rest: str) -> tuple[str, int | None, str | None]:
    if not rest.startswith(":") or len(rest) < 2:
        return "", None, f"{name} needs an address"
    network, slash, cidr = rest[1:].partition("/")
    limit = 32 if name == "ip4" else 128
    if slash and not re.fullmatch(_CIDR, cidr) or slash and int(cidr) > limit:
        return network, None, f"bad prefix length '/{cidr[:10]}' ({name}: 0-{limit}, no leading zero, one '/')"
    if name == "ip4":
        if not _IP4.match(network):
            try:
                ipaddress.IPv6Address(network)
                return network, None, "wrong address family: an IPv6 address in ip4"
            except ValueError:
                return network, None, f"bad address {network[:40]!r} (dotted quad, no leading zero)"
    else:
        try:
            if "%" in network or not re.fullmatch(r"[0-9A-Fa-f:.]+", network):
                raise ValueError
            ipaddress.IPv6Address(network)
        except ValueError:
            if _IP4.match(network):
                return network, None, "wrong address family: an IPv4 address in ip6"
            return network, None, f"bad address {network[:40]!r} (RFC 4291 §2.2)"
    return network, (int(cidr) if slash else None), None


def _ptr_problem(rest: str) -> str | None:
    if not rest:
        return None
    if rest.startswith("/"):
        return "ptr takes no prefix length"
    if not rest.startswith(":"):
        return "unknown mechanism"
    bad = domain_spec_problem(rest[1:])
    if bad and "/" in rest and not domain_spec_problem(rest[1:rest.rfind("/")]):
        return "ptr takes no prefix length"
    return f"{bad} (bad domain)" if bad else None


def parse_term(raw: str) -> Term:
    """One term (no spaces); raises SpfError (without position: parse_record adds it)."""
    for ch in raw:
        if not "\x21" <= ch <= "\x7e":
            raise SpfError(f"character {_show(ch)} outside the grammar in {raw[:MAX_SHOWN]!r}", raw, section="12")
    m = _MODIFIER.match(raw)
    if m:
        name, value = m.group(1).lower(), m.group(2)
        if name in ("redirect", "exp"):
            bad = domain_spec_problem(value)
            if bad:
                raise SpfError(f"{name}: {bad} in {raw[:MAX_SHOWN]!r}", raw, section=SECTIONS[name])
        else:
            bad = macro_problem(value, explanation=True)
            if bad:
                raise SpfError(f"unknown modifier {name} needs a valid macro-string: {bad}", raw, section="6")
        return Term("+", name, value, modifier=True)
    m = _DIRECTIVE.match(raw)
    if not m or m.group(2).lower() not in MECHANISMS:
        raise SpfError(f"unknown mechanism {raw[:MAX_SHOWN]!r}", raw, section="4.6.1")
    qual, name, rest = m.group(1) or "+", m.group(2).lower(), m.group(3)
    section = SECTIONS[name]
    if name == "all":
        if rest:
            raise SpfError(f"all takes no argument: {raw[:MAX_SHOWN]!r}", raw, section=section)
        return Term(qual, name)
    if name in ("include", "exists"):
        bad = "needs ':' and a domain" if not rest.startswith(":") else domain_spec_problem(rest[1:])
        if bad:
            raise SpfError(f"{name}: {bad} in {raw[:MAX_SHOWN]!r} (bad domain)", raw, section=section)
        return Term(qual, name, rest[1:])
    if name in ("ip4", "ip6"):
        network, cidr, bad = _ip_term(name, rest)
        if bad:
            raise SpfError(f"{name}: {bad} in {raw[:MAX_SHOWN]!r}", raw, section=section)
        value = network if cidr is None else f"{network}/{cidr}"
        return Term(qual, name, value, cidr4=cidr if name == "ip4" else None, cidr6=cidr if name == "ip6" else None)
    if name == "ptr":
        bad = _ptr_problem(rest)
        if bad:
            raise SpfError(f"ptr: {bad} in {raw[:MAX_SHOWN]!r}", raw, section=section)
        return Term(qual, name, rest[1:] if rest else None)
    domain, c4, c6, bad = _split_dual(rest)
    if bad:
        what = "bad domain" if "prefix" not in bad else "prefix"
        raise SpfError(f"{name}: {bad} in {raw[:MAX_SHOWN]!r} ({what})", raw, section=section)
    return Term(qual, name, domain, cidr4=c4, cidr6=c6)


def parse_record(text: str) -> Record:
    """Strict parse of one SPF record; raises SpfError with the term, its position and the RFC section."""
    if not text.isascii():
        bad = next(i for i, ch in enumerate(text) if not ch.isascii())
        raise SpfError(f"non-ASCII character {_show(text[bad])} in record", text[max(0, bad - 10):bad + 10],
                       bad + 1, section="12")
    version, sep, _ = text.partition(" ")
    if version.lower() != "v=spf1":
        raise SpfError("record does not start with v=spf1 followed by a space", version, 1, section="4.5")
    terms: list[Term] = []
    seen: set[str] = set()
    pos, index = len(version) + 1, 0
    for raw in text[len(version) + 1:].split(" ") if sep else []:
        start = pos + 1
        pos += len(raw) + 1
        if raw == "":
            continue  # 1*SP between terms, *SP at the end
        index += 1
        try:
            term = parse_term(raw)
        except SpfError as exc:
            raise SpfError(str(exc), raw, start, index, exc.section) from None
        if term.modifier and term.name in ("redirect", "exp"):
            if term.name in seen:
                raise SpfError(f"duplicate modifier {term.name}", raw, start, index, section="6")
            seen.add(term.name)
        term.position = start
        terms.append(term)
    return Record(terms)
