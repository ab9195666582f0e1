"""Templates of processing activities for communes, EPCI, syndicates and PETR (data/register_templates.yaml).

A template is a starting point: `register add --from-template ID` proposes each field for confirmation.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from ..content.locate import data_file
from ..disk.fileio import line_of, load_yaml, to_plain, validate
from ..errors import InputError
from ..i18n import t
from ..model import Text
from .model import Activity

FILE = "register_templates.yaml"


@dataclass(frozen=True)
class Template:
    id: str
    title: Text
    profiles: tuple[str, ...]
    data: dict[str, Any]  # activity fields (no id)

    def activity(self, activity_id: str, *, staff: int | None = None) -> Activity:
        """The record the template proposes. A DPIA exemption tied to the headcount ("fewer than 250 people")
        is proposed only when the organisation's `staff` is known and under the limit: never by default."""
        from .dpia import staff_exemption_refused

        data = {"id": activity_id, **self.data, "template": self.id}
        dpia = dict(data.get("dpia") or {})
        if dpia.get("exemption") == "staff-under-250" and staff_exemption_refused(staff):
            dpia["exemption"] = None
            data["dpia"] = dpia
        return Activity.model_validate(data)

    def needs_staff(self) -> bool:
        return (self.data.get("dpia") or {}).get("exemption") == "staff-under-250"




@cache
def load_templates() -> dict[str, Template]:
    path = data_file(FILE)
    raw = load_yaml(path)
    out: dict[str, Template] = {}
    for i, item in enumerate(raw.get("templates") or []):
        tid = str(item.get("id", ""))
        if not tid or tid in out:
            raise InputError(f"template id missing or duplicated: {tid!r}", file=str(path),
                             line=line_of(raw, ("templates", i)))
        data = to_plain(item.get("activity") or {})
        validate(Activity, {"id": "T-001", **data}, str(path))  # a broken template is a packaging bug
        title = item["title"]
        out[tid] = Template(tid, Text(fr=str(title["fr"]), en=str(title["en"])),
                            tuple(str(p) for p in item.get("for") or ()), data)
    return out


def get(template_id: str) -> Template:
    templates = load_templates()
    if template_id not in templates:
        raise InputError(t(f"modèle inconnu {template_id!r} ; `cyberaudit register templates` les liste",
                           f"unknown template {template_id!r}; `cyberaudit register templates` lists them"),
                         field="--from-template")
    return templates[template_id]


def for_profile(profile: str | None) -> list[Template]:
    """Templates that fit an organisation kind (all of them when the kind is unknown)."""
    items = list(load_templates().values())
    if profile is None:
        return items
    fit = [x for x in items if not x.profiles or profile in x.profiles]
    return fit or items
