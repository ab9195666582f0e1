"""`cyberaudit checklists lint|list|show ID|coverage [FRAMEWORK]`: the interview content for people and CI."""

from __future__ import annotations

import typer

from ..i18n import t


def register(app: typer.Typer) -> None:
    sub = typer.Typer(help=t("Questionnaires et profils : lister, afficher, vérifier",
                             "Question banks and profiles: list, show, lint"), no_args_is_help=True)
    app.add_typer(sub, name="checklists")

    @sub.command("lint", help=t("Vérifier banques, référentiels et profils (code 2 si un problème)",
                                "Check banks, frameworks and profiles (exit 2 on any problem)"))
    def lint_cmd() -> None:
        from ..content.lint import lint_probe_refs
        from ..content.loader import lint
        from ..content.review import lint_review
        from .ui import err, out, safe

        content, problems = lint()
        problems = [*problems, *lint_probe_refs(content.frameworks, content)]
        if not problems:  # wording, migrations, references: on content that loads
            problems = lint_review(content)
        for p in problems:
            err().print(f"[red]✗[/] {safe(p)}", soft_wrap=True)
        if problems:
            err().print(t(f"{len(problems)} problème(s)", f"{len(problems)} problem(s)"))
            raise typer.Exit(2)
        out().print(t(f"✓ Contenu valide : {len(content.banks)} banques, {len(content.questions)} questions, "
                      f"{len(content.frameworks)} référentiels, {len(content.profiles)} profils.",
                      f"✓ Content valid: {len(content.banks)} banks, {len(content.questions)} questions, "
                      f"{len(content.frameworks)} frameworks, {len(content.profiles)} profiles."))

    @sub.command("list", help=t("Lister les banques de questions et les profils", "List question banks and profiles"))
    def list_cmd() -> None:
        from rich.table import Table

        from ..content.loader import load_content
        from .ui import out, safe

        content = load_content()
        table = Table(title=t("Banques de questions", "Question banks"))
        table.add_column("ID", no_wrap=True)
        for col in (t("Titre", "Title"), "Questions"):
            table.add_column(col)
        for bank in content.banks.values():
            table.add_row(bank.id, safe(bank.title.pick()), str(len(bank.questions)))
        out().print(table)
        table = Table(title=t("Profils", "Profiles"))
        table.add_column("ID", no_wrap=True)
        for col in (t("Titre", "Title"), t("Questions posées", "Questions asked"), "NIS2", "REEN"):
            table.add_column(col)
        from ..interview.engine import selected

        for p in content.profiles.values():
            table.add_row(p.id, safe(p.title.pick()), str(len(selected(content, p))), p.facts.nis2.status,
                          p.facts.reen_strategy)
        out().print(table)

    @sub.command("show", help=t("Afficher une question, une banque, un profil ou un référentiel",
                                "Show a question, bank, profile or framework"))
    def show_cmd(item: str = typer.Argument(..., help=t("Identifiant", "Identifier"))) -> None:
        from ..content.loader import load_content
        from ..errors import InputError
        from .checklists_show import show
        from .ui import out

        if not show(load_content(), item, out()):
            raise InputError(t(f"rien ne porte l'identifiant {item!r}", f"nothing has the identifier {item!r}"))

    @sub.command("coverage", help=t("Couverture d'un référentiel par les questions et les contrôles",
                                    "Coverage of a framework by questions and probe checks"))
    def coverage_cmd(framework: str = typer.Argument("anssi-hygiene", help=t("Référentiel", "Framework"))) -> None:
        from ..content.loader import load_content
        from .checklists_show import coverage
        from .ui import out

        coverage(load_content(), framework, out())
