"""Rich terminal UI of `cyberaudit assess`: one question at a time, saved the moment it is answered.

Line-based (console.input), so it works in any terminal, over ssh and in a pseudo-terminal test.
Answers by number or key (oui/non/partiel/nsp/na, or the choice key); commands:
  ?  aide        n  note        l  lien (preuve)
  r  retour      p  passer      q  enregistrer et quitter
Every answer is written to answers.yaml (atomic rename) before the next question is shown,
so killing the process at any moment loses nothing already answered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rich.console import Console

from ..content.model import Question
from ..i18n import t
from ..interview.answers import load, save_answer, stamp
from ..interview.engine import applicable, progress, value_of
from ..model import LINK_MAX, Answer, Finding
from ..sanitize import bounded, strip_control
from ..themes import THEMES

NOTE_MAX = 2000  # a note typed in the interview (files may carry up to model.NOTE_MAX)

ALIASES: dict[str, tuple[str, ...]] = {
    "yes": ("oui", "o", "y", "yes"),
    "partial": ("partiel", "partiellement", "en partie", "partial", "partly"),
    "no": ("non", "no"),
    "unknown": ("nsp", "je ne sais pas", "unknown", "dk"),
    "na": ("na", "n/a", "sans objet", "non applicable"),
}
# For a date question ("when was the last restore test?"): it never happened.
NEVER = ("jamais", "non", "aucun", "aucune", "never", "no", "none")
COMMANDS: dict[str, tuple[str, ...]] = {
    "help": ("?", "aide", "help", "h"),
    "back": ("r", "retour", "back", "b"),
    "skip": ("p", "passer", "skip", "s"),
    "quit": ("q", "quitter", "quit"),
    "note": ("n", "note"),
    "link": ("l", "lien", "link"),
}


def esc(text: Any) -> str:
    from rich.markup import escape

    return escape(strip_control(str(text)))


@dataclass
class Outcome:
    action: str  # "answer" | "keep" | "skip" | "back" | "quit"
    answer: Answer | None = None


@dataclass
class Interview:
    """The interactive loop over the questions of one workspace."""

    ws: Any
    content: Any
    profile: Any
    console: Console
    population: int | None = None
    theme: str | None = None
    review: bool = False
    by: str | None = None
    probe_findings: list[Finding] = field(default_factory=list)

    # ------------------------------------------------------------------ input helpers

    def read(self, prompt: str) -> str | None:
        """One line from the user; None on end of input (treated as save-and-quit)."""
        try:
            return self.console.input(prompt)
        except EOFError:
            return None

    def _command(self, raw: str) -> str | None:
        low = raw.strip().lower()
        return next((c for c, words in COMMANDS.items() if low in words), None)

    def parse(self, q: Question, raw: str) -> Any:
        """Turn what was typed into a value the question accepts; ValueError with a reason otherwise."""
        text = raw.strip()
        keys = q.allowed_keys()
        if text.isdigit() and q.answer in ("yesno", "choice", "date") and 1 <= int(text) <= len(keys):
            return keys[int(text) - 1]
        low = text.lower()
        if q.answer == "date" and low in NEVER:
            return "never"
        for key, words in ALIASES.items():
            if low in words and key in keys:
                return key
        if q.answer == "date" and low in ("aujourd'hui", "today"):
            import datetime as dt

            return dt.date.today().isoformat()
        return q.parse_value(text)

    # ------------------------------------------------------------------ display

    def options(self, q: Question) -> list[str]:
        return [f"{i}. {q.label_of(k).pick()}" for i, k in enumerate(q.allowed_keys(), 1)]

    def related_findings(self, q: Question) -> list[Finding]:
        ids = set(q.confirms) | set(q.refutes)
        return [f for f in self.probe_findings if f.id in ids]

    def show(self, q: Question, answers: dict[str, Answer]) -> None:
        c = self.console
        pos = progress(self.content, self.profile, answers, q, self.population)
        theme = THEMES[q.theme].pick()
        c.print()
        c.rule(f"{esc(theme)} — " + t(f"question {pos['theme_index']} sur {pos['theme_total']}",
                                       f"question {pos['theme_index']} of {pos['theme_total']}"))
        ident = esc(f"[{q.id}]")
        c.print(t(f"[dim]Question {pos['index']} sur {pos['total']} au total · {pos['answered']} répondue(s) · "
                  f"{ident}[/]",
                  f"[dim]Question {pos['index']} of {pos['total']} overall · {pos['answered']} answered · "
                  f"{ident}[/]"))
        c.print(f"[bold]{esc(q.text.pick())}[/]")
        for f in self.related_findings(q):
            where = f.target or ""
            product = f.evidence.get("product") or f.evidence.get("url") or ""
            c.print(t("[yellow]L'analyse a trouvé :[/] ", "[yellow]The scan found:[/] ")
                    + esc(f"{f.title.pick()} — {where} {product}".strip())
                    + f" [dim]({esc(f.status.value)})[/]")
        current = answers.get(q.id)
        if current is not None and value_of(q, current) is not None:
            c.print(t("[cyan]Réponse actuelle :[/] ", "[cyan]Current answer:[/] ")
                    + esc(q.label_of(value_of(q, current)).pick())
                    + (t(" (Entrée pour la garder)", " (Enter to keep it)") if self.review else ""))
        if q.answer in ("yesno", "choice"):
            c.print("   ".join(esc(o) for o in self.options(q)))
        elif q.answer == "date":
            c.print(t("Une date (15/03/2024 ou 2024-03-15), ou : ", "A date (2024-03-15 or 15/03/2024), or: ")
                    + "   ".join(esc(o) for o in self.options(q)))
        elif q.answer == "number":
            unit = f" ({q.unit.pick()})" if q.unit else ""
            c.print(t(f"Un nombre{unit}, ou nsp (je ne sais pas)", f"A number{unit}, or nsp (I don't know)"))
        c.print(t("[dim]? aide · n note · l lien · r retour · p passer · q enregistrer et quitter[/]",
                  "[dim]? help · n note · l link · r back · p skip · q save and quit[/]"))

    def show_help(self, q: Question) -> None:
        c = self.console
        c.print(f"[green]{esc(q.help.pick())}[/]")
        refs = ", ".join(q.refs)
        c.print(t("[dim]Références : ", "[dim]References: ") + esc(refs) + "[/]")
        c.print(t("[dim]À faire si la réponse n'est pas satisfaisante : ", "[dim]What to do otherwise: ")
                + esc(q.remediation.pick()) + "[/]")

    # ------------------------------------------------------------------ one question

    def ask(self, q: Question, answers: dict[str, Answer]) -> Outcome:
        self.show(q, answers)
        note: str | None = None
        link: str | None = None
        while True:
            raw = self.read(t("Votre réponse : ", "Your answer: "))
            if raw is None:
                return Outcome("quit")
            cmd = self._command(raw)
            if cmd == "help":
                self.show_help(q)
                continue
            if cmd in ("back", "skip", "quit"):
                return Outcome(cmd)
            if cmd == "note":
                text = self.read(t("Note (Entrée pour aucune) : ", "Note (Enter for none): "))
                if text is None:
                    return Outcome("quit")
                note = bounded(strip_control(text).strip(), NOTE_MAX) or None
                if note:
                    self.keep_extra(q, answers, note=note)
                continue
            if cmd == "link":
                text = self.read(t("Lien vers une preuve (Entrée pour aucun) : ", "Evidence link (Enter for none): "))
                if text is None:
                    return Outcome("quit")
                link = bounded(strip_control(text).strip(), LINK_MAX) or None
                if link:
                    self.keep_extra(q, answers, evidence_link=link)
                continue
            if not raw.strip():
                if self.review and answers.get(q.id) is not None:
                    return Outcome("keep")
                continue
            try:
                value = self.parse(q, raw)
            except ValueError as exc:
                self.console.print(t("[red]Réponse non reconnue[/] : ", "[red]Answer not recognised[/]: ")
                                   + esc(exc) + t(" — tapez ? pour l'aide", " — type ? for help"))
                continue
            old = answers.get(q.id)
            answer = stamp(Answer(
                value=value,
                note=note if note is not None else (old.note if old else None),
                evidence_link=link if link is not None else (old.evidence_link if old else None),
            ), by=self.by)  # a new answer: new who and when
            return Outcome("answer", answer)

    def keep_extra(self, q: Question, answers: dict[str, Answer], **extra: str) -> None:
        """Save a note or a link the moment it is confirmed: on the current answer, else on a draft entry
        (no value yet: the question stays unanswered) that the answer will carry."""
        current = answers.get(q.id)
        if current is not None:
            updated = current.model_copy(update=extra)
        else:
            updated = Answer(value=None, by=self.by, **extra)
        save_answer(self.ws, q.id, updated)
        answers[q.id] = updated
        if value_of(q, current) is not None:
            self.console.print(t("[green]✓ Enregistré avec la réponse actuelle.[/]",
                                 "[green]✓ Saved with the current answer.[/]"))
        else:
            self.console.print(t("[green]✓ Enregistré ; la réponse que vous allez donner l'accompagnera.[/]",
                                 "[green]✓ Saved; it will go with the answer you are about to give.[/]"))

    # ------------------------------------------------------------------ the walk

    def _pending(self, answers: dict[str, Answer], skipped: set[str]) -> Question | None:
        for q in applicable(self.content, self.profile, answers, self.population):
            if self.theme and q.theme != self.theme:
                continue
            if q.id in skipped or value_of(q, answers.get(q.id)) is not None:
                continue
            return q
        return None

    def _review_list(self, answers: dict[str, Answer]) -> list[str]:
        return [q.id for q in applicable(self.content, self.profile, answers, self.population)
                if (not self.theme or q.theme == self.theme) and value_of(q, answers.get(q.id)) is not None]

    def run(self) -> dict[str, int]:
        """Walk the questions; returns counts {"answered", "skipped", "remaining", "quit"}."""
        answers = load(self.ws)
        skipped: set[str] = set()
        history: list[str] = []
        forced: str | None = None
        order = self._review_list(answers) if self.review else []
        pos = 0
        saved = 0
        quit_ = False
        while True:
            if forced is not None:
                q = self.content.questions[forced]
                forced = None
            elif self.review:
                if pos >= len(order):
                    break
                q = self.content.questions[order[pos]]
            else:
                q = self._pending(answers, skipped)
                if q is None:
                    break
            out = self.ask(q, answers)
            if out.action == "quit":
                quit_ = True
                break
            if out.action == "back":
                if self.review:
                    pos = max(0, pos - 1)
                elif history:
                    forced = history.pop()
                else:
                    self.console.print(t("[dim]Vous êtes à la première question.[/]", "[dim]This is the first question.[/]"))
                    forced = q.id
                continue
            if out.action == "answer" and out.answer is not None:
                save_answer(self.ws, q.id, out.answer)
                answers[q.id] = out.answer
                saved += 1
                self.console.print(t("[green]✓ Réponse enregistrée[/]", "[green]✓ Answer saved[/]"))
            elif out.action == "skip":
                skipped.add(q.id)
            history.append(q.id)
            pos += 1
        asked = [q for q in applicable(self.content, self.profile, answers, self.population)
                 if not self.theme or q.theme == self.theme]
        remaining = sum(1 for q in asked if value_of(q, answers.get(q.id)) is None)
        return {"answered": len(asked) - remaining, "session": saved, "skipped": len(skipped),
                "remaining": remaining, "quit": int(quit_)}
