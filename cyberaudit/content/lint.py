"""Cross-reference rules of the content: what a schema alone cannot check.

- conditions name existing questions and values they can take, and form no cycle;
- references are `framework:item` with a known framework and, when it lists items, a known item
  (ANSSI measures 1-42, GDPR articles 1-99, CNIL fiches 1-25, ...);
- confirms/refutes and essential measures name probe finding IDs of a known family;
- profiles select existing banks and questions, weigh every theme;
- every French and English text is non-empty.
"""

from __future__ import annotations

import importlib
import re

from pydantic import BaseModel

from ..themes import THEMES
from .model import THEME_PREFIX, Question, Text

PROBE_ID = re.compile(r"^([a-z]+)\.[a-z0-9_]+\.[a-z0-9_]+$")
FACTS = {"reen_required", "nis2", "dpo_mandatory", "it_staff"}
MAX_DEPTH = 50


def _probe_families() -> set[str]:
    from ..probes import FAMILIES

    return set(FAMILIES)


def _texts(obj, path: str = ""):
    """Yield (path, Text) for every Text inside a model."""
    if isinstance(obj, Text):
        yield path, obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from _texts(getattr(obj, name), f"{path}.{name}" if path else name)
    elif isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj):
            yield from _texts(v, f"{path}.{i}")
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from _texts(v, f"{path}.{k}")


def check_ref(ref: str, frameworks: dict) -> str | None:
    """None when every part of the reference resolves; otherwise the reason.

    `key:item` must name a framework and one of its items, or one of the `parts` that item lists
    (`gdpr:30(1)(f)`, `recyf:8.3`, `anssi-tls:R7-`): a part that is not listed does not resolve.
    """
    key, sep, item = ref.partition(":")
    fw = frameworks.get(key)
    if fw is None or not sep:
        return f"unknown framework {key!r} in reference {ref!r} (add checklists/frameworks/{key}.yaml)"
    if fw.item(item) is not None:
        return None
    base = next((i for i in sorted(fw.items, key=lambda i: -len(i.id))
                 if item.startswith(i.id) and item[len(i.id):len(i.id) + 1] in ("(", ".", "-", "+")), None)
    if base is None:
        return f"reference {ref!r}: {key} has no item {item!r}"
    if not base.parts:
        return f"reference {ref!r}: {key}:{base.id} lists no parts, so {item!r} cannot be checked (add it to its parts)"
    return f"reference {ref!r}: {key}:{base.id} has no part {item!r} (parts: {', '.join(base.parts)})"


def find_cycle(questions: dict[str, Question]) -> list[str] | None:
    """A dependency cycle through `when` conditions, as a path of IDs, or None."""
    graph = {qid: [c.q for c in q.when if c.q] for qid, q in questions.items()}
    state: dict[str, int] = {}  # 1 visiting, 2 done

    for start in graph:
        if state.get(start):
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        path: list[str] = []
        while stack:
            node, idx = stack.pop()
            if idx == 0:
                state[node] = 1
                path.append(node)
            deps = [d for d in graph.get(node, []) if d in graph]
            if idx < len(deps):
                stack.append((node, idx + 1))
                nxt = deps[idx]
                if state.get(nxt) == 1:
                    return path[path.index(nxt):] + [nxt]
                if not state.get(nxt):
                    stack.append((nxt, 0))
            else:
                state[node] = 2
                path.pop()
    return None


