"""The words of the CNIL model register's layout, shared by its reader (cnil_read) and writer (cnil_write).

Labels are compared after `vocab.norm` (case, accents, spacing and trailing punctuation ignored).
"""

from __future__ import annotations

from .table import COLUMNS
from .vocab import CATEGORY_ORDER, SPECIAL_ORDER, norm

LIST_SHEET = "2_-_Liste_des_traitements"
LISTS_SHEET = "5_-_Listes"
NAME = norm("Nom du traitement")
PURPOSE = norm("Finalité principale")
REFERENCE = (norm("N° / RÉF"), norm("N°/RÉF"), norm("N° / Réf."), norm("Référence"), norm("Réf"))
SELECT = norm("Sélectionnez un élément dans cette liste déroulante")
GUIDES = norm("Consulter les guides et définitions sur le site de la CNIL")
VALUE_SPAN = 7  # a labelled value sits in the 7 columns right of its label (B:H in the model)
PLACEHOLDERS = {"n/a", "na", "-", "--", "sans objet", "non applicable"}
YES = {"oui", "o", "x", "yes", "y"}
EXAMPLE_NAME = norm("Gestion de la paie")

EXTRAS_TITLE = "Compléments du registre (hors modèle CNIL)"
TOOL_ID_LABEL = "Identifiant cyberaudit (nom du fichier)"
TOOL_ID = norm(TOOL_ID_LABEL)

# Block titles in the label column -> block.
BLOCKS = {norm(k): v for k, v in {
    "Description du traitement": "description", "Acteurs": "actors",
    "Finalité(s) du traitement effectué": "purposes",
    "Catégories de données personnelles concernées": "categories", "Données sensibles": "special",
    "Catégories de personnes concernées": "subjects", "Destinataires": "recipients",
    "Mesures de sécurité": "measures", "Transferts hors UE": "transfers", EXTRAS_TITLE: "extras",
}.items()}
# Header cells of a block -> what the column holds (the writer uses the first spelling).
HEAD_WORDS = {
    "name": "Nom", "address": "Adresse", "postcode": "Code Postal", "city": "Ville", "country": "Pays",
    "phone": "Téléphone", "email": "Adresse mél", "description": "Description", "retention": "Durée de conservation",
    "precisions": "Précisions", "recipient": "Destinataire", "safeguard": "Type de Garanties",
    "documentation": "Liens vers la documentation", "exception": "Exception (art. 9.2)",
    "basis": "Fondement (art. 10, NIR)", "measure_id": "Identifiant de la mesure", "measure_status": "État de la mesure",
}
HEADS = {norm(v): k for k, v in HEAD_WORDS.items()}
HEADS.update({norm("Type de destinataire"): "type", norm("Type de mesure de sécurité"): "type",
              norm("Adresse mail"): "email", norm("Courriel"): "email", norm("Code postal"): "postcode"})
ACTOR_FIELDS = ("name", "address", "postcode", "city", "country", "phone", "email")

TOP = {norm(k): v for k, v in {
    "Nom du traitement": "name", "N° / RÉF": "reference", "N°/RÉF": "reference",
    "Date de création du traitement": "created", "Date de création de la fiche": "created",
    "Mise à jour du traitement": "updated", "Dernière mise à jour de la fiche": "updated",
    "Finalité principale": "purpose",
}.items()}
ACTOR_ROWS = {"controller": "Responsable du traitement", "dpo": "Délégué à la protection des données",
              "dpo_company": "Société du DPO (si celui-ci est externe)", "representative": "Représentant",
              "joint": "Responsable(s) conjoint(s)"}
ACTORS = {norm(v): k for k, v in ACTOR_ROWS.items()}
ACTORS[norm("Société du DPO")] = "dpo_company"

LIST_HEADS = {norm(k): v for k, v in {
    "Nom du traitement": "name", "N° / RÉF": "reference", "N°/RÉF": "reference", "Référence": "reference",
    "Date de création de la fiche": "created", "Dernière mise à jour de la fiche": "updated",
    "Finalité du traitement": "purpose", "Données sensibles ?": "sensitive", "Oui/non": "sensitive",
    "Données sensibles Oui/non": "sensitive",
}.items()}
ORG_BLOCK_TITLES = {
    "controller": "Coordonnées du responsable de l'organisme (responsable de traitement ou son représentant si le "
                  "responsable est situé en dehors de l'UE)",
    "representative": "Coordonnées du représentant (responsable de traitement ou son représentant si le "
                      "responsable est situé en dehors de l'UE)",
    "dpo": "Coordonnées du délégué à la protection des données (DPO)",
}
ORG_BLOCKS = {norm("Coordonnées du responsable"): "controller", norm("Coordonnées du représentant"): "representative",
              norm("Coordonnées du délégué"): "dpo"}
ORG_FIELDS = {norm(k): v for k, v in {
    "Nom :": "last", "Prénom :": "first", "Adresse :": "address", "Adresse mél :": "email",
    "Adresse mail :": "email", "Code postal :": "postcode", "Ville :": "city", "Téléphone :": "phone",
    "Société (si DPO externe) :": "company",
}.items()}

# The model's data rows, in its order: five categories, then the NIR (a special type shown in that block).
CATEGORY_ROWS = CATEGORY_ORDER[:5]
SPECIAL_ROWS = SPECIAL_ORDER[1:]

# Fields of the tool that the model's fiche has no place for: a block of label/value rows after it.
IN_MODEL = {"id", "name", "reference", "created", "updated", "purpose", "sub_purposes", "joint_controllers",
            "data_subjects", "subject_details", "data_categories", "special_data", "recipients",
            "security_measures", "transfers"}
EXTRA_COLUMNS = tuple(c for c in COLUMNS if c.key not in IN_MODEL)
EXTRAS = {norm(c.label): c for c in EXTRA_COLUMNS}
