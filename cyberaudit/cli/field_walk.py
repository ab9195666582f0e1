"""The walk shared by `register add|edit` and `incident add|edit`: one field at a time, the draft saved
after every answer (atomic rename), so a session killed at any moment keeps what was entered.

Commands at every prompt: Entrée garder · - effacer · ? aide · r retour · q quitter (brouillon gardé).
A subclass gives its steps, how to save the draft, parse an answer, check a field, show it and finish.
"""

from __future__ import annotations

from typing import Any

from ..i18n import t
from ..sanitize import bounded, strip_control

INPUT_MAX = 4000


def get(data: dict, key: str) -> Any:
    node: Any = data
    for part in key.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def put(data: dict, key: str, value: Any) -> None:
    parts = key.split(".")
    node = data
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    if value is None or value == []:
        node.pop(parts[-1], None)
    else:
        node[parts[-1]] = value


def esc(text: Any) -> str:
    from rich.markup import escape

    return escape(strip_control(str(text), keep_newlines=True))


class Quit(Exception):
    pass


class FieldWalk:
    resume_command = ""  # e.g. "cyberaudit register add {where} --resume", named when a session stops
    discard_command = ""  # e.g. "cyberaudit register discard {where} {draft}"

    def __init__(self, ws, console, draft_id: str, state: dict):
        self.ws, self.console, self.draft_id, self.state = ws, console, draft_id, state
        self.state.setdefault("data", {})
        self.state.setdefault("step", 0)

    @property
    def data(self) -> dict:
        return self.state["data"]

    # ------------------------------------------------------------------ what a subclass gives

    @property
    def steps(self) -> tuple:
        raise NotImplementedError

    def save(self) -> None:
        raise NotImplementedError

    def shown(self, step) -> str:
        """The current value of the step's field, in words ("" when empty)."""
        v = get(self.data, step.key)
        if v is None or v == []:
            return ""
        if step.kind == "choice":
            return t(*step.choices[v]) if v in step.choices else str(v)
        if step.kind == "multi":
            keys = list(step.choices)
            return ", ".join(f"{keys.index(str(x)) + 1}. {t(*step.choices[str(x)])}" for x in v if str(x) in keys)
        if step.kind == "bool":
            return t("oui", "yes") if v else t("non", "no")
        return str(v)

    def notes(self, step) -> None:
        """Anything to print under the question (a screening, for instance)."""

    def hint(self, step) -> str | None:
        """A line on how to type the answer."""
        return None

    def parse(self, step, lines: list[str]) -> Any:
        """The value of an answer; a ValueError says why it is not recognised."""
        raise NotImplementedError

    def check_field(self, step) -> str | None:
        """The first error the data so far has on this step's field, if any."""
        return None

    def help_text(self, step) -> str:
        return t(step.help_fr, step.help_en) or t("Pas d'aide pour ce champ.", "No help for this field.")

    def more_lines(self, step) -> bool:
        """Whether the answer is a list, one item per line until an empty line."""
        return False

    def header(self) -> None:
        pass

    def finish(self):
        raise NotImplementedError

    # ------------------------------------------------------------------ the walk

    def show(self, step, index: int, total: int) -> None:
        c = self.console
        c.print()
        c.print(t(f"[dim]Champ {index} sur {total}[/]", f"[dim]Field {index} of {total}[/]"))
        c.print(f"[bold]{esc(t(step.fr, step.en))}[/]")
        self.notes(step)
        if step.kind in ("choice", "multi"):
            for i, (_k, label) in enumerate(step.choices.items(), 1):
                c.print(f"  {i}. {esc(t(*label))}")
        current = self.shown(step)
        if current:
            c.print(t("[cyan]Valeur proposée (Entrée pour la garder) :[/]", "[cyan]Proposed value (Enter to keep):[/]"))
            c.print(esc(current))
        hint = self.hint(step)
        if hint:
            c.print(f"[dim]{esc(hint)}[/]")
        c.print(t("[dim]Entrée garder · - effacer · ? aide · r retour · q quitter (brouillon gardé)[/]",
                  "[dim]Enter keep · - clear · ? help · r back · q quit (draft kept)[/]"))

    def read(self, prompt: str) -> str:
        try:
            raw = self.console.input(prompt)
        except EOFError:
            raise Quit from None
        return bounded(strip_control(raw), INPUT_MAX)

    def ask(self, step) -> str:
        """Ask one field; returns 'next' or 'back' (and raises Quit)."""
        while True:
            first = self.read(t("Votre réponse : ", "Your answer: ")).strip()
            low = first.lower()
            if low in ("q", "quitter", "quit"):
                raise Quit
            if low in ("r", "retour", "back"):
                return "back"
            if low in ("?", "aide", "help"):
                self.console.print(f"[green]{esc(self.help_text(step))}[/]")
                continue
            old = get(self.data, step.key)
            if not first or first == "-":
                if step.required and (first == "-" or old in (None, [], "")):
                    self.console.print(t("[red]Champ obligatoire.[/]", "[red]Required field.[/]"))
                    continue
                if first == "-":
                    put(self.data, step.key, None)
                return "next"
            lines = [first]
            if self.more_lines(step):
                while (more := self.read("… ").strip()) != "":
                    lines.append(more)
            try:
                put(self.data, step.key, self.parse(step, lines))
            except ValueError as exc:
                self.console.print(t("[red]Réponse non reconnue[/] : ", "[red]Not recognised[/]: ") + esc(exc))
                continue
            problem = self.check_field(step)
            if problem:
                put(self.data, step.key, old)
                self.console.print(t("[red]Valeur refusée[/] : ", "[red]Value refused[/]: ") + esc(problem))
                continue
            return "next"

    def applicable(self) -> list[int]:
        return [i for i, s in enumerate(self.steps) if s.when is None or s.when(self.data)]

    def run(self):
        self.header()
        try:
            while True:
                steps = self.applicable()
                nxt = [j for j in steps if j >= self.state["step"]]
                if not nxt:
                    break
                j = nxt[0]
                self.show(self.steps[j], steps.index(j) + 1, len(steps))
                if self.ask(self.steps[j]) == "back":
                    prev = [k for k in steps if k < j]
                    self.state["step"] = prev[-1] if prev else 0
                else:
                    self.state["step"] = j + 1
                self.save()
            return self.finish()
        except Quit:
            self.save()
            from .grade_summary import workspace_arg

            where = workspace_arg(self.ws.root)
            resume = self.resume_command.format(where=where, draft=self.draft_id)
            fr, en = f"reprendre avec {resume}", f"continue with {resume}"
            if self.discard_command:
                discard = self.discard_command.format(where=where, draft=self.draft_id)
                fr, en = f"{fr} ; l'abandonner : {discard}", f"{en}; discard it: {discard}"
            self.console.print(t(f"Brouillon enregistré ({self.draft_id}) : {fr}",
                                 f"Draft saved ({self.draft_id}): {en}"), soft_wrap=True)
            return None

    def back_to(self, loc: tuple) -> None:
        """After a failed final check: go back to the step of the field in error (the first one otherwise)."""
        keys = [s.key.split(".")[0] for s in self.steps]
        top = str(loc[0]) if loc else ""
        self.state["step"] = keys.index(top) if top in keys else 0
        self.save()
