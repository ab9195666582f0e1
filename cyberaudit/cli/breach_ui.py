"""Interactive `incident add` / `incident edit`: one field at a time, every answer saved to the draft.

Like `register add`: the draft `breaches/drafts/<id>.yaml` is rewritten atomically after each answer,
so a session killed at any moment keeps what was entered and `incident add --resume` continues it.
Commands: Entrée garder · - effacer · ? aide · r retour · q quitter (brouillon gardé).
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from ..disk.fileio import describe_error
from ..i18n import t
from ..records import store
from ..records.model import Breach
from ..records.screening import SUGGESTION, screen
from ..records.steps import NIS2_KEYS, STEPS
from ..records.timeutil import TimeError, parse_datetime, show
from .field_walk import FieldWalk, Quit, esc, get


def probe(data: dict) -> dict:
    """The data so far, completed just enough to be validated (a missing awareness time = the event's)."""
    out = {"title": "?", **data, "id": "V-2000-001"}
    if "aware_at" not in out and "occurred_at" in out:
        out["aware_at"] = out["occurred_at"]
    return out


class BreachEditor(FieldWalk):
    resume_command = "cyberaudit incident add {where} --resume"

    def __init__(self, ws, console, draft_id: str, state: dict, *, ctx: dict, nis2: bool):
        super().__init__(ws, console, draft_id, state)
        self.ctx = ctx
        self._steps = tuple(s for s in STEPS if nis2 or s.key not in NIS2_KEYS)

    @property
    def steps(self) -> tuple:
        return self._steps

    def save(self) -> None:
        store.save_draft(self.ws, store.BREACHES, self.draft_id, self.state)

    def header(self) -> None:
        self.console.rule(t(f"Violation {self.state['target']}", f"Breach {self.state['target']}"))

    # ------------------------------------------------------------------ one field

    def shown(self, step) -> str:
        v = get(self.data, step.key)
        if step.kind in ("datetime", "moment") and v:
            try:
                return show(parse_datetime(v, self.ctx["tz"]), self.ctx["tz"])
            except TimeError:
                return str(v)
        if step.kind == "ids" and v:
            return ", ".join(v)
        return super().shown(step)

    def notes(self, step) -> None:
        if step.key == "risk":
            self.show_screening()

    def show_screening(self) -> None:
        try:
            b = Breach.model_validate(probe(self.data), context=self.ctx)
        except ValidationError:
            return
        s = screen(b)
        c = self.console
        c.print(t("[yellow]Pré-analyse (indicative, la décision revient au DPO) :[/]",
                  "[yellow]Screening (indicative, the DPO decides):[/]"))
        c.print(esc(t("  Notification CNIL : ", "  CNIL notification: ") + t(*SUGGESTION[s.cnil])))
        c.print(esc(t("  Information des personnes : ", "  Informing the people: ") + t(*SUGGESTION[s.people])))
        for r in [*s.for_notice, *s.for_high, *s.against]:
            c.print(esc(f"  · {t(*r)}"))

    def parse(self, step, lines: list[str]) -> Any:
        text, tz = lines[0], self.ctx["tz"]
        if step.kind == "text":
            return text
        if step.kind in ("datetime", "moment"):
            try:
                return parse_datetime(text, tz, date_only_ok=step.kind == "moment").isoformat()
            except TimeError as exc:
                raise ValueError(str(exc)) from None
        if step.kind == "int":
            if not text.isdigit():
                raise ValueError(t("nombre entier attendu (estimation)", "whole number expected (estimate)"))
            return int(text)
        if step.kind == "bool":
            low = text.lower()
            if low in ("o", "oui", "y", "yes"):
                return True
            if low in ("n", "non", "no"):
                return False
            raise ValueError(t("oui ou non", "yes or no"))
        if step.kind == "ids":
            return [x.strip().upper() for x in text.replace(";", ",").replace(" ", ",").split(",") if x.strip()]
        keys = list(step.choices)
        parts = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()] if step.kind == "multi" else [text]
        out = []
        for part in parts:
            if part.isdigit() and 1 <= int(part) <= len(keys):
                out.append(keys[int(part) - 1])
            elif part in keys:
                out.append(part)
            else:
                raise ValueError(t(f"choix non reconnu : {part}", f"choice not recognised: {part}"))
        return list(dict.fromkeys(out)) if step.kind == "multi" else out[0]

    def check_field(self, step) -> str | None:
        """The first error the data so far has on this field (or, for a time, on the times as a whole)."""
        try:
            Breach.model_validate(probe(self.data), context=self.ctx)
        except ValidationError as exc:
            top = step.key.split(".")[0]
            for e in exc.errors(include_url=False):
                loc = [str(p) for p in e["loc"]]
                if (loc and loc[0] == top) or (not loc and step.kind in ("datetime", "moment")):
                    return describe_error(e)
        return None

    def finish(self) -> Breach | None:
        if self.state.get("kind") == "add" and store.exists(self.ws, store.BREACHES, self.state["target"]):
            year = int(self.state["target"][2:6])
            self.state["target"] = store.next_id(self.ws, store.BREACHES, year)
        try:
            b = Breach.model_validate({**self.data, "id": self.state["target"]}, context=self.ctx)
        except ValidationError as exc:
            e = exc.errors(include_url=False)[0]
            where = ".".join(str(p) for p in e["loc"]) or t("dates", "times")
            self.console.print(t("[red]Fiche incomplète[/] : ", "[red]Record incomplete[/]: ")
                               + esc(f"{where} : {describe_error(e)}"))
            self.back_to(e["loc"] or ("aware_at",))
            return self.run()
        self.console.print()
        self.console.print(t(f"[bold]{b.id} — {esc(b.title)}[/] : prête à être enregistrée.",
                             f"[bold]{b.id} — {esc(b.title)}[/]: ready to be saved."))
        while True:
            answer = self.read(t("Enregistrer au registre des violations ? (o/n) : ",
                                 "Save to the breach log? (y/n): ")).strip().lower()
            if answer in ("o", "oui", "y", "yes"):
                saved = store.save(self.ws, store.BREACHES, b, self.ctx)
                store.delete_draft(self.ws, store.BREACHES, self.draft_id)
                self.console.print(t(f"[green]Enregistrée[/] : breaches/{saved.id}.yaml",
                                     f"[green]Saved[/]: breaches/{saved.id}.yaml"))
                return saved
            if answer in ("n", "non", "no", "q"):
                raise Quit


def new_state(target: str, kind: str, breach: Breach | None = None) -> dict:
    from ..records.model import dump

    data = dump(breach) if breach is not None else {}
    for k in ("id", "updated"):
        data.pop(k, None)
    return {"kind": kind, "target": target, "step": 0, "data": data}
