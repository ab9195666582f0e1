"""The register as a table, laid out like the CNIL model register: one row per activity, one column per field.

Shared by export (CSV, XLSX, ODS) and import. A cell holding a list has one item per line; an item with
several parts separates them with " | " in a fixed order (given in the column's `parts`). A literal
"|" or a line break inside a value is written "\\|" / "\\n", so every register survives a round trip.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import vocab as V
from .model import LEGAL_BASES, Activity, dump

SHEET = "Registre"
COVER_SHEET = "Organisation"
SEP = " | "


@dataclass(frozen=True)
class Column:
    key: str  # field path in the activity ("dpia.done")
    label: str  # French header, as in the CNIL model
    kind: str = "text"  # text | lines | items | item | pairs | bool | int | ints
    parts: tuple[str, ...] = ()
    vocab: str | None = None  # values shown with their French label (vocab.py)


RET = ("duration", "start", "end_action", "source")
COLUMNS: tuple[Column, ...] = (
    Column("id", "N° / Réf."),
    Column("name", "Nom du traitement"),
    Column("reference", "Référence de l'organisme"),
    Column("status", "Statut", vocab="status"),
    Column("role", "Rôle de l'organisme", vocab="roles"),
    Column("owner_service", "Service responsable"),
    Column("created", "Date de création"),
    Column("updated", "Dernière mise à jour"),
    Column("updated_by", "Mis à jour par"),
    Column("joint_controllers", "Responsables conjoints", "lines"),
    Column("on_behalf_of", "Pour le compte de (art. 30.2)", "items", ("name", "siren", "contact")),
    Column("purpose", "Finalité principale"),
    Column("sub_purposes", "Sous-finalités", "lines"),
    Column("legal_bases", "Base légale (art. 6)", "items", ("basis", "text", "purpose")),
    Column("data_subjects", "Personnes concernées", "lines", vocab="subjects"),
    Column("subject_details", "Personnes concernées : précisions", "pairs", ("subject", "text")),
    Column("estimated_subjects", "Nombre de personnes (estimation)", "int"),
    Column("data_categories", "Catégories de données", "items", ("category", "description", *RET)),
    Column("special_data", "Données sensibles", "items", ("type", "description", "exception", "basis", *RET)),
    Column("sources", "Sources des données", "lines"),
    Column("recipients", "Destinataires", "items", ("name", "type")),
    Column("processors", "Sous-traitants", "items", ("name", "service", "art28_clauses", "contract", "country")),
    Column("transfers", "Transferts hors UE", "items", ("recipient", "country", "safeguard", "documentation")),
    Column("retention", "Durée de conservation", "item", RET),
    Column("security_measures", "Mesures de sécurité", "items", ("id", "description", "status", "type")),
    Column("dpia.criteria", "AIPD : critères WP248", "lines", vocab="wp248"),
    Column("dpia.cnil_types", "AIPD : liste CNIL (n°)", "ints"),
    Column("dpia.exemption", "AIPD : exemption CNIL", vocab="exemptions"),
    Column("dpia.done", "AIPD réalisée", "bool"),
    Column("dpia.date", "AIPD : date"),
    Column("dpia.reference", "AIPD : référence"),
    Column("video", "Vidéoprotection", "item", ("scope", "cameras", "authorisation")),
    Column("assets", "Actifs (domaines, hôtes)", "lines"),
    Column("template", "Modèle"),
    Column("notes", "Notes"),
)
HEADERS = tuple(c.label for c in COLUMNS)
BY_LABEL = {c.label: c for c in COLUMNS}
BY_FIELD = {c.key.split(".")[0] if not c.key.startswith("dpia.") else c.key: c for c in COLUMNS}
# Item parts shown with their French label; the key is (first part of the column, part).
PART_VOCAB = {("category", "category"): "categories", ("type", "type"): "special", ("name", "type"): "recipients",
              ("recipient", "safeguard"): "safeguards", ("id", "status"): "measure_status",
              ("id", "type"): "measure_types", ("scope", "scope"): "video"}
TRUE = ("oui", "o", "yes", "y", "true", "vrai", "1", "x")
FALSE = ("non", "n", "no", "false", "faux", "0")


def esc(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    s = str(value)
    return s.replace("\\", "\\\\").replace("|", "\\|").replace("\r\n", "\n").replace("\n", "\\n")


def unesc(s: str) -> str:
    out, i = [], 0
    while i < len(s):
        ch = s[i]
        if ch == "\\" and i + 1 < len(s):
            nxt = s[i + 1]
            out.append({"n": "\n", "|": "|", "\\": "\\"}.get(nxt, "\\" + nxt))
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def split_parts(line: str) -> list[str]:
    """Split an item line on unescaped '|'."""
    parts, cur, i = [], [], 0
    while i < len(line):
        ch = line[i]
        if ch == "\\" and i + 1 < len(line):
            cur.append(line[i:i + 2])
            i += 2
            continue
        if ch == "|":
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
        i += 1
    parts.append("".join(cur))
    return [unesc(p.strip()) for p in parts]


def get_path(data: dict, key: str) -> Any:
    """The value at a dotted field path ("dpia.done") of plain activity data."""
    node: Any = data
    for part in key.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _item_text(item: dict, parts: tuple[str, ...]) -> str:
    flat = dict(item)
    ret = flat.pop("retention", None) or {}
    flat.update({k: v for k, v in ret.items()})
    if "basis" in flat and flat.get("basis") in LEGAL_BASES and parts[0] == "basis":
        flat["basis"] = LEGAL_BASES[flat["basis"]][0]
    for p in parts:
        name = "end_actions" if p == "end_action" else PART_VOCAB.get((parts[0], p))
        if name and flat.get(p) is not None:
            flat[p] = V.label(name, flat[p], lang="fr")
    values = [esc(flat.get(p)) for p in parts]
    while values and values[-1] == "":
        values.pop()
    return SEP.join(values)


def retention_text(ret: dict | None) -> str:
    """A retention as one cell: "durée | début | sort final | source" (the CNIL's "Durée de conservation")."""
    return _item_text(ret, RET) if ret else ""


def retention_value(text: str) -> dict[str, Any] | None:
    return _item(text, RET) if text.strip() else None


def cell_text(col: Column, v: Any) -> str:
    """The text of one cell for a field value (plain JSON data); coded values in French."""
    if col.vocab and v is not None:
        v = [V.label(col.vocab, x, lang="fr") for x in v] if isinstance(v, list) else V.label(col.vocab, v, lang="fr")
    if col.kind == "pairs":
        return "\n".join(SEP.join([esc(V.label("subjects", k, lang="fr")), esc(x)]) for k, x in (v or {}).items())
    if col.kind in ("lines", "ints"):
        return "\n".join(esc(x) for x in (v or []))
    if col.kind == "items":
        return "\n".join(_item_text(x, col.parts) for x in (v or []))
    if col.kind == "item":
        return _item_text(v, col.parts) if v else ""
    return esc(v)


def row_of(activity: Activity) -> list[str]:
    data = dump(activity)
    return [cell_text(col, get_path(data, col.key)) for col in COLUMNS]


def rows(activities: list[Activity]) -> list[list[str]]:
    return [row_of(a) for a in sorted(activities, key=lambda a: a.id)]


# --------------------------------------------------------------------------- reading a cell back


class CellError(ValueError):
    pass


def _bool(s: str) -> bool | None:
    low = s.strip().lower()
    if not low or low in ("?", "nsp", "inconnu", "unknown"):
        return None
    if low in TRUE:
        return True
    if low in FALSE:
        return False
    raise CellError(f"oui/non attendu, pas {s!r}")


def _int(s: str) -> int | None:
    s = s.strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    if not s:
        return None
    if s.endswith(".0"):
        s = s[:-2]
    try:
        return int(s)
    except ValueError:
        raise CellError(f"nombre entier attendu, pas {s!r}") from None


PART_FR = {"duration": "durée", "start": "début", "end_action": "sort final", "source": "source", "name": "nom",
           "type": "type", "category": "catégorie", "description": "description", "exception": "exception 9.2",
           "basis": "fondement", "siren": "SIREN", "contact": "contact", "text": "texte", "purpose": "finalité",
           "service": "service", "art28_clauses": "clauses art. 28", "contract": "contrat", "country": "pays",
           "recipient": "destinataire", "safeguard": "garantie", "documentation": "documentation",
           "id": "identifiant", "status": "état", "scope": "portée", "cameras": "caméras",
           "authorisation": "autorisation", "subject": "catégorie de personnes"}


def parts_fr(parts: tuple[str, ...]) -> str:
    return " | ".join(PART_FR.get(p, p) for p in parts)


def _item(line: str, parts: tuple[str, ...]) -> dict[str, Any]:
    values = split_parts(line)
    if len(values) > len(parts):
        raise CellError(f"trop de parties séparées par « | » (au plus {len(parts)} : {parts_fr(parts)})")
    item: dict[str, Any] = {}
    ret: dict[str, Any] = {}
    for name, value in zip(parts, values, strict=False):
        if value == "":
            continue
        if name == "art28_clauses":
            item[name] = _bool(value)
        elif name == "cameras":
            item[name] = _int(value)
        elif name in RET and parts[0] in ("category", "type"):
            ret[name] = value
        else:
            item[name] = value
    if ret:
        item["retention"] = ret
    return item


def cell_value(col: Column, raw: str) -> Any:
    """The field value of one cell (None when empty). Raises CellError with a French reason."""
    text = raw.replace("\r\n", "\n").strip()
    if col.kind == "bool":
        return _bool(text)
    if col.kind == "int":
        return _int(text)
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    if col.kind == "pairs":
        out = {}
        for ln in lines:
            parts = split_parts(ln)
            if len(parts) != 2:
                raise CellError(f"« {parts_fr(col.parts)} » attendu, pas {ln!r}")
            out[parts[0]] = parts[1]
        return out or None
    if col.kind == "lines":
        return [unesc(ln) for ln in lines] or None
    if col.kind == "ints":
        return [_int(ln) for ln in lines] or None
    if col.kind == "items":
        return [_item(ln, col.parts) for ln in lines] or None
    if col.kind == "item":
        return _item(" ".join(lines), col.parts) if lines else None
    return unesc(text) if text else None


def activity_data(values: dict[str, Any]) -> dict[str, Any]:
    """Field values by column key -> nested activity data (dpia.* grouped)."""
    data: dict[str, Any] = {}
    for key, v in values.items():
        if v is None:
            continue
        if "." in key:
            head, tail = key.split(".", 1)
            data.setdefault(head, {})[tail] = v
        else:
            data[key] = v
    return data
