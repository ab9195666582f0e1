"""Filled copies of the CNIL's blank model register, written with odfpy the way a DPO fills it.

The DPO renames the list sheet, keeps the CNIL's example (row and sheet), leaves blank rows, types
French dates as text next to real date cells, adds comments, duplicates the model fiche (and once the
example fiche) per activity and renames the copies, inserts a row in a block, and lists two
activities she has no fiche for yet. `EXPECTED` is what an import must find. The XLSX and CSV copies
are the same workbook saved by a spreadsheet (XLSX: merged cells and comments; CSV: the list sheet).
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from odf.element import Element, Text
from odf.namespaces import OFFICENS, TABLENS
from odf.office import Annotation
from odf.opendocument import load
from odf.table import Table
from odf.text import P

CALCEXTNS = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"
BLANK = Path(__file__).resolve().parent / "data" / "cnil" / "registre-traitement-simplifie.ods"
_ROW, _CELLS = (TABLENS, "table-row"), ((TABLENS, "table-cell"), (TABLENS, "covered-table-cell"))


def clone(el):
    if el.nodeType == el.TEXT_NODE:
        return Text(el.data)
    new = Element(qname=el.qname, qattributes=dict(el.attributes), check_grammar=False)
    for c in el.childNodes:
        new.appendChild(clone(c))
    return new


def _own(parent, node, attr: str, index: int):
    """Split a repeated row/cell so that its `index`-th copy is an element of its own."""
    n = int(node.getAttrNS(TABLENS, attr) or 1)
    if n == 1:
        return node
    key = (TABLENS, attr)
    copies = []
    for count in (index, 1, n - index - 1):
        if count <= 0:
            copies.append(None)
            continue
        c = clone(node)
        if count == 1:
            c.attributes.pop(key, None)
        else:
            c.attributes[key] = str(count)
        copies.append(c)
    for c in copies:
        if c is not None:
            parent.insertBefore(c, node)
    parent.removeChild(node)
    return copies[1]


def _nth(parent, qnames, attr: str, index: int):
    pos = 0
    for node in [c for c in parent.childNodes if c.qname in qnames]:
        n = int(node.getAttrNS(TABLENS, attr) or 1)
        if pos <= index < pos + n:
            return _own(parent, node, attr, index - pos)
        pos += n
    raise IndexError(index)


def row_of(table, r: int):
    return _nth(table, (_ROW,), "number-rows-repeated", r - 1)


def set_cell(table, r: int, c: int, value, comment: str | None = None) -> None:
    cell = _nth(row_of(table, r), _CELLS, "number-columns-repeated", c - 1)
    for child in [x for x in cell.childNodes if x.qname != (OFFICENS, "annotation")]:
        cell.removeChild(child)
    for key in [(OFFICENS, "value-type"), (OFFICENS, "string-value"), (OFFICENS, "date-value"),
                (OFFICENS, "value"), (CALCEXTNS, "value-type"), (TABLENS, "formula")]:
        cell.attributes.pop(key, None)
    if isinstance(value, dt.date):
        cell.attributes[(OFFICENS, "value-type")] = "date"
        cell.attributes[(OFFICENS, "date-value")] = value.isoformat()
        cell.addElement(P(text=value.strftime("%d/%m/%Y")))
    elif value:
        cell.attributes[(OFFICENS, "value-type")] = "string"
        for line in str(value).split("\n"):
            cell.addElement(P(text=line))
    if comment:
        note = Annotation()
        note.addElement(P(text=comment))
        cell.insertBefore(note, cell.firstChild) if cell.firstChild else cell.addElement(note)


def insert_row_after(table, r: int):
    row = row_of(table, r)
    new = clone(row)
    table.insertBefore(new, row.nextSibling)
    return new


def tables(doc) -> dict[str, Table]:
    return {t.getAttribute("name"): t for t in doc.spreadsheet.getElementsByType(Table)}


def duplicate(doc, source: str, name: str, before: str):
    t = tables(doc)
    copy = clone(t[source])
    copy.attributes[(TABLENS, "name")] = name
    doc.spreadsheet.insertBefore(copy, t[before])
    return copy


def fill(table, values: dict[tuple[int, int], object]) -> None:
    for (r, c), v in values.items():
        if isinstance(v, tuple):
            set_cell(table, r, c, v[0], comment=v[1])
        else:
            set_cell(table, r, c, v)


A, B, C, D, E, F, G, H, I = range(1, 10)  # noqa: E741 - column letters

LIST = {  # the list sheet, renamed
    (1, C): "DURAND", (1, E): "Claire", (1, G): "1 place de la Mairie", (1, I): "mairie@lormont.example",
    (2, C): "00100", (2, E): "Lormont-sur-Exemple", (2, G): "05 00 00 00 01",
    (5, C): ("MARTIN", "DPO mutualisé depuis 2021"), (5, E): "Paul", (5, G): "Centre de gestion de l'Exemple",
    (5, I): "2 rue du Centre de gestion", (6, C): "00200", (6, E): "Exempleville", (6, G): "05 00 00 00 02",
    (6, I): "dpo@cdg.example",
    (10, A): "Gestion des listes électorales", (10, B): "ELEC-01", (10, C): dt.date(2024, 3, 1),
    (10, D): "13/07/2025", (10, E): "Tenue des listes électorales", (10, H): "Non",
    # row 11 left blank
    (12, A): "Paie des agents", (12, B): "RH-01", (12, C): "13/07/25", (12, D): dt.date(2025, 9, 1),
    (12, E): "Calcul et versement de la paie", (12, H): "Oui",
    (13, A): "Accueil périscolaire", (13, E): "Inscription et facturation de l'accueil périscolaire",
    (13, H): "Non",
    (14, A): ("Registre des personnes vulnérables", "fiche à rédiger avec le CCAS"), (14, B): "SOC-01",
    (14, C): dt.date(2025, 1, 15), (14, E): "Plan canicule : contacter les personnes isolées", (14, H): "Oui",
    (16, A): "Prêt de livres", (16, E): "Prêts de la médiathèque", (16, H): "Non",
}
ELECTIONS = {  # a copy of the model fiche
    (1, H): "ELEC-01", (4, B): "Gestion des listes électorales", (5, B): "ELEC-01", (6, B): dt.date(2024, 3, 1),
    (7, B): ("13/07/2025", "revue après la refonte du REU"),
    (10, B): "Commune de Lormont-sur-Exemple", (10, C): "1 place de la Mairie", (10, D): "00100",
    (10, E): "Lormont-sur-Exemple", (10, F): "France", (10, G): "05 00 00 00 01", (10, H): "mairie@lormont.example",
    (11, B): "Paul MARTIN", (11, H): "dpo@cdg.example", (12, B): "Centre de gestion de l'Exemple",
    (17, B): "Tenue des listes électorales", (18, B): "Inscriptions et radiations", (19, B): "Procurations",
    (25, B): "Nom, prénoms, date et lieu de naissance, adresse", (25, E): "Durée de l'inscription",
    (44, B): "Autres (préciser)", (44, E): "Électeurs inscrits", (45, B): "Candidats",
    (48, B): "Service interne qui traite les données", (48, E): "Service élections",
    (49, B): "Partenaires institutionnels ou commerciaux", (49, E): "INSEE (répertoire électoral unique)",
    (54, B): "Contrôle d'accès des utilisateurs", (54, E): "Comptes nominatifs sur le portail du REU",
    (55, B): "Sauvegarde des données",
}
PAIE = {  # a copy of the model fiche, named after the activity, with a row inserted after row 45
    (4, B): "Paie des agents", (5, B): "RH-01", (6, B): "13/07/25", (7, B): dt.date(2025, 9, 1),
    (14, B): "Centre de gestion de l'Exemple", (17, B): "Calcul et versement de la paie",
    (18, B): "Calcul des rémunérations", (19, B): "Déclarations sociales",
    (25, B): "Noms, prénoms, adresses", (25, E): "5 ans à compter du versement de la paie",
    (27, B): "RIB", (27, E): "5 ans",
    (30, B): ("NIR des agents", "Déclarations sociales (décret n° 2019-341)"), (30, E): "5 ans",
    (39, B): "Arrêts maladie", (39, E): "Durée de la carrière",
    (44, B): "Salariés",
    # row 46 is inserted: "Catégorie de personnes 3"; everything below moves down one row
    (46, A): "Catégorie de personnes 3", (46, B): "Services Internes", (46, E): "Agents du service RH",
    (49, B): "Sous-traitants", (49, E): "Éditeur du logiciel de paie",
    (50, B): "Destinataires dans des pays tiers ou organisations internationales", (50, E): "Hébergeur de la paie",
    (51, B): "Autre (Préciser)", (51, E): "Comptable public",
    (55, B): "Chiffrement des données", (55, E): "Bulletins chiffrés",
    (56, B): "Mesures de traçabilité", (57, B): "Contrôle des sous-traitants", (58, B): "Autres mesures (à préciser)",
    (58, E): "Armoire fermée à clé",
    (60, B): "Cloud Paie Inc", (60, C): "Etats-Unis", (60, D): "Code de conduite", (60, F): "https://cloud.example/code",
    (61, B): "Certif Paie SA", (61, C): "Suisse", (61, D): "Certification",
}
PERISCOLAIRE = {  # a copy of the CNIL's *example* fiche (other row positions), overwritten
    (1, H): "", (4, B): "Accueil périscolaire", (5, B): "", (6, B): dt.date(2023, 9, 1), (7, B): "01/02/2025",
    (10, B): "Commune de Lormont-sur-Exemple", (10, C): "1 place de la Mairie", (10, D): "00100",
    (10, E): "Lormont-sur-Exemple", (10, F): "France", (10, G): "", (10, H): "mairie@lormont.example",
    (11, B): "Paul MARTIN", (11, C): "", (11, D): "", (11, E): "", (11, F): "", (11, G): "", (11, H): "",
    (12, B): "N/A",
    (15, B): "Inscription et facturation de l'accueil périscolaire", (16, B): "Inscriptions", (17, B): "Facturation",
    (18, B): "",
    (21, B): "Noms des enfants et des parents", (21, E): "1 an après la fin de l'inscription",
    (22, B): "Quotient familial", (22, E): "5 ans", (23, B): "", (23, E): "",
    (26, B): "Clients", (26, E): "Familles",
    (29, E): "Service enfance", (30, B): "Sous-traitants", (30, E): "Éditeur du portail famille",
    (31, B): "", (31, E): "",
    (34, B): "Mesures de protection des logiciels", (35, B): "", (36, B): "",
    (39, B): "", (39, C): "", (39, D): "", (39, F): "",
}

EXPECTED = [
    {"name": "Gestion des listes électorales", "reference": "ELEC-01", "status": "validated",
     "created": dt.date(2024, 3, 1), "updated": dt.date(2025, 7, 13), "purpose": "Tenue des listes électorales",
     "sub_purposes": ["Inscriptions et radiations", "Procurations"],
     "data_categories": [{"category": "identity", "description": "Nom, prénoms, date et lieu de naissance, adresse",
                          "retention": {"duration": "Durée de l'inscription"}}],
     "data_subjects": ["other", "candidates"], "subject_details": {"other": "Électeurs inscrits"},
     "recipients": [{"type": "internal_service", "name": "Service élections"},
                    {"type": "partner", "name": "INSEE (répertoire électoral unique)"}],
     "security_measures": [{"type": "access_control", "description": "Comptes nominatifs sur le portail du REU"},
                           {"type": "backup"}]},
    {"name": "Paie des agents", "reference": "RH-01", "status": "validated", "created": dt.date(2025, 7, 13),
     "updated": dt.date(2025, 9, 1), "purpose": "Calcul et versement de la paie",
     "joint_controllers": ["Centre de gestion de l'Exemple"],
     "sub_purposes": ["Calcul des rémunérations", "Déclarations sociales"],
     "data_categories": [{"category": "identity", "description": "Noms, prénoms, adresses",
                          "retention": {"duration": "5 ans à compter du versement de la paie"}},
                         {"category": "financial", "description": "RIB", "retention": {"duration": "5 ans"}}],
     "special_data": [{"type": "nir", "description": "NIR des agents", "retention": {"duration": "5 ans"}},
                      {"type": "health", "description": "Arrêts maladie",
                       "retention": {"duration": "Durée de la carrière"}}],
     "data_subjects": ["agents", "internal_services"], "subject_details": {"internal_services": "Agents du service RH"},
     "recipients": [{"type": "processor", "name": "Éditeur du logiciel de paie"},
                    {"type": "third_country", "name": "Hébergeur de la paie"},
                    {"type": "other_third_party", "name": "Comptable public"}],
     "security_measures": [{"type": "encryption", "description": "Bulletins chiffrés"}, {"type": "traceability"},
                           {"type": "processor_control"}, {"type": "other", "description": "Armoire fermée à clé"}],
     "transfers": [{"recipient": "Cloud Paie Inc", "country": "US", "safeguard": "code_of_conduct",
                    "documentation": "https://cloud.example/code"},
                   {"recipient": "Certif Paie SA", "country": "CH", "safeguard": "certification"}]},
    {"name": "Accueil périscolaire", "status": "validated", "created": dt.date(2023, 9, 1),
     "updated": dt.date(2025, 2, 1), "purpose": "Inscription et facturation de l'accueil périscolaire",
     "sub_purposes": ["Inscriptions", "Facturation"],
     "data_categories": [{"category": "identity", "description": "Noms des enfants et des parents",
                          "retention": {"duration": "1 an après la fin de l'inscription"}},
                         {"category": "financial", "description": "Quotient familial",
                          "retention": {"duration": "5 ans"}}],
     "data_subjects": ["clients"], "subject_details": {"clients": "Familles"},
     "recipients": [{"type": "internal_service", "name": "Service enfance"},
                    {"type": "processor", "name": "Éditeur du portail famille"}],
     "security_measures": [{"type": "software_protection"}]},
    {"name": "Registre des personnes vulnérables", "reference": "SOC-01", "status": "incomplete",
     "created": dt.date(2025, 1, 15), "purpose": "Plan canicule : contacter les personnes isolées"},
    {"name": "Prêt de livres", "status": "incomplete", "purpose": "Prêts de la médiathèque"},
]


def build_ods(path: Path) -> Path:
    doc = load(str(BLANK))
    t = tables(doc)
    elections = duplicate(doc, "3_-_Modèle_de_fiche_de_registre", "Élections", "5_-_Listes")
    paie = duplicate(doc, "3_-_Modèle_de_fiche_de_registre", "Paie des agents", "5_-_Listes")
    peri = duplicate(doc, "4_-_Exemple_de_fiche", "Périscolaire", "5_-_Listes")
    insert_row_after(paie, 45)
    fill(t["2_-_Liste_des_traitements"], LIST)
    t["2_-_Liste_des_traitements"].attributes[(TABLENS, "name")] = "Liste_des_traitements"
    fill(elections, ELECTIONS)
    fill(paie, PAIE)
    fill(peri, PERISCOLAIRE)
    doc.save(str(path))
    return path


def build_xlsx(ods: Path, path: Path) -> Path:
    """The same workbook saved as XLSX: date cells, merged value cells, a comment."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment

    from cyberaudit.register.workbook_read import read_ods

    wb = Workbook()
    wb.remove(wb.active)
    for sheet in read_ods(ods).sheets:
        ws = wb.create_sheet(sheet.name[:31])
        for (r, c), v in sheet.cells.items():
            cell = ws.cell(row=r, column=c, value=dt.datetime(v.year, v.month, v.day) if isinstance(v, dt.date) else v)
            if isinstance(v, dt.date):
                cell.number_format = "DD/MM/YYYY"
        if sheet.value(4, 1) == "Nom du traitement":
            ws.merge_cells("B4:H4")
            ws["B4"].comment = Comment("Nom validé en comité", "DPO")
    wb.save(path)
    return path


def build_csv(ods: Path, path: Path) -> Path:
    """The list sheet saved as CSV by a French spreadsheet (semicolons, dates as shown)."""
    from cyberaudit.register.workbook_read import read_ods

    sheet = next(s for s in read_ods(ods).sheets if s.name == "Liste_des_traitements")
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";")
        last = max(r for r, _c in sheet.cells)
        for r in range(1, last + 1):
            w.writerow([sheet.text(r, c) for c in range(1, 12)])
    return path
