"""`register export`: ODS and XLSX in the CNIL model's layout (cnil_write.py), the flat table as CSV and
JSON (for tools, table.py), Markdown. Output is deterministic (no timestamps beyond the record's own dates).
"""

from __future__ import annotations

from typing import Any

from ..disk.fileio import dumps_json
from ..i18n import t
from . import vocab as V
from .model import LEGAL_BASES, Activity, dump
from .table import HEADERS, rows

FORMATS = ("csv", "xlsx", "ods", "md", "json")
SCHEMA = "cyberaudit/register/v1"


def to_csv(activities: list[Activity]) -> bytes:
    return csv_document(HEADERS, rows(activities))


def csv_document(headers, data: list[list[str]]) -> bytes:
    """A CSV a spreadsheet reads right (UTF-8 BOM), every cell through the one spreadsheet-cell guard;
    also used by the DPO's breach and request logs."""
    from ..disk.csv_text import csv_chunks

    return "".join(csv_chunks(headers, data)).encode("utf-8")


def ods_document(sheets: list[tuple[str, list[list[str]]]]) -> bytes:
    """An ODS file of text cells (never formulas), one table per (name, rows); also used by the DPO's logs.
    Written by the register's own ODS writer (workbook_io.write_ods), which guards every cell."""
    from .cnil_write import Grid
    from .workbook_io import write_ods

    grids = []
    for name, data in sheets:
        grid = Grid(name)
        for r, row in enumerate(data, start=1):
            for c, value in enumerate(row, start=1):
                grid.put(r, c, value, bold=r == 1)
        grids.append(grid)
    return write_ods(grids)



def to_json(activities: list[Activity], org) -> str:
    dpo = getattr(org, "dpo", None)
    return dumps_json({
        "schema": SCHEMA,
        "organisation": {"name": org.name, "siren": org.siren, "address": org.address,
                         "dpo": dpo.model_dump(mode="json", exclude_none=True) if dpo else None},
        "activities": [dump(a) for a in sorted(activities, key=lambda a: a.id)],
    })


def _md(text: Any) -> str:
    from ..sanitize import strip_control

    s = strip_control(str(text))
    for ch in "\\`*_[]<>|#":
        s = s.replace(ch, "\\" + ch)
    return s


def to_markdown(activities: list[Activity], org) -> str:
    lines = [f"# {t('Registre des activités de traitement', 'Record of processing activities')} — {_md(org.name)}", ""]
    dpo = getattr(org, "dpo", None)
    lines.append(f"- {t('Responsable du traitement', 'Controller')} : {_md(org.name)} (SIREN {_md(org.siren)})")
    if dpo:
        lines.append(f"- {t('DPO', 'DPO')} : {_md(dpo.name or '')} {_md(dpo.email or '')}".rstrip())
    lines.append(f"- {t('Activités', 'Activities')} : {len(activities)}")
    lines.append("")
    for a in sorted(activities, key=lambda a: a.id):
        lines += [f"## {_md(a.id)} — {_md(a.name)}", ""]
        rows_md: list[tuple[str, str]] = [
            (t("Référence", "Reference"), a.reference or ""), (t("Statut", "Status"), V.label("status", a.status)),
            (t("Rôle", "Role"), V.label("roles", a.role)), (t("Finalité", "Purpose"), a.purpose or ""),
            (t("Base légale", "Lawful basis"), "; ".join(
                f"{LEGAL_BASES[b.basis][0]} {V.label('bases', b.basis)}"
                + (f" ({b.text})" if b.text else "") for b in a.legal_bases)),
            (t("Personnes concernées", "Data subjects"), ", ".join(V.labels("subjects", a.data_subjects))),
            (t("Données", "Data"), "; ".join(V.label("categories", c.category) for c in a.data_categories)),
            (t("Données sensibles", "Sensitive data"), "; ".join(
                V.label("special", s.type) + (f" ({s.exception})" if s.exception else "") for s in a.special_data)),
            (t("Destinataires", "Recipients"), "; ".join(r.name for r in a.recipients)),
            (t("Sous-traitants", "Processors"), "; ".join(p.name for p in a.processors)),
            (t("Transferts hors UE", "Transfers outside the EU"), "; ".join(
                f"{x.recipient} ({V.country_name(x.country)}, "
                f"{V.label('safeguards', x.safeguard) if x.safeguard else t('sans garantie', 'no safeguard')})"
                for x in a.transfers)),
            (t("Conservation", "Retention"), "; ".join(
                (r.duration or "") + (f" — {r.source}" if r.source else "") for r in a.all_retentions())),
            (t("Sécurité", "Security"), "; ".join(
                m.description or (V.label("measure_types", m.type) if m.type else m.id or "") for m in a.security_measures)),
            (t("AIPD", "DPIA"), (t("réalisée", "done") + (f" ({a.dpia.date})" if a.dpia.date else ""))
             if a.dpia.done else t("non réalisée", "not done")),
            (t("Actifs", "Assets"), ", ".join(a.assets)),
            (t("Mise à jour", "Updated"), str(a.updated or "")),
        ]
        lines += [f"| {t('Champ', 'Field')} | {t('Valeur', 'Value')} |", "|---|---|"]
        lines += [f"| {_md(k)} | {_md(v)} |" for k, v in rows_md if v]
        lines.append("")
    return "\n".join(lines)


def export(activities: list[Activity], org, fmt: str) -> bytes:
    if fmt == "csv":
        return to_csv(activities)
    if fmt in ("xlsx", "ods"):
        from . import cnil_write

        return cnil_write.to_xlsx(activities, org) if fmt == "xlsx" else cnil_write.to_ods(activities, org)
    if fmt == "json":
        return to_json(activities, org).encode("utf-8")
    if fmt == "md":
        return to_markdown(activities, org).encode("utf-8")
    raise ValueError(fmt)
