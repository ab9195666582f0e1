"""`cyberaudit init --territory DIR`: a territory repository, ready for scheduled scans.

    create_territory(root, "Pays de Test", members=[{"siren": ..., "name": ..., "kind": "commune"}])

Writes `territoire.yaml`, one workspace per member (`membres/<SIREN>/`), a `.gitignore`
and a `.gitattributes` suited to it, a `LISEZMOI.md`, and CI recipes (GitLab CI with a
`parallel:` matrix, GitHub Actions with a matrix) that scan on a schedule and commit the
results. Everything is validated before the first byte is written.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from pathlib import Path
from typing import Any

from ..content.locate import data_file
from ..errors import InputError
from ..i18n import t
from ..sanitize import bounded
from .manifest import MANIFEST, MEMBERS_DIR, Member, Territory, manifest_text, member_dir

# template (package data in cyberaudit/data/territory/) -> path in the repository
TEMPLATES: dict[str, str] = {
    "gitignore": ".gitignore",
    "gitattributes": ".gitattributes",
    "gitlab-ci.yml": ".gitlab-ci.yml",
    "github-workflow.yml": ".github/workflows/cyberaudit.yml",
    "LISEZMOI.md": "LISEZMOI.md",
}


def template_text(name: str, territory_name: str) -> str:
    from .. import __version__

    text = data_file(f"territory/{name}").read_text("utf-8")
    # The name only ever lands in comments and Markdown titles: one line, no control characters.
    text = text.replace("{{VERSION}}", __version__)
    return text.replace("{{NAME}}", bounded(territory_name, 120).replace("`", "'"))


def _members(members: list[dict[str, Any]] | None) -> list[Member]:
    from pydantic import ValidationError

    from ..content.locate import profile_ids
    from ..disk.fileio import describe_error

    known = profile_ids()
    out = []
    for i, raw in enumerate(members or []):
        try:
            member = Member.model_validate(raw)
        except ValidationError as exc:
            err = exc.errors(include_url=False)[0]
            field = f"members[{i}]." + ".".join(str(p) for p in err["loc"])
            raise InputError(describe_error(err), field=field) from None
        if known and member.kind not in known:
            raise InputError(t(f"profil inconnu {member.kind!r} ; possibles : {', '.join(known)}",
                               f"unknown kind {member.kind!r}; known: {', '.join(known)}"),
                             field=f"members[{i}].kind")
        out.append(member)
    return out


def create_territory(root: str | Path, name: str, members: list[dict[str, Any]] | None = None) -> Path:
    """Create a territory repository at `root` and return its path. Refuses to overwrite one."""
    from ..disk.workspace import create
    from ..model import Organisation

    root = Path(root)
    if (root / MANIFEST).exists():
        raise InputError(t("un dépôt de territoire existe déjà ici", "a territory repository already exists here"),
                         file=str(root / MANIFEST))
    if root.exists() and not root.is_dir():
        raise InputError(t("ce chemin existe et n'est pas un dossier", "this path exists and is not a folder"),
                         file=str(root))
    name = (name or "").strip()
    if not name:
        raise InputError(t("nom du territoire manquant", "territory name missing"), field="name")
    try:
        territory = Territory(name=name, members=_members(members))
    except ValueError as exc:
        raise InputError(str(exc).splitlines()[-1] if str(exc) else "invalid", field="members") from None
    orgs = [Organisation(name=m.name, siren=m.siren, kind=m.kind, population=m.population)
            for m in territory.members]
    clashes = [m.siren for m in territory.members if (member_dir(root, m.siren) / "organisation.yaml").exists()]
    if clashes:
        raise InputError(t("un espace de travail existe déjà pour ce membre", "a workspace already exists for this member"),
                         file=str(member_dir(root, clashes[0])))

    from ..disk.fileio import atomic_write

    root.mkdir(parents=True, exist_ok=True)
    for template, rel in TEMPLATES.items():
        target = root / rel
        if not target.exists():
            atomic_write(target, template_text(template, name))
    keep = root / MEMBERS_DIR / ".gitkeep"
    if not keep.exists():
        atomic_write(keep, "")
    for org in orgs:
        create(member_dir(root, org.siren), org)
    atomic_write(root / MANIFEST, manifest_text(territory))
    _git_init(root)
    return root


def _git_init(root: Path) -> None:
    """Make the folder a git repository when git is installed and it is not inside one already."""
    git = shutil.which("git")
    if not git:
        return
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        inside = subprocess.run([git, "-C", str(root), "rev-parse", "--is-inside-work-tree"],
                                capture_output=True, text=True, timeout=10)
        if inside.returncode == 0 and inside.stdout.strip() == "true":
            return
        subprocess.run([git, "init", "-q", str(root)], capture_output=True, timeout=10, check=False)


def add_member(root: str | Path, member: dict[str, Any]) -> Path:
    """Declare one more member in `territoire.yaml` and create its workspace. Returns its folder."""
    from ..disk.fileio import atomic_write
    from ..disk.workspace import create
    from ..model import Organisation
    from .manifest import load_territory

    territory = load_territory(root)
    (new,) = _members([member])
    if new.siren in territory.sirens():
        raise InputError(t(f"SIREN {new.siren} déjà membre", f"SIREN {new.siren} is already a member"),
                         field="siren")
    updated = Territory(name=territory.name, members=[*territory.members, new])
    folder = member_dir(root, new.siren)
    create(folder, Organisation(name=new.name, siren=new.siren, kind=new.kind, population=new.population))
    atomic_write(Path(root) / MANIFEST, manifest_text(updated))
    return folder
