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
from .field_walk import FieldWalk, Quit, esc, get

BY_KEY = {c.key: c for c in COLUMNS}



def _by_label(step: Step, text: str) -> str | None:
    """A choice typed by its French or English label."""
    from ..register.vocab import norm

    return next((k for k, (fr, en) in (step.choices or {}).items() if norm(text) in (norm(fr), norm(en))), None)

class Editor(FieldWalk):
    resume_command = "cyberaudit register add {where} --resume"
    discard_command = "cyberaudit register discard {where} {draft}"
    steps = STEPS

    def __init__(self, ws, console: Console, draft_id: str, state: dict, *, by: str | None = None, org=None):
        super().__init__(ws, console, draft_id, state)
        self.by, self.org = by, org

    def save(self) -> None:
        store.save_draft(self.ws, self.draft_id, self.state)

    def help_text(self, step: Step) -> str:
        return t(step.help_fr, step.help_en) or t(*ITEM_HELP)

    def more_lines(self, step: Step) -> bool:
        return step.kind == "cell" and BY_KEY[step.key].kind in ("lines", "items", "ints")

    # ------------------------------------------------------------------ display

    def shown(self, step: Step) -> str:
        v = get(self.data, step.key)
        col = BY_KEY.get(step.key)
        if step.kind not in ("choice", "multi", "bool") and v not in (None, []) and col is not None \
                and col.kind != "text":
            return cell_text(col, v)
        return super().shown(step)

    def notes(self, step: Step) -> None:
        if step.key == "dpia.criteria":
            self.show_screening()

    def hint(self, step: Step) -> str | None:
        return t(*ITEM_HELP) if step.kind == "cell" else None

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
                raise CellError(t("date attendue (JJ/MM/AAAA ou AAAA-MM-JJ)",
                                  "date expected (DD/MM/YYYY or YYYY-MM-DD)")) from None
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

    def header(self) -> None:
        target = self.state["target"]
        self.console.rule(t(f"Activité {target}", f"Activity {target}"))
        if self.state.get("template"):
            self.console.print(t(f"Modèle : {esc(self.state['template'])} — confirmez ou corrigez chaque champ.",
                                 f"Template: {esc(self.state['template'])} — confirm or correct each field."))

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
            self.back_to(e["loc"])
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
