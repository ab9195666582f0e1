"""The review lints `cyberaudit checklists lint` runs on top of loading (CI runs them):

  - wording: one question asks one thing, positive forms, who answers (wording.py, reviewed.yaml);
  - migrations of old answers fit the bank (migrations.py);
  - frameworks: topic labels do not pose as numbers, parts belong to their item;
  - every reference cited anywhere resolves, part by part (refs.py).

Loading a bank does not run them, so fixtures and drafts load; the shipped content must pass them.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError

_NUMBERED = re.compile(r"^R?\d")


def lint_frameworks(content) -> list[tuple[str, str]]:
    out = []
    for key, fw in content.frameworks.items():
        for item in fw.items:
            if fw.numbering == "topics" and _NUMBERED.match(item.id) and not item.title.fr.startswith("Document"):
                out.append((key, f"{key}:{item.id}: a framework cited by topic must not use IDs that look like "
                                 "the source's numbers (R12, 4…); name the topic"))
            for part in item.parts:
                if not part.startswith(item.id) or part == item.id:
                    out.append((key, f"{key}:{item.id}: part {part!r} is not written as a part of {item.id!r}"))
    return out


def lint_review(content, checklists_dir: Path | None = None) -> list:
    from . import migrations, wording
    from .loader import Problem, default_dirs
    from .refs import check_all

    c_dir = Path(checklists_dir) if checklists_dir else default_dirs()[0]
    problems: list[Problem] = []
    reviewed_path = c_dir.joinpath(*wording.REVIEWED_FILE)
    try:
        reviewed, _ = wording.load_reviewed(reviewed_path)
    except InputError as exc:
        return [Problem(str(reviewed_path), exc.line, exc.bare_message)]
    for qid, message in wording.lint_wording(content.questions, reviewed):
        file, line = content.where.get(qid, (str(reviewed_path), None)) if qid else (str(reviewed_path), None)
        problems.append(Problem(file, line, message))
    table_path = c_dir.joinpath(*migrations.FILE)
    try:
        table = migrations.load_table(str(table_path))
        problems += [Problem(str(table_path), None, m) for m in migrations.check_table(table, content.questions)]
    except InputError as exc:
        problems.append(Problem(str(table_path), exc.line, exc.bare_message))
    for key, message in lint_frameworks(content):
        problems.append(Problem(str(c_dir / "frameworks" / f"{key}.yaml"), None, message))
    problems += [Problem("references", None, m) for m in check_all(content)]
    return problems
