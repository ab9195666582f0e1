"""Interactive `register add` / `register edit` (Rich, line-based, French by default).

One field at a time. Every answer is written to the draft `register/drafts/<id>.yaml` (atomic rename)
before the next field is shown, so a session killed at any moment keeps what was entered;
`register add --resume` continues it. Commands: Entrée garder · - effacer · ? aide · r retour ·
q enregistrer le brouillon et quitter. Lists: one item per line, an empty line ends the list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from rich.console import Console

from ..fileio import describe_error
from ..i18n import t
from ..sanitize import bounded, strip_control
from . import dpia as dpia_mod
from . import store
from .model import LEGAL_BASES, SUBJECTS, WP248, Activity, dump
from .table import COLUMNS, CellError, cell_text, cell_value

BY_KEY = {c.key: c for c in COLUMNS}
ROLES = {"controller": ("Responsable du traitement", "Controller"),
         "joint_controller": ("Responsable conjoint", "Joint controller"),
         "processor": ("Sous-traitant pour d'autres collectivités (art. 30(2))", "Processor for other bodies (art. 30(2))")}
VIDEO_SCOPES = {"public_places": ("voie publique, lieux ouverts au public", "public roads and places"),
                "premises": ("intérieur de bâtiments", "inside buildings"),
                "workplace": ("lieux de travail", "workplaces")}
INPUT_MAX = 4000


@dataclass(frozen=True)
class Step:
    key: str
    fr: str
    en: str
    kind: str = "cell"  # text | cell | choice | multi | bool | date | int
    choices: dict[str, tuple[str, str]] | None = None
    help_fr: str = ""
    help_en: str = ""
    required: bool = False
    when: Callable[[dict], bool] | None = None


def _processor(d: dict) -> bool:
    return d.get("role") == "processor"


def _controller(d: dict) -> bool:
    return d.get("role") != "processor"


ITEM_HELP = ("Une ligne par élément, parties séparées par « | » ; ligne vide pour finir.",
             "One line per item, parts separated by '|'; an empty line ends the list.")
STEPS: tuple[Step, ...] = (
    Step("name", "Nom du traitement", "Name of the processing", "text", required=True),
    Step("owner_service", "Service responsable", "Department in charge", "text"),
    Step("role", "Rôle de la collectivité pour ce traitement", "Role of the organisation", "choice", ROLES),
    Step("on_behalf_of", "Pour le compte de quels responsables ? (nom | SIREN | contact)",
         "On behalf of which controllers? (name | SIREN | contact)", when=_processor),
    Step("purpose", "Finalité principale", "Main purpose", "text"),
    Step("sub_purposes", "Sous-finalités (une par ligne, 5 au plus)", "Sub-purposes (one per line, at most 5)"),
    Step("legal_bases", "Base légale (6.1.a … 6.1.f | texte ou mission | finalité)",
         "Lawful basis (6.1.a … 6.1.f | legal text or mission | purpose)",
         help_fr="6.1.a consentement · 6.1.b contrat · 6.1.c obligation légale · 6.1.d intérêts vitaux · "
                 "6.1.e mission d'intérêt public · 6.1.f intérêt légitime (interdit pour les missions publiques). "
                 "Pour 6.1.c et 6.1.e, citer le texte (CGCT, code électoral…).",
         help_en="6.1.a consent · 6.1.b contract · 6.1.c legal obligation · 6.1.d vital interests · 6.1.e public task · "
                 "6.1.f legitimate interests (not for public tasks). For 6.1.c and 6.1.e cite the text.",
         when=_controller),
    Step("data_subjects", "Personnes concernées (numéros séparés par des virgules)",
         "Data subjects (numbers separated by commas)", "multi", SUBJECTS, when=_controller),
    Step("estimated_subjects", "Nombre de personnes concernées (estimation)", "Number of people (estimate)", "int",
         when=_controller),
    Step("data_categories", "Catégories de données (catégorie | description | durée | début | sort final | source)",
         "Data categories (category | description | period | start | end action | source)",
         help_fr="Catégories : identity, personal_life, professional_life, financial, connection, location, internet, other. "
                 "Sort final : deletion, anonymisation, archiving, sorting.",
         help_en="Categories: identity, personal_life, professional_life, financial, connection, location, internet, other. "
                 "End action: deletion, anonymisation, archiving, sorting.", when=_controller),
    Step("special_data", "Données sensibles (type | description | exception 9.2.x | fondement | durée …)",
         "Sensitive data (type | description | exception 9.2.x | basis | period …)",
         help_fr="Types : health, biometric, genetic, racial_ethnic, political, religious, trade_union, sex_life, "
                 "offences (art. 10 : citer le fondement), nir (citer la finalité autorisée).",
         help_en="Types: health, biometric, genetic, racial_ethnic, political, religious, trade_union, sex_life, "
                 "offences (art. 10: give the basis), nir (give the authorised purpose).", when=_controller),
    Step("sources", "Sources des données (une par ligne)", "Data sources (one per line)"),
    Step("recipients", "Destinataires (nom | type)", "Recipients (name | type)",
         help_fr="Types : internal_service, processor, public_authority, partner, other_third_party.",
         help_en="Types: internal_service, processor, public_authority, partner, other_third_party."),
    Step("processors", "Sous-traitants (nom | service | clauses art. 28 oui/non | contrat | pays)",
         "Processors (name | service | art. 28 clauses yes/no | contract | country)"),
    Step("transfers", "Transferts hors UE (destinataire | pays | garantie | documentation)",
         "Transfers outside the EU (recipient | country | safeguard | documentation)",
         help_fr="Garanties : adequacy, dpf, scc, bcr, derogation. Pays : code à deux lettres (US, GB…).",
         help_en="Safeguards: adequacy, dpf, scc, bcr, derogation. Country: two-letter code (US, GB…)."),
    Step("retention", "Durée de conservation (durée | début | sort final | source)",
         "Retention (period | start | end action | source)",
         help_fr="Ex. : 30 jours | enregistrement | deletion | CSI L252-5. « Illimitée » n'est admis qu'avec archiving.",
         help_en="E.g.: 30 days | recording | deletion | CSI L252-5. 'Indefinite' only with archiving.", when=_controller),
    Step("security_measures", "Mesures de sécurité (identifiant | description | statut)",
         "Security measures (ID | description | status)",
         help_fr="Identifiant d'une question (iam.mfa.teleservices), d'un constat ou d'une référence (anssi-hygiene:37). "
                 "Statut : in_place, partial, planned, missing.",
         help_en="ID of a question (iam.mfa.teleservices), a finding or a reference (anssi-hygiene:37). "
                 "Status: in_place, partial, planned, missing."),
    Step("video", "Vidéoprotection (portée | nombre de caméras | autorisation préfectorale) — vide si sans objet",
         "Video surveillance (scope | cameras | prefectoral authorisation) — empty if none",
         help_fr="Portée : public_places, premises, workplace.", help_en="Scope: public_places, premises, workplace.",
         when=_controller),
    Step("dpia.criteria", "AIPD : critères WP248 réunis (numéros)", "DPIA: WP248 criteria met (numbers)", "multi",
         dpia_mod.CRITERIA_TEXT, when=_controller),
    Step("dpia.cnil_types", "AIPD : types de la liste CNIL concernés (numéros 1 à 14)",
         "DPIA: CNIL list types concerned (numbers 1-14)", "multi",
         {str(k): v for k, v in dpia_mod.CNIL_TYPES.items()}, when=_controller),
    Step("dpia.exemption", "AIPD : exemption CNIL (numéro), vide si aucune", "DPIA: CNIL exemption (number), empty if none",
         "int", help_fr="; ".join(f"{k} {v[0]}" for k, v in dpia_mod.EXEMPTIONS.items()),
         help_en="; ".join(f"{k} {v[1]}" for k, v in dpia_mod.EXEMPTIONS.items()), when=_controller),
    Step("dpia.done", "AIPD réalisée ? (oui/non)", "DPIA done? (yes/no)", "bool", when=_controller),
    Step("dpia.date", "Date de l'AIPD (AAAA-MM-JJ)", "Date of the DPIA (YYYY-MM-DD)", "date",
         when=lambda d: _controller(d) and bool((d.get("dpia") or {}).get("done"))),
    Step("assets", "Actifs : domaines et hôtes de l'inventaire utilisés (un par ligne)",
         "Assets: inventory domains and hosts used (one per line)"),
    Step("notes", "Notes", "Notes", "text"),
)


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
        key = esc(f"[{step.key}]")
        c.print(t(f"[dim]Champ {index} sur {total} · {key}[/]", f"[dim]Field {index} of {total} · {key}[/]"))
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
        s = dpia_mod.screen(act)
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
            if text in keys:
                return text
            raise CellError(t("choix non reconnu", "choice not recognised"))
        if step.kind == "multi":
            keys, out = list(step.choices), []
            for part in text.replace(";", ",").split(","):
                part = part.strip()
                if not part:
                    continue
                if part.isdigit() and 1 <= int(part) <= len(keys):
                    key = keys[int(part) - 1]
                elif part in keys:
                    key = part
                else:
                    raise CellError(t(f"choix non reconnu : {part}", f"choice not recognised: {part}"))
                out.append(int(key) if step.key == "dpia.cnil_types" else key)
            return list(dict.fromkeys(out))
        if step.kind == "date":
            import datetime as dt

            try:
                return dt.date.fromisoformat(text).isoformat()
            except ValueError:
                raise CellError(t("date attendue AAAA-MM-JJ", "date expected YYYY-MM-DD")) from None
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
                saved = store.save(self.ws, act, by=self.by)
                store.delete_draft(self.ws, self.draft_id)
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
