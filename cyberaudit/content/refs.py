"""Every reference the product cites, wherever it is written, and the check that each part resolves.

Origins:
  - questions: `refs`, and the citations written in their texts (« art. 35(3)(c) », « fiche 24 »,
    « mesure 38 », « mesure 8.3 » of ReCyF, « PA-066 R40- », « L252-5 »);
  - probe checks (cyberaudit/checks/, ports.yaml through them) and register rules (register/rules_meta.py);
  - the DPIA screening codes (wp248:1-9, cnil-aipd:1-14, gdpr:35(3)(a-c), cnil-aipd-exemptions:<key>);
  - register templates (measures that are references, DPIA exemptions) and every `key:item` or prose citation in
    the package's YAML data and Python sources (docstrings, constants added at run time).

`check_ref` (lint.py) resolves each one against checklists/frameworks/: a part that the framework does
not list fails, so a made-up reference (`gdpr:30(9)(z)`, `recyf:8.9`, `anssi-hygiene:43`) is refused.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel

from ..model import Text

PKG = Path(__file__).resolve().parents[1]
_ITEM = r"[A-Za-z0-9][A-Za-z0-9.()+\-_/]*[A-Za-z0-9)+\-]"
_SINGLE = r"[A-Za-z0-9]"

# citations in prose: (pattern, function turning a match into references)
_ART = re.compile(r"\bart(?:icle|\.)\s*(\d{1,2})((?:\(\d{1,2}\))(?:\([a-z]\))?)")
# an article of another text named just before it (Regulation 1182/71, directive 2022/2555, a law...)
_OTHER_TEXT = re.compile(r"\d{2,4}/\d{2,4}|\bdirective\b|\bloi\b|\bd[ée]cret\b|\bcode\b", re.IGNORECASE)
_FICHE = re.compile(r"\bfiches?\s+(\d{1,2}(?:(?:\s*,\s*|\s+et\s+|\s+and\s+)\d{1,2})*)", re.IGNORECASE)
_MEASURE = re.compile(r"\b(?:mesures?|measures?)\s+(\d{1,2}(?:\.[0-9A-Z]{1,2}){0,2}"
                      r"(?:(?:\s*,\s*|\s+et\s+|\s+and\s+)\d{1,2}(?:\.[0-9A-Z]{1,2}){0,2})*)", re.IGNORECASE)
_OBJECTIVE = re.compile(r"ReCyF[^.;]*?\b(?:objectif|objective)\s+(\d{1,2})")
_PA066 = re.compile(r"PA-066\s+(R\d+[+-]?)(?:\s+(?:et|and)\s+(R\d+[+-]?))?")
_CODE = re.compile(r"\b(L25\d-\d+|L21[23]-\d+|L1111-8|L2311-1-1)\b")
_CODE_KEY = {"L25": "csi", "L21": "patrimoine", "L11": "hds", "L23": "cgct"}


def _numbers(group: str) -> list[str]:
    return re.findall(r"\d{1,2}(?:\.[0-9A-Z]{1,2}){0,2}", group)


def prose_refs(text: str) -> list[str]:
    """References written in a sentence, as `key:item`."""
    out = [f"gdpr:{m.group(1)}{m.group(2)}" for m in _ART.finditer(text) if not _OTHER_TEXT.search(
        text[max(0, m.start() - 40):m.start()])]
    out += [f"cnil-security:{n}" for m in _FICHE.finditer(text) for n in _numbers(m.group(1))]
    for m in _MEASURE.finditer(text):
        for n in _numbers(m.group(1)):
            out.append(f"recyf:{n}" if "." in n else f"anssi-hygiene:{n}")
    out += [f"recyf:{m.group(1)}" for m in _OBJECTIVE.finditer(text)]
    out += [f"anssi-pa-066:{r}" for m in _PA066.finditer(text) for r in m.groups() if r]
    out += [f"{_CODE_KEY[c[:3]]}:{c}" for c in _CODE.findall(text)]
    return out


def _texts(obj, depth: int = 0):
    if depth > 20:
        return
    if isinstance(obj, Text):
        yield obj.fr
        yield obj.en
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from _texts(getattr(obj, name), depth + 1)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            yield from _texts(v, depth + 1)


def _token_pattern(keys) -> re.Pattern:
    alt = "|".join(sorted((re.escape(k) for k in keys), key=len, reverse=True))
    return re.compile(rf"(?<![\w.-])({alt}):({_ITEM}|{_SINGLE})(?![\w(])")


def _tokens(text: str, pattern: re.Pattern) -> list[str]:
    """`key:item` written in a text; templates (`gdpr:35(3)({x})`, `amf-anssi:<n>`) are not references."""
    out = []
    for m in pattern.finditer(text):
        key, item = m.group(1), m.group(2).rstrip(".")
        while item.endswith(")") and item.count(")") > item.count("("):
            item = item[:-1]  # "(anssi-hygiene:37)": the parenthesis closes the sentence's bracket
        if item.count("(") != item.count(")") or "{" in text[m.end():m.end() + 2]:
            continue
        out.append(f"{key}:{item}")
    return out


def cited(content) -> list[tuple[str, str]]:
    """(origin, reference) for every reference the product cites."""
    from ..checks import load_all
    from ..register import dpia, rules_meta, templates
    from ..register import model as reg_model

    pattern = _token_pattern(content.frameworks)
    out: list[tuple[str, str]] = []
    for qid, q in content.questions.items():
        out += [(qid, r) for r in q.refs]
        for text in _texts(q):
            out += [(f"{qid} (texte)", r) for r in [*prose_refs(text), *_tokens(text, pattern)]]
    for pid, profile in content.profiles.items():
        for text in _texts(profile):
            out += [(f"profile {pid}", r) for r in _tokens(text, pattern)]
    for cid, info in sorted(load_all().items()):
        out += [(f"check {cid}", r) for r in info.refs]
    for rid, rule in sorted(rules_meta.RULES.items()):
        out += [(f"register rule {rid}", r) for r in rule.refs]
    from ..records.rules_meta import RULES as RECORD_RULES

    for rid, rule in sorted(RECORD_RULES.items()):
        out += [(f"records rule {rid}", r) for r in rule.refs]
    out += [("register dpia", f"wp248:{i}") for i in range(1, len(reg_model.WP248) + 1)]
    out += [("register dpia", f"cnil-aipd:{n}") for n in dpia.CNIL_TYPES]
    out += [("register dpia", f"gdpr:35(3)({x})") for x in dpia.ART35_3]
    out += [("register dpia", f"cnil-aipd-exemptions:{k}") for k in dpia.EXEMPTIONS]
    for tid, tpl in sorted(templates.load_templates().items()):
        act = tpl.activity("T-000")
        for m in act.security_measures:
            if ":" in m.id:
                out.append((f"template {tid}", m.id))
        if act.dpia and act.dpia.exemption:
            out.append((f"template {tid}", f"cnil-aipd-exemptions:{act.dpia.exemption}"))
    for path in sorted([*PKG.rglob("*.py"), *(PKG / "data").rglob("*.yaml")]):
        if "_content" in path.parts or path == Path(__file__).resolve():  # this docstring's examples are made up
            continue
        rel, text = path.relative_to(PKG.parent), path.read_text(encoding="utf-8")
        out += [(str(rel), r) for r in [*_tokens(text, pattern), *prose_refs(text)]]
    return out


def check_all(content) -> list[str]:
    """Every reference that does not resolve, with where it is cited (sorted, one line each)."""
    from .lint import check_ref

    problems = set()
    for origin, ref in cited(content):
        reason = check_ref(ref, content.frameworks)
        if reason:
            problems.add(f"{origin}: {reason}")
    return sorted(problems)
