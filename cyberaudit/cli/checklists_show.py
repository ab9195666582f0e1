"""Human views of the content for `cyberaudit checklists show` and `coverage`."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from ..errors import InputError
from ..i18n import t
from ..sanitize import strip_control


def _s(text) -> str:
    from rich.markup import escape

    return escape(strip_control(str(text)))


def coverage_rows(content, key: str, registry: dict | None = None) -> list[tuple[str, str, list[str], list[str]]]:
    """(item, title, question IDs, probe check IDs) for every item of a framework."""
    fw = content.frameworks.get(key)
    if fw is None:
        raise InputError(t(f"référentiel inconnu {key!r}", f"unknown framework {key!r}"), field="framework")
    if registry is None:
        from ..checks import load_all

        registry = dict(load_all())
    rows = []
    items = fw.items or []

    def cites(refs, item_id: str) -> bool:
        for ref in refs:
            k, _, it = ref.partition(":")
            if k == key and (it == item_id or (fw.item(it) is not None and fw.item(it).id == item_id)):
                return True
        return False

    for item in items:
        qs = [q.id for q in content.questions.values() if cites(q.refs, item.id)]
        cs = sorted(cid for cid, info in registry.items() if cites(info.refs, item.id))
        rows.append((item.id, item.title.pick(), qs, cs))
    return rows


def coverage(content, key: str, console: Console) -> None:
    rows = coverage_rows(content, key)
    fw = content.frameworks[key]
    if not rows:
        console.print(t(f"{key} ne liste pas ses éléments : pas de couverture à calculer.",
                        f"{key} does not list its items: no coverage to compute."))
        return
    table = Table(title=_s(fw.title.pick()))
    for col in ("#", t("Titre", "Title"), t("Questions", "Questions"), t("Contrôles", "Checks"), t("Couverture", "Coverage")):
        table.add_column(col)
    none = 0
    for item, title, qs, cs in rows:
        mode = (t("les deux", "both") if qs and cs else t("entretien", "interview") if qs
                else t("sonde", "probe") if cs else t("aucune", "none"))
        none += not (qs or cs)
        table.add_row(item, _s(title), _s(", ".join(qs)), _s(", ".join(cs)), mode)
    console.print(table)
    console.print(t(f"{len(rows) - none} élément(s) sur {len(rows)} couverts.",
                    f"{len(rows) - none} of {len(rows)} item(s) covered."))


def show(content, item: str, console: Console) -> bool:
    if item in content.questions:
        _question(content, content.questions[item], console)
    elif item in content.banks:
        bank = content.banks[item]
        console.print(f"[bold]{_s(bank.title.pick())}[/] ({bank.id}) — {_s(bank.description.pick())}")
        for q in bank.questions:
            console.print(f"  {q.id}  {_s(q.title.pick())}")
    elif item in content.profiles:
        _profile(content.profiles[item], console)
    elif item in content.frameworks:
        fw = content.frameworks[item]
        console.print(f"[bold]{_s(fw.title.pick())}[/] ({fw.key}) {_s(fw.source or '')}")
        for it in fw.items:
            level = f" [{it.level}]" if it.level else ""
            console.print(f"  {it.id}{level}  {_s(it.title.pick())}")
    else:
        return False
    return True


def _question(content, q, console: Console) -> None:
    from ..words import SEVERITY, word

    console.print(f"[bold]{q.id}[/] — {_s(q.title.pick())}  [dim]({q.theme}, {word(SEVERITY, q.severity.value)}, "
                  f"{t('banque', 'bank')} {content.bank_of[q.id]})[/]")
    console.print(_s(q.text.pick()))
    console.print(f"[green]{_s(q.help.pick())}[/]")
    if q.answer in ("yesno", "choice"):
        scores = q.yesno_scores() if q.answer == "yesno" else {c.key: c.score for c in q.choices}
        console.print(t("Réponses : ", "Answers: ") + ", ".join(
            f"{_s(q.label_of(k).pick())} = {v:g}" for k, v in scores.items()))
    elif q.answer == "date":
        console.print(t("Date ; score selon l'ancienneté : ", "Date; score by age: ")
                      + ", ".join(f"≤ {a.max_days} j = {a.score:g}" for a in q.age))
    else:
        console.print(t("Nombre ; barème : ", "Number; scale: ") + ", ".join(f"≥ {s.min:g} = {s.score:g}" for s in q.scale))
    for cond in q.when:
        what = cond.q or f"fact:{cond.fact}"
        console.print(t("Posée si ", "Asked if ") + f"{what} ∈ {_s(cond.in_)}")
    if q.applies_to:
        console.print(t("Profils : ", "Profiles: ") + ", ".join(q.applies_to))
    refs = []
    for ref in q.refs:
        key, _, it = ref.partition(":")
        fw = content.frameworks.get(key)
        found = fw.item(it) if fw else None
        refs.append(f"{ref} ({found.title.pick()})" if found else ref)
    console.print(t("Références : ", "References: ") + _s("; ".join(refs)))
    console.print(t("Remédiation : ", "Remediation: ") + _s(q.remediation.pick())
                  + f" [dim]({q.effort}, {q.owner})[/]")
    if q.confirms or q.refutes:
        console.print(t("Constats de sonde liés : ", "Linked probe findings: ") + ", ".join([*q.confirms, *q.refutes]))


def _profile(p, console: Console) -> None:
    console.print(f"[bold]{_s(p.title.pick())}[/] ({p.id}) — {_s(p.description.pick())}")
    pop = p.facts.population
    console.print(t("Population : ", "Population: ") + f"{pop.min}–{pop.max if pop.max is not None else '…'}")
    console.print(t("DPO obligatoire : ", "DPO mandatory: ") + (t("oui", "yes") if p.facts.dpo_mandatory else t("non", "no")))
    console.print(f"REEN : {p.facts.reen_strategy} (> {p.facts.reen_threshold})")
    console.print(f"NIS2 : {p.facts.nis2.status} — {_s(p.facts.nis2.note.pick())}")
    console.print(t("Banques : ", "Banks: ") + ", ".join(p.banks))
    if p.skip:
        console.print(t("Questions écartées : ", "Skipped questions: ") + ", ".join(p.skip))
    console.print(t("Poids des thèmes : ", "Theme weights: ")
                  + ", ".join(f"{k} {v:g}" for k, v in p.theme_weights.items()))
    console.print(t("Mesures indispensables : ", "Essential measures: ") + ", ".join(p.essential))
