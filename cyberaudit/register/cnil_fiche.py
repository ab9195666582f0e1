"""One fiche of the CNIL model register read by its labels (cnil_read.py finds the fiches and joins them
with the list). Block titles ("Acteurs", "Destinataires"…) set the block; a block's header cells give its
columns; each labelled row becomes part of the activity data, with its position kept for error messages.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..i18n import t
from . import fiche_layout as L
from . import vocab as V
from .sheets import RowError, Sheet, col_name
from .table import CellError, activity_data, cell_value, retention_value
from .vocab import norm


def text_of(v: Any) -> str:
    """A cell's text, without the model's placeholders ("Sélectionnez un élément…", "N/A") and links."""
    from ..sanitize import unguard_cell

    if isinstance(v, dt.date):
        return v.isoformat()
    s = unguard_cell(str(v).strip())
    if s.startswith("►") or norm(s).startswith(L.GUIDES):  # the model's links to the CNIL's definitions
        return ""
    return "" if norm(s) in L.PLACEHOLDERS or norm(s).startswith(L.SELECT) else s


class Fiche:
    """One sheet read as a fiche: `data` for the activity and `where` for error positions."""

    def __init__(self, sheet: Sheet, col: int, errors: list[RowError], path: str):
        self.sheet, self.col, self.errors, self.path = sheet, col, errors, path
        self.data: dict[str, Any] = {}
        self.where: dict[str, tuple[int, int]] = {}
        self.actors: dict[str, dict[str, str]] = {}
        self.block: str | None = None
        self.heads: dict[str, int] = {}
        self.title = text_of(sheet.value(1, 1))
        self.first_label_row = 0

    def err(self, row: int, col: int, reason: str) -> None:
        self.errors.append(RowError(row, col_name(col), reason, sheet=self.sheet.name))

    def value(self, row: int, col: int | None = None) -> tuple[Any, int]:
        """The value of a labelled row: the given column, else the first filled cell right of the label."""
        if col is not None:
            return self.sheet.value(row, col), col
        cells = self.sheet.row(row)
        for c in sorted(x for x in cells if self.col < x <= self.col + L.VALUE_SPAN):
            if text_of(cells[c]):
                return cells[c], c
        return "", self.col + 1

    def coded(self, vocab: str, row: int, col: int, what: str) -> str | None:
        raw = text_of(self.sheet.value(row, col))
        if not raw:
            return None
        found = V.lookup(vocab, raw)
        if found is None:
            shown = " ; ".join(f"« {fr} »" for fr, _en in V.tables()[vocab].values())
            self.err(row, col, t(f"{what} inconnu(e) « {raw} » ; valeurs attendues : {shown}",
                                 f"unknown {what} '{raw}'; expected: {shown}"))
        return found

    def read(self) -> None:
        for r in self.sheet.rows():
            label_raw = self.sheet.value(r, self.col)
            label = norm(label_raw) if isinstance(label_raw, str) else ""
            if not label:
                if self.block == "measures":
                    self.item_row(r, "")
                continue
            if label in L.BLOCKS:
                self.block = L.BLOCKS[label]
                self.heads = {L.HEADS.get(norm(v), norm(v)): c for c, v in self.sheet.row(r).items()
                              if c > self.col and isinstance(v, str)}
                continue
            self.first_label_row = self.first_label_row or r
            if self.top(r, label) or self.block is None:
                continue
            self.item_row(r, label)

    def top(self, r: int, label: str) -> bool:
        """Rows of the description and purposes (any block): name, reference, dates, purposes."""
        key = L.TOP.get(label)
        if key is None and label.startswith("sous-finalite"):
            key = "sub_purposes"
        if key is None:
            return False
        v, c = self.value(r)
        text = text_of(v)
        if key == "sub_purposes":
            if text:
                self.data.setdefault("sub_purposes", []).append(text)
                self.where.setdefault("sub_purposes", (r, c))
        elif text or isinstance(v, dt.date):
            self.data[key] = v if isinstance(v, dt.date) else text
            self.where[key] = (r, c)
        return True

    def head(self, name: str, default: int) -> int:
        return self.heads.get(name, self.col + default)

    def item_row(self, r: int, label: str) -> None:
        b = self.block
        if b == "actors":
            role = L.ACTORS.get(label) or next((v for k, v in L.ACTORS.items() if label.startswith(k)), None)
            if role is None:
                return
            values = {k: text_of(self.sheet.value(r, c)) for k, c in self.heads.items() if k in L.ACTOR_FIELDS}
            values = {k: v for k, v in values.items() if v}
            if role == "joint" and values.get("name"):
                self.data.setdefault("joint_controllers", []).append(
                    " ; ".join(x for x in (values.get("name"), values.get("address"), values.get("email")) if x))
                self.where.setdefault("joint_controllers", (r, self.col + 1))
            elif values:
                self.actors[role] = values
        elif b in ("categories", "special"):
            self.data_row(r, label)
        elif b == "subjects":
            c = self.head("description", 1)
            code = self.coded("subjects", r, c, t("catégorie de personnes", "category of people"))
            if code:
                self.data.setdefault("data_subjects", []).append(code)
                self.where.setdefault("data_subjects", (r, c))
                more = text_of(self.sheet.value(r, self.head("precisions", 4)))
                if more:
                    self.data.setdefault("subject_details", {})[code] = more
        elif b == "recipients":
            c = self.head("type", 1)
            code = self.coded("recipients", r, c, t("type de destinataire", "recipient type"))
            name = text_of(self.sheet.value(r, self.head("precisions", 4)))
            if code or name:
                code = code or "other_third_party"
                self.where.setdefault("recipients", (r, c))
                self.data.setdefault("recipients", []).append({"type": code, "name": name or V.label(
                    "recipients", code, lang="fr")})
        elif b == "measures":
            self.measure_row(r)
        elif b == "transfers":
            self.transfer_row(r)
        elif b == "extras":
            self.extra_row(r, label)

    def data_row(self, r: int, label: str) -> None:
        vocab = "categories" if self.block == "categories" else "special"
        code = V.lookup(vocab, label) or V.lookup("special", label)
        desc_c, ret_c = self.head("description", 1), self.head("retention", 4)
        desc, ret = text_of(self.sheet.value(r, desc_c)), text_of(self.sheet.value(r, ret_c))
        exc = text_of(self.sheet.value(r, self.heads["exception"])) if "exception" in self.heads else ""
        basis = text_of(self.sheet.value(r, self.heads["basis"])) if "basis" in self.heads else ""
        if not (desc or ret or exc or basis):
            return
        if code is None:
            self.err(r, self.col, t(f"ligne de données inconnue « {self.sheet.value(r, self.col)} » ; libellés attendus : "
                                    "ceux de la fiche du modèle CNIL",
                                    f"unknown data row '{self.sheet.value(r, self.col)}'; expected the labels of the "
                                    "CNIL model fiche"))
            return
        item: dict[str, Any] = {}
        if norm(desc) not in L.YES:
            item["description"] = desc or None
        try:
            retention = retention_value(ret)
        except CellError as exc_:
            self.err(r, ret_c, str(exc_))
            return
        if retention:
            item["retention"] = retention
        is_cat = code in V.DATA_CATEGORIES and V.lookup("categories", label) == code
        if is_cat:
            key = "data_categories"
            item["category"] = code
        else:
            key = "special_data"
            item["type"] = code
            if exc:
                item["exception"] = exc
            if basis:
                item["basis"] = basis
        self.where.setdefault(key, (r, desc_c))
        self.data.setdefault(key, []).append({k: v for k, v in item.items() if v is not None})

    def measure_row(self, r: int) -> None:
        c = self.head("type", 1)
        code = self.coded("measure_types", r, c, t("type de mesure de sécurité", "security measure type"))
        desc = text_of(self.sheet.value(r, self.head("precisions", 4)))
        mid = text_of(self.sheet.value(r, self.heads["measure_id"])) if "measure_id" in self.heads else ""
        status = None
        if "measure_status" in self.heads:
            status = self.coded("measure_status", r, self.heads["measure_status"], t("état", "status"))
        if code or desc or mid:
            item = {"type": code, "id": mid or None, "description": desc or None, "status": status}
            self.where.setdefault("security_measures", (r, c))
            self.data.setdefault("security_measures", []).append({k: v for k, v in item.items() if v})

    def transfer_row(self, r: int) -> None:
        rc, cc = self.head("recipient", 1), self.head("country", 2)
        sc, dc = self.head("safeguard", 3), self.head("documentation", 5)
        recipient, country = text_of(self.sheet.value(r, rc)), text_of(self.sheet.value(r, cc))
        doc = text_of(self.sheet.value(r, dc))
        safeguard = self.coded("safeguards", r, sc, t("type de garantie", "safeguard"))
        if not (recipient or country or safeguard or doc):
            return
        iso = V.country_code(country) if country else None
        if country and iso is None:
            self.err(r, cc, t(f"pays inconnu « {country} » ; attendu : un pays de la liste CNIL (onglet 5_-_Listes)",
                              f"unknown country '{country}'; expected a country of the CNIL list (sheet 5_-_Listes)"))
            return
        if not country:
            self.err(r, cc, t("pays du destinataire manquant", "recipient country missing"))
            return
        item = {"recipient": recipient or t("(destinataire non nommé)", "(unnamed recipient)"), "country": iso,
                "safeguard": safeguard, "documentation": doc or None}
        self.where.setdefault("transfers", (r, rc))
        self.data.setdefault("transfers", []).append({k: v for k, v in item.items() if v})

    def extra_row(self, r: int, label: str) -> None:
        v, c = self.value(r)
        text = text_of(v) if not isinstance(v, dt.date) else v.isoformat()
        if label == L.TOOL_ID:
            if text:
                self.data["id"] = text
                self.where["id"] = (r, c)
            return
        col = L.EXTRAS.get(label)
        if col is None:
            return
        try:
            value = cell_value(col, str(text))
        except CellError as exc:
            self.err(r, c, str(exc))
            return
        if value is not None:
            for k, v in activity_data({col.key: value}).items():
                if isinstance(v, dict) and isinstance(self.data.get(k), dict):
                    self.data[k].update(v)
                else:
                    self.data[k] = v
            self.where[col.key.split(".")[0]] = (r, c)

    def is_example(self) -> bool:
        marked = norm(self.title).startswith("exemple de fiche") or any(
            "traitement fictif" in norm(v) for (r, _c), v in self.sheet.cells.items() if r <= 3 and isinstance(v, str))
        return marked and norm(str(self.data.get("name", ""))) == L.EXAMPLE_NAME

    def is_blank(self) -> bool:
        return not self.data.get("name") and set(self.data) <= {"reference"}


