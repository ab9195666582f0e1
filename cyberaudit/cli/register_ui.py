"""Interactive `register add` / `register edit` (Rich, line-based, French by default).

One field at a time. Every answer is written to the draft `register/drafts/<id>.yaml` (atomic rename)
before the next field is shown, so a session killed at any moment keeps what was entered;
`register add --resume` continues it. Commands: Entrée garder · - effacer · ? aide · r retour ·
q enregistrer le brouillon et quitter. Lists: one item per line, an empty line ends the list.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from rich.console import Console

from ..disk.fileio import describe_error
from ..i18n import t
from ..register import dpia as dpia_mod
from ..register import store
from ..register.model import LEGAL_BASES, WP248, Activity, dump
from ..register.steps import ITEM_HELP, STEPS, Step
from ..register.table import COLUMNS, CellError, cell_text, cell_value
from ..register.table import get_path as get
from ..sanitize import bounded, strip_control

BY_KEY = {c.key: c for c in COLUMNS}
INPUT_MAX = 4000


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


def _by_label(step: Step, text: str) -> str | None:
    """A choice typed by its French or English label."""
    from ..register.vocab import norm

    return next((k for k, (fr, en) in (step.choices or {}).items() if norm(text) in (norm(fr), norm(en))), None)


class Quit(Exception):
    pass


class Editor:
    def __init__(self, ws, console: Console, draft_id: str, state: dict, *, by: str | None = None, org=None):
        self.ws, self.console, self.draft_id, self.state, self.by, self.org = ws, console, draft_id, state, by, org
        self.state.setdefault("data", {})
        self.state.setdefault("step", 0)

    @property
    def data(self) -> dict:
        return self.state["data"]

    def save(self) -> None:
        store.save_draft(self.ws, self.draft_id, self.state)

    def read(self, prompt: str) -> str:
        try:
            raw = self.console.input(prompt)
        except EOFError:
            raise Quit from None
        return bounded(strip_control(raw), INPUT_MAX)

    # ------------------------------------------------------------------ display

    def shown(self, step: Step) -> str:
        v = get(self.data, step.key)
        if v is None or v == []:
            return ""
        if step.kind == "choice":
            return t(*step.choices[v]) if v in step.choices else str(v)
        if step.kind == "multi":
            return ", ".join(f"{self._num(step, x)}. {t(*step.choices[str(x)])}" for x in v if str(x) in step.choices)
        if step.kind == "bool":
            return t("oui", "yes") if v else t("non", "no")
        col = BY_KEY.get(step.key)
        if col is not None and col.kind not in ("text",):
            return cell_text(col, v)
        return str(v)

    @staticmethod
    def _num(step: Step, key: Any) -> int:
        return list(step.choices).index(str(key)) + 1

    def show(self, step: Step, index: int, total: int) -> None:
        c = self.console
        c.print()
        c.print(t(f"[dim]Champ {index} sur {total}[/]", f"[dim]Field {index} of {total}[/]"))
        c.print(f"[bold]{esc(t(step.fr, step.en))}[/]")
        if step.key == "dpia.criteria":
            self.show_screening()
        if step.kind in ("choice", "multi"):
            for i, (_k, label) in enumerate(step.choices.items(), 1):
                c.print(f"  {i}. {esc(t(*label))}")
        current = self.shown(step)
        if current:
            c.print(t("[cyan]Valeur proposée (Entrée pour la garder) :[/]", "[cyan]Proposed value (Enter to keep):[/]"))
            c.print(esc(current))
        if step.kind == "cell":
            c.print(f"[dim]{esc(t(*ITEM_HELP))}[/]")
        c.print(t("[dim]Entrée garder · - effacer · ? aide · r retour · q quitter (brouillon gardé)[/]",
                  "[dim]Enter keep · - clear · ? help · r back · q quit (draft kept)[/]"))

    def show_screening(self) -> None:
        try:
            act = Activity.model_validate({**self.data, "id": "T-000", "name": self.data.get("name") or "?"})
        except ValidationError:
            return
        s = dpia_mod.screen(act, staff=getattr(self.org, "staff", None))
        if s.inferred:
            self.console.print(t("[yellow]D'après la fiche :[/] ", "[yellow]From the record:[/] ") + esc("; ".join(
                f"{WP248.index(k) + 1}. {t(*dpia_mod.CRITERIA_TEXT[k])} ({v})" for k, v in s.inferred.items())))
        if s.art35_3:
            self.console.print(t("[yellow]Art. 35(3) :[/] ", "[yellow]Art. 35(3):[/] ") + esc(
                "; ".join(t(*dpia_mod.ART35_3[x]) for x in s.art35_3)))

    # ------------------------------------------------------------------ parsing one answer

    def parse(self, step: Step, lines: list[str]) -> Any:
        text = "\n".join(lines).strip()
        if step.kind == "text":
            return text
        if step.kind == "choice":
            keys = list(step.choices)
            if text.isdigit() and 1 <= int(text) <= len(keys):
                return keys[int(text) - 1]
            if text in keys or _by_label(step, text):
                return text if text in keys else _by_label(step, text)
            raise CellError(t("choix non reconnu", "choice not recognised"))
        if step.kind == "multi":
            keys, out = list(step.choices), []
            for part in text.replace(";", ",").split(","):
                part = part.strip()
                if not part:
                    continue
                if part.isdigit() and 1 <= int(part) <= len(keys):
                    key = keys[int(part) - 1]
                elif part in keys or _by_label(step, part):
                    key = part if part in keys else _by_label(step, part)
                else:
                    raise CellError(t(f"choix non reconnu : {part}", f"choice not recognised: {part}"))
                out.append(int(key) if step.key == "dpia.cnil_types" else key)
            return list(dict.fromkeys(out))
        if step.kind == "date":
            import datetime as dt

            from ..register.model import parse_date

            try:
                day = parse_date(text)
                return (day if isinstance(day, dt.date) else dt.date.fromisoformat(day)).isoformat()
            except (ValueError, TypeError):
                raise CellError(t("date attendue (JJ/MM/AAAA ou AAAA-MM-JJ)", "date expected (DD/MM/YYYY or YYYY-MM-DD)")) from None
        col = BY_KEY[step.key]
        return cell_value(col, text)

    def check_field(self, step: Step) -> str | None:
        """Validate the data so far; the first error on this step's field, if any."""
        probe = {**self.data, "id": "T-000", "name": self.data.get("name") or "?"}
        try:
            Activity.model_validate(probe)
        except ValidationError as exc:
            top = step.key.split(".")[0]
            for e in exc.errors(include_url=False):
                if e["loc"] and str(e["loc"][0]) == top:
                    return describe_error(e)
        return None

    def ask(self, step: Step) -> str:
        """Ask one field; returns 'next', 'back' (and raises Quit)."""
        while True:
            first = self.read(t("Votre réponse : ", "Your answer: ")).strip()
            low = first.lower()
            if low in ("q", "quitter", "quit"):
                raise Quit
            if low in ("r", "retour", "back"):
                return "back"
            if low in ("?", "aide", "help"):
                self.console.print(f"[green]{esc(t(step.help_fr, step.help_en) or t(*ITEM_HELP))}[/]")
                continue
            if not first:
                if step.required and not get(self.data, step.key):
                    self.console.print(t("[red]Champ obligatoire.[/]", "[red]Required field.[/]"))
                    continue
                return "next"
            old = get(self.data, step.key)
            if first == "-":
                if step.required:
                    self.console.print(t("[red]Champ obligatoire.[/]", "[red]Required field.[/]"))
                    continue
                put(self.data, step.key, None)
            else:
                lines = [first]
                if step.kind == "cell" and BY_KEY[step.key].kind in ("lines", "items", "ints"):
                    while (more := self.read("… ").strip()) != "":
                        lines.append(more)
                try:
                    put(self.data, step.key, self.parse(step, lines))
                except CellError as exc:
                    self.console.print(t("[red]Réponse non reconnue[/] : ", "[red]Not recognised[/]: ") + esc(exc))
                    continue
                problem = self.check_field(step)
                if problem:
                    put(self.data, step.key, old)
                    self.console.print(t("[red]Valeur refusée[/] : ", "[red]Value refused[/]: ") + esc(problem))
                    continue
            return "next"

    # ------------------------------------------------------------------ the walk

    def applicable(self) -> list[int]:
        return [i for i, s in enumerate(STEPS) if s.when is None or s.when(self.data)]

    def run(self) -> Activity | None:
        target = self.state["target"]
        self.console.rule(t(f"Activité {target}", f"Activity {target}"))
        if self.state.get("template"):
            self.console.print(t(f"Modèle : {esc(self.state['template'])} — confirmez ou corrigez chaque champ.",
                                 f"Template: {esc(self.state['template'])} — confirm or correct each field."))
        try:
            while True:
                steps = self.applicable()
                i = self.state["step"]
                nxt = [j for j in steps if j >= i]
                if not nxt:
                    break
                j = nxt[0]
                self.show(STEPS[j], steps.index(j) + 1, len(steps))
                if self.ask(STEPS[j]) == "back":
                    prev = [k for k in steps if k < j]
                    self.state["step"] = prev[-1] if prev else 0
                else:
                    self.state["step"] = j + 1
                self.save()
            return self.finish()
        except Quit:
            self.save()
            self.console.print(t(f"Brouillon enregistré ({self.draft_id}) : reprendre avec "
                                 "`cyberaudit register add --resume`.",
                                 f"Draft saved ({self.draft_id}): continue with `cyberaudit register add --resume`."))
            return None

    def finish(self) -> Activity | None:
        if self.state.get("kind") == "add" and store.exists(self.ws, self.state["target"]):
            old, self.state["target"] = self.state["target"], store.next_id(self.ws)
            self.console.print(t(f"{old} a été pris entre-temps : la fiche devient {self.state['target']}.",
                                 f"{old} was taken meanwhile: the record becomes {self.state['target']}."))
        try:
            act = Activity.model_validate({**self.data, "id": self.state["target"]})
        except ValidationError as exc:
            e = exc.errors(include_url=False)[0]
            where = ".".join(str(p) for p in e["loc"])
            self.console.print(t("[red]Fiche incomplète[/] : ", "[red]Record incomplete[/]: ") + esc(f"{where} : {describe_error(e)}"))
            keys = [s.key.split(".")[0] for s in STEPS]
            self.state["step"] = keys.index(str(e["loc"][0])) if e["loc"] and str(e["loc"][0]) in keys else 0
            self.save()
            return self.run()
        self.console.print()
        self.console.print(t(f"[bold]{act.id} — {esc(act.name)}[/] : prête à être enregistrée.",
                             f"[bold]{act.id} — {esc(act.name)}[/]: ready to be saved."))
        bases = ", ".join(LEGAL_BASES[b.basis][0] for b in act.legal_bases)
        self.console.print(esc(f"{t('Base légale', 'Lawful basis')} : {bases or '—'}"))
        while True:
            answer = self.read(t("Enregistrer au registre ? (o/n) : ", "Save to the record? (y/n): ")).strip().lower()
            if answer in ("o", "oui", "y", "yes"):
                saved = store.save(self.ws, act, by=self.by, new=self.state.get("kind") == "add")
                store.delete_draft(self.ws, self.draft_id)
                if saved.id != act.id:
                    self.console.print(t(f"{act.id} a été pris entre-temps : la fiche devient {saved.id}.",
                                         f"{act.id} was taken meanwhile: the record becomes {saved.id}."))
                self.console.print(t(f"[green]Enregistrée[/] : register/{saved.id}.yaml",
                                     f"[green]Saved[/]: register/{saved.id}.yaml"))
                return saved
            if answer in ("n", "non", "no", "q"):
                raise Quit


def new_state(target: str, kind: str, activity: Activity | None = None, template: str | None = None) -> dict:
    data = dump(activity) if activity is not None else {}
    for k in ("id", "updated", "updated_by"):
        data.pop(k, None)
    if template:
        data["template"] = template
    return {"kind": kind, "target": target, "template": template, "step": 0, "data": data}
