"""Every reference cited by a probe check, a question or a register rule resolves in checklists/frameworks/."""

from __future__ import annotations


def test_every_cited_reference_resolves():
    from cyberaudit.checks import load_all
    from cyberaudit.content.lint import check_ref
    from cyberaudit.content.loader import load_content
    from cyberaudit.register.rules_meta import RULES

    frameworks = load_content().frameworks
    cited = {r for info in load_all().values() for r in info.refs}
    cited |= {r for q in load_content().questions.values() for r in q.refs}
    cited |= {r for rule in RULES.values() for r in rule.refs}
    assert len(cited) > 50
    problems = sorted(p for p in (check_ref(r, frameworks) for r in cited) if p)
    assert problems == []


def test_anssi_hygiene_references_are_measures_1_to_42():
    from cyberaudit.checks import load_all

    numbers = {int(r.split(":")[1]) for info in load_all().values() for r in info.refs
               if r.startswith("anssi-hygiene:")}
    assert numbers and numbers <= set(range(1, 43))
