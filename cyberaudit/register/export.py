"""`register export`: CSV, XLSX, ODS (laid out like the CNIL model register), Markdown and JSON.

XLSX and ODS carry two sheets: "Organisation" (the CNIL cover page: organisation, controller, DPO,
numbered list of activities) and "Registre" (one row per activity, see table.py). CSV holds the
"Registre" table only. Output is deterministic (no timestamps beyond the record's own dates).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from ..disk.fileio import dumps_json
from ..i18n import t
from .model import DATA_CATEGORIES, LEGAL_BASES, SPECIAL_TYPES, SUBJECTS, Activity, dump
from .table import COVER_SHEET, HEADERS, SHEET, rows

FORMATS = ("csv", "xlsx", "ods", "md", "json")
SCHEMA = "cyberaudit/register/v1"


def cover(org, activities: list[Activity]) -> list[list[str]]:
    dpo = getattr(org, "dpo", None)
    out = [
        ["Registre des activités de traitement (RGPD art. 30)", ""],
        ["Organisme", org.name],
        ["SIREN", org.siren],
        ["Adresse", org.address or ""],
        ["Responsable du traitement", org.name],
        ["Délégué à la protection des données", (dpo.name or "") if dpo else ""],
        ["Courriel du DPO", (dpo.email or "") if dpo else ""],
        ["Téléphone du DPO", (dpo.phone or "") if dpo else ""],
        ["", ""],
        ["N° / Réf.", "Activités de traitement"],
    ]
    out += [[a.id, a.name] for a in sorted(activities, key=lambda a: a.id)]
    return out


def to_csv(activities: list[Activity]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(HEADERS)
    w.writerows([[_guard(c) for c in r] for r in rows(activities)])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM: spreadsheets then read UTF-8 correctly


def _guard(cell: str) -> str:
    """A cell a spreadsheet would run as a formula gets a leading quote (removed again on import)."""
    return "'" + cell if cell[:1] in ("=", "+", "@", "-", "'") else cell


def to_xlsx(activities: list[Activity], org) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    from ..sanitize import strip_control

    wb = Workbook(write_only=True)  # streaming writer: 500 activities in a fraction of a second
    stamp = _stamp(activities)
    wb.properties.created = wb.properties.modified = stamp
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")

    def cells(sheet, values, font=None):
        out = []
        for v in values:
            if isinstance(v, str):
                v = strip_control(v, keep_newlines=True)  # XLSX cannot hold control characters
            cell = WriteOnlyCell(sheet, value=v if v != "" else None)
            if isinstance(v, str) and v.startswith("="):
                cell.data_type = "s"  # a formula-looking text stays text (no formula injection)
            if font is not None:
                cell.font = font
            elif isinstance(v, str) and "\n" in v:
                cell.alignment = wrap
            out.append(cell)
        return out

    ws_cover = wb.create_sheet(COVER_SHEET)
    ws_cover.column_dimensions["A"].width = 36
    ws_cover.column_dimensions["B"].width = 70
    for i, r in enumerate(cover(org, activities)):
        ws_cover.append(cells(ws_cover, r, bold if i == 0 else None))
    sheet = wb.create_sheet(SHEET)
    from openpyxl.utils import get_column_letter

    for i in range(1, len(HEADERS) + 1):
        sheet.column_dimensions[get_column_letter(i)].width = 28
    sheet.freeze_panes = "C2"
    sheet.append(cells(sheet, HEADERS, bold))
    for r in rows(activities):
        sheet.append(cells(sheet, r))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _stamp(activities: list[Activity]):
    import datetime as dt

    dates = [a.updated for a in activities if a.updated]
    day = max(dates) if dates else dt.date(2000, 1, 1)
    return dt.datetime(day.year, day.month, day.day)


ODS_MIME = "application/vnd.oasis.opendocument.spreadsheet"
_ODS_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"')


def to_ods(activities: list[Activity], org) -> bytes:
    """OpenDocument spreadsheet written directly (zip + XML): fast and byte-for-byte deterministic."""
    import zipfile
    from xml.sax.saxutils import escape, quoteattr

    from ..sanitize import strip_control

    def cell(value: str) -> str:
        if not value:
            return "<table:table-cell/>"
        paras = "".join(f"<text:p>{escape(strip_control(line))}</text:p>" for line in value.split("\n"))
        return f'<table:table-cell office:value-type="string">{paras}</table:table-cell>'

    def table(name: str, data: list[list[str]]) -> str:
        body = "".join("<table:table-row>" + "".join(cell(str(v)) for v in r) + "</table:table-row>" for r in data)
        return f"<table:table table:name={quoteattr(name)}>{body}</table:table>"

    content = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {_ODS_NS}><office:body>'
               f"<office:spreadsheet>{table(COVER_SHEET, cover(org, activities))}"
               f"{table(SHEET, [list(HEADERS), *rows(activities)])}</office:spreadsheet></office:body>"
               "</office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODS_MIME}"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    styles = f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-styles {_ODS_NS}/>'
    buf = io.BytesIO()
    when = (1980, 1, 1, 0, 0, 0)
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype", when), ODS_MIME, compress_type=zipfile.ZIP_STORED)
        for name, data in (("META-INF/manifest.xml", manifest), ("styles.xml", styles), ("content.xml", content)):
            z.writestr(zipfile.ZipInfo(name, when), data, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


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


def _label(table: dict[str, tuple[str, str]], key: str) -> str:
    pair = table.get(key)
    return t(pair[0], pair[1]) if pair else key


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
            (t("Rôle", "Role"), a.role), (t("Finalité", "Purpose"), a.purpose or ""),
            (t("Base légale", "Lawful basis"), "; ".join(
                f"{LEGAL_BASES[b.basis][0]} {_label({k: (v[1], v[2]) for k, v in LEGAL_BASES.items()}, b.basis)}"
                + (f" ({b.text})" if b.text else "") for b in a.legal_bases)),
            (t("Personnes concernées", "Data subjects"), ", ".join(_label(SUBJECTS, s) for s in a.data_subjects)),
            (t("Données", "Data"), "; ".join(_label(DATA_CATEGORIES, c.category) for c in a.data_categories)),
            (t("Données sensibles", "Sensitive data"), "; ".join(
                _label(SPECIAL_TYPES, s.type) + (f" ({s.exception})" if s.exception else "") for s in a.special_data)),
            (t("Destinataires", "Recipients"), "; ".join(r.name for r in a.recipients)),
            (t("Sous-traitants", "Processors"), "; ".join(p.name for p in a.processors)),
            (t("Transferts hors UE", "Transfers outside the EU"), "; ".join(
                f"{x.recipient} ({x.country}, {x.safeguard or '?'})" for x in a.transfers)),
            (t("Conservation", "Retention"), "; ".join(
                (r.duration or "") + (f" — {r.source}" if r.source else "") for r in a.all_retentions())),
            (t("Sécurité", "Security"), "; ".join(m.id or m.description or "" for m in a.security_measures)),
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
    if fmt == "xlsx":
        return to_xlsx(activities, org)
    if fmt == "ods":
        return to_ods(activities, org)
    if fmt == "json":
        return to_json(activities, org).encode("utf-8")
    if fmt == "md":
        return to_markdown(activities, org).encode("utf-8")
    raise ValueError(fmt)
