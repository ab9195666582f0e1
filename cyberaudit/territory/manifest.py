"""`territoire.yaml`: the territory's name and its members, and where each member's workspace lives.

    territory = load_territory(root)          # -> Territory (InputError naming file, line, field)
    territory.member_dir(root, siren)         # -> root/membres/<siren>

A member's workspace is `membres/<SIREN>/` (an ordinary cyberaudit workspace), so
every member's files are its own and parallel CI jobs never touch the same file.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator, model_validator

from ..errors import InputError
from ..i18n import t
from ..model import Strict, siren_is_valid

MANIFEST = "territoire.yaml"
MEMBERS_DIR = "membres"
SCHEMA = "cyberaudit/territory/v1"

HEADER = """\
Territoire suivi par cyberaudit (schéma cyberaudit/territory/v1).
Un membre par SIREN ; son espace de travail est membres/<SIREN>/ (organisation.yaml, answers.yaml, ...).
kind : un profil (petite-commune, commune, grande-commune, epci, petr, departement, syndicat-mixte).
Fichier modifiable à la main : ajoutez un membre ici puis lancez `cyberaudit init membres/<SIREN> ...`."""


class Member(Strict):
    siren: str
    name: str = Field(min_length=1, max_length=300)
    kind: str = Field(min_length=1, max_length=60)
    population: int | None = Field(default=None, ge=0)

    @field_validator("siren", mode="before")
    @classmethod
    def _siren(cls, v) -> str:
        v = str(v).replace(" ", "")
        if not siren_is_valid(v):
            raise ValueError(t("le SIREN doit compter 9 chiffres avec une clé de contrôle valide (Luhn)",
                               "SIREN must be 9 digits with a valid checksum (Luhn)"))
        return v


class Territory(Strict):
    schema_: str = Field(default=SCHEMA, alias="schema")
    name: str = Field(min_length=1, max_length=300)
    members: list[Member] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> Territory:
        seen: set[str] = set()
        for m in self.members:
            if m.siren in seen:
                raise ValueError(t(f"SIREN {m.siren} déclaré deux fois", f"SIREN {m.siren} listed twice"))
            seen.add(m.siren)
        self.members = sorted(self.members, key=lambda m: m.siren)
        return self

    def sirens(self) -> list[str]:
        return [m.siren for m in self.members]


def member_dir(root: str | Path, siren: str) -> Path:
    return Path(root) / MEMBERS_DIR / siren


def manifest_text(territory: Territory) -> str:
    from ..disk.yaml_rt import dumps_yaml

    data = territory.model_dump(mode="json", by_alias=True, exclude_none=True)
    data["members"] = sorted(data["members"], key=lambda m: m["siren"])
    return "".join(f"# {line}\n" for line in HEADER.splitlines()) + dumps_yaml(data)


def load_territory(root: str | Path) -> Territory:
    """Read and validate `territoire.yaml`; a bad file is an InputError naming its line and field."""
    from ..disk.fileio import load_yaml, validate

    root = Path(root)
    path = root / MANIFEST
    if not path.is_file():
        raise InputError(
            t("pas de dépôt de territoire ici (territoire.yaml manquant) : lancez `cyberaudit init --territory`",
              "no territory repository here (territoire.yaml missing): run `cyberaudit init --territory`"),
            file=str(path),
        )
    try:  # fast path: libyaml with YAML 1.2 core rules (a territory may list thousands of members)
        from . import fastyaml

        return Territory.model_validate(fastyaml.load(path.read_bytes()))
    except Exception:  # any problem: the careful path, whose errors name the file, line and field
        return validate(Territory, load_yaml(path), str(path))
