"""The controller, representative and DPO blocks of a CNIL model register, taken into organisation.yaml.

Only what the workspace does not have yet is filled in (a value already there is never replaced);
the file keeps its comments. Returns what was filled, for the user to see.
"""

from __future__ import annotations

from ..disk.fileio import atomic_write, to_plain
from ..disk.yaml_rt import dumps_yaml, load_yaml_rt, merge_into
from ..i18n import t

ROLES = {"controller": ("le responsable du traitement", "the controller"),
         "representative": ("le représentant", "the representative"), "dpo": ("le DPO", "the DPO")}
FIELDS_FR = {"name": "nom", "email": "courriel", "phone": "téléphone", "address": "adresse", "company": "société"}


def contact(block: dict[str, str]) -> dict[str, str]:
    """A block of the workbook ("Nom :", "Prénom :", "Adresse :", "Code postal :"…) as a contact."""
    name = " ".join(x for x in (block.get("first"), block.get("last") or block.get("name")) if x)
    town = " ".join(x for x in (block.get("postcode"), block.get("city")) if x)
    address = ", ".join(x for x in (block.get("address"), town) if x)
    out = {"name": name, "email": block.get("email"), "phone": block.get("phone"), "address": address,
           "company": block.get("company")}
    return {k: v for k, v in out.items() if v}


def _write(ws, current, data: dict) -> None:
    from ..model import Organisation

    Organisation.model_validate(data)  # never write an organisation.yaml that would not load
    with ws.lock():
        atomic_write(ws.organisation_path, dumps_yaml(merge_into(current, data)) if hasattr(current, "lc")
                     else dumps_yaml(data))


def set_staff(ws, staff: int) -> None:
    current = load_yaml_rt(ws.organisation_path)
    _write(ws, current, {**to_plain(current), "staff": staff})


def fill(ws, blocks: dict[str, dict[str, str]]) -> list[str]:
    """Fill organisation.yaml from the blocks; the list of what was added (French or English)."""
    if not blocks:
        return []
    current = load_yaml_rt(ws.organisation_path)
    data = to_plain(current)
    said = []
    for role, block in blocks.items():
        if role not in ROLES:
            continue
        values = contact(block)
        if role != "dpo":
            values.pop("company", None)
        if role == "controller" and values.get("name") == data.get("name"):
            values.pop("name")  # the organisation itself, not a person
        have = data.get(role) or {}
        added = {k: v for k, v in values.items() if not have.get(k)}
        if role == "controller" and not data.get("address") and values.get("address"):
            data["address"] = values["address"]
            said.append(t("l'adresse de l'organisme", "the organisation's address"))
        if added:
            data[role] = {**have, **added}
            said.append(t(f"{ROLES[role][0]} ({', '.join(FIELDS_FR[k] for k in added)})",
                          f"{ROLES[role][1]} ({', '.join(added)})"))
    if said:
        _write(ws, current, data)
    return said