def lint_content(content, raw_profiles: dict) -> list:
    from .loader import Problem

    problems: list[Problem] = []
    families = _probe_families()
    from ..records.rules_meta import RULES as records_rules

    records_ids = set(records_rules)  # breach and request log findings (joins.py: source "records")
    profile_ids = set(raw_profiles) | set(content.profiles)

    def at(qid: str) -> tuple[str, int | None]:
        return content.where.get(qid, ("?", None))

    for qid, q in content.questions.items():
        file, line = at(qid)
        for path, text in _texts(q):
            for lang in ("fr", "en"):
                if not getattr(text, lang).strip():
                    problems.append(Problem(file, line, f"{qid}: empty {lang} text in {path}"))
        for cond in q.when:
            if cond.q is not None:
                dep = content.questions.get(cond.q)
                if dep is None:
                    problems.append(Problem(file, line, f"{qid}: condition on unknown question {cond.q!r}"))
                    continue
                order = list(content.questions)
                if order.index(cond.q) > order.index(qid):
                    problems.append(Problem(file, line, f"{qid}: depends on {cond.q}, which is asked later "
                                                        "(a condition must refer to an earlier question)"))
                allowed = set(dep.allowed_keys())
                bad = [v for v in cond.in_ if v not in allowed]
                if bad and dep.answer in ("yesno", "choice"):
                    problems.append(Problem(file, line, f"{qid}: condition values {bad} are not answers of {cond.q}"))
            elif cond.fact not in FACTS:
                problems.append(Problem(file, line, f"{qid}: unknown fact {cond.fact!r}; known: {sorted(FACTS)}"))
        for ref in q.refs:
            reason = check_ref(ref, content.frameworks)
            if reason:
                problems.append(Problem(file, line, f"{qid}: {reason}"))
        for pid in q.applies_to:
            if pid not in profile_ids:
                problems.append(Problem(file, line, f"{qid}: applies_to unknown profile {pid!r}"))
        for fid in [*q.confirms, *q.refutes]:
            m = PROBE_ID.match(fid)
            if fid in records_ids:
                continue
            if not m or m.group(1) not in families:
                problems.append(Problem(file, line, f"{qid}: {fid!r} is not a probe finding ID of a known family"))
        if qid.split(".", 1)[0] in families or qid.startswith("rgpd."):
            problems.append(Problem(file, line, f"{qid}: prefix reserved for probe or register findings"))

    cycle = find_cycle(content.questions)
    if cycle:
        file, line = at(cycle[0])
        problems.append(Problem(file, line, "condition cycle: " + " -> ".join(cycle)))

    for pid, profile in content.profiles.items():
        file, line = content.where.get(f"profile:{pid}", ("?", None))
        for path, text in _texts(profile):
            for lang in ("fr", "en"):
                if not getattr(text, lang).strip():
                    problems.append(Problem(file, line, f"profile {pid}: empty {lang} text in {path}"))
        for b in profile.banks:
            if b not in content.banks:
                problems.append(Problem(file, line, f"profile {pid}: unknown bank {b!r}"))
        for s in profile.skip:
            if s not in content.questions:
                problems.append(Problem(file, line, f"profile {pid}: skip names unknown question {s!r}"))
        missing = [t for t in THEMES if t not in profile.theme_weights]
        if missing:
            problems.append(Problem(file, line, f"profile {pid}: theme_weights lacks {', '.join(missing)}"))
        for e in profile.essential:
            if e in content.questions:
                q = content.questions[e]
                if content.bank_of[e] not in profile.banks or e in profile.skip:
                    problems.append(Problem(file, line, f"profile {pid}: essential question {e!r} is not asked"))
                elif q.applies_to and pid not in q.applies_to:
                    problems.append(Problem(file, line, f"profile {pid}: essential question {e!r} does not apply"))
                continue
            m = PROBE_ID.match(e)
            if not m or m.group(1) not in families:
                problems.append(Problem(file, line, f"profile {pid}: essential {e!r} is neither a question "
                                                    "nor a probe check ID"))
    for prefix in THEME_PREFIX.values():
        if prefix in families:
            problems.append(Problem("cyberaudit/checklist_model.py", None, f"theme prefix {prefix!r} is a probe family"))
    return problems


def lint_probe_refs(frameworks: dict, content=None) -> list:
    """Cross-checks with the probe checks that are built (cyberaudit/checks/<family>.py).

    Their references must resolve; and when `content` is given, the probe IDs that questions
    confirm/refute and that profiles list as essential must exist in a built family.
    """
    from ..checks import REGISTRY
    from .loader import Problem

    built = set()
    for family in sorted(_probe_families()):
        try:
            importlib.import_module(f"cyberaudit.checks.{family}")
            built.add(family)
        except ModuleNotFoundError as exc:
            if exc.name != f"cyberaudit.checks.{family}":
                raise
    problems = []
    for cid, info in sorted(REGISTRY.items()):
        for ref in info.refs:
            reason = check_ref(ref, frameworks)
            if reason:
                problems.append(Problem(f"cyberaudit/checks/{info.family}.py", None, f"{cid}: {reason}"))
    if content is None:
        return problems

    def missing(fid: str) -> bool:
        return fid.split(".", 1)[0] in built and fid not in REGISTRY

    for qid, q in content.questions.items():
        file, line = content.where.get(qid, ("?", None))
        for fid in [*q.confirms, *q.refutes]:
            if missing(fid):
                problems.append(Problem(file, line, f"{qid}: no probe check {fid!r} in cyberaudit/checks/"))
    for pid, profile in content.profiles.items():
        file, line = content.where.get(f"profile:{pid}", ("?", None))
        for e in profile.essential:
            if e not in content.questions and missing(e):
                problems.append(Problem(file, line, f"profile {pid}: no probe check {e!r} in cyberaudit/checks/"))
    return problems
