"""The catalogue of `register check` rules: stable ID, severity, texts (fr/en) and references.

IDs have three segments `rgpd.<subject>.<test>` and never change meaning. References use the
framework keys of checklists/frameworks/: gdpr, wp248, cnil-aipd, cnil-aipd-exemptions, csi.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..model import Finding, Severity, Status, Text, finding_of


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    title: Text
    explanation: Text
    remediation: Text
    refs: tuple[str, ...]
    owner: str = "dpo"
    effort: str = "low"

    def finding(self, status: Status | str, *, target: str | None, detail: Text | None = None,
                evidence: dict[str, Any] | None = None, severity: Severity | None = None,
                refs: list[str] | None = None) -> Finding:
        status = Status(status)
        return finding_of(self, status, source="register", theme="rgpd", severity=severity or self.severity,
                          target=target, evidence=evidence, detail=detail,
                          remediation=None if status is Status.PASS else self.remediation,
                          references=sorted(set(self.refs) | set(refs or [])))


RULES: dict[str, Rule] = {}


def _rule(id: str, severity: str, title: tuple[str, str], explanation: tuple[str, str],
          remediation: tuple[str, str], refs: tuple[str, ...], **kw: str) -> Rule:
    if id in RULES:
        raise ValueError(f"duplicate register rule {id!r}")
    RULES[id] = r = Rule(id, Severity(severity), Text(fr=title[0], en=title[1]),
                         Text(fr=explanation[0], en=explanation[1]), Text(fr=remediation[0], en=remediation[1]),
                         refs, **kw)
    return r


REGISTER_MISSING = _rule(
    "rgpd.register.missing", "high",
    ("Registre des activités de traitement tenu", "Record of processing activities kept"),
    ("Toute collectivité doit tenir par écrit le registre de ses traitements de données personnelles ; c'est la "
     "première pièce que demande la CNIL lors d'un contrôle.",
     "Every local authority must keep a written record of its personal-data processing; it is the first document "
     "the CNIL asks for in an inspection."),
    ("Créer le registre à partir des modèles : `cyberaudit register add --from-template`.",
     "Build the record from the templates: `cyberaudit register add --from-template`."),
    ("gdpr:30",), effort="medium")
REGISTER_STALE = _rule(
    "rgpd.register.stale", "medium",
    ("Registre mis à jour depuis moins d'un an", "Record updated within the last year"),
    ("Un registre qui n'a pas bougé depuis plus d'un an ne reflète probablement plus les traitements réels "
     "(nouveaux logiciels, prestataires, services).",
     "A record untouched for over a year probably no longer reflects the actual processing (new software, "
     "providers, services)."),
    ("Revoir le registre avec les services au moins une fois par an.",
     "Review the record with the departments at least once a year."),
    ("gdpr:30", "gdpr:5(2)"))
REGISTER_CONTACTS = _rule(
    "rgpd.register.contacts", "high",
    ("Responsable du traitement et DPO identifiés", "Controller and DPO identified"),
    ("Le registre doit indiquer le nom et les coordonnées du responsable du traitement et du délégué à la "
     "protection des données, obligatoire pour toute autorité publique.",
     "The record must give the name and contact details of the controller and of the data protection officer, "
     "mandatory for every public authority."),
    ("Renseigner le DPO (nom, courriel) dans organisation.yaml.",
     "Fill in the DPO (name, e-mail) in organisation.yaml."),
    ("gdpr:30(1)(a)", "gdpr:37(1)(a)"))
REQUIRED_FIELDS = _rule(
    "rgpd.activity.required_fields", "high",
    ("Fiche de traitement complète (art. 30)", "Processing record complete (art. 30)"),
    ("L'article 30(1) fixe le contenu de chaque fiche : les finalités, les catégories de personnes concernées et de "
     "données, les catégories de destinataires et les transferts hors UE (le nom et les coordonnées du responsable "
     "et du DPO sont vérifiés pour tout le registre). Les délais d'effacement et la description des mesures de "
     "sécurité s'y ajoutent « dans la mesure du possible » : leur absence est un avertissement. Pour un "
     "sous-traitant (art. 30(2)) : les responsables pour le compte desquels il agit et les catégories de traitements.",
     "Article 30(1) sets the content of each record: the purposes, the categories of data subjects and of data, the "
     "categories of recipients and the transfers outside the EU (the controller's and DPO's names and contact "
     "details are checked for the whole record). Erasure time limits and a description of the security measures "
     "are added 'where possible': their absence is a warning. For a processor (art. 30(2)): the controllers it "
     "acts for and the categories of processing."),
    ("Compléter les champs manquants : `cyberaudit register edit ID`.",
     "Fill in the missing fields: `cyberaudit register edit ID`."),
    ("gdpr:30(1)", "gdpr:30(2)"))
LEGAL_BASIS = _rule(
    "rgpd.activity.legal_basis", "medium",
    ("Base légale indiquée (art. 6)", "Lawful basis given (art. 6)"),
    ("Tout traitement repose sur l'une des bases de l'article 6(1). L'article 30 ne l'exige pas dans le registre, "
     "mais l'y indiquer permet de démontrer la licéité du traitement (art. 5(2)) et prépare l'information des "
     "personnes (art. 13(1)(c)) : c'est une bonne pratique recommandée par la CNIL.",
     "Every processing rests on one of the bases of article 6(1). Article 30 does not require it in the record, but "
     "writing it there shows the processing is lawful (art. 5(2)) and prepares the information of the people "
     "(art. 13(1)(c)): a good practice the CNIL recommends."),
    ("Indiquer la base légale et son texte : `cyberaudit register edit ID`.",
     "Give the lawful basis and its text: `cyberaudit register edit ID`."),
    ("gdpr:6(1)", "gdpr:5(2)", "gdpr:13(1)(c)"))
ACTIVITY_STALE = _rule(
    "rgpd.activity.stale", "low",
    ("Fiche revue depuis moins d'un an", "Record reviewed within the last year"),
    ("Une fiche non revue depuis plus d'un an risque de ne plus correspondre au traitement réel.",
     "A record not reviewed for over a year may no longer match the actual processing."),
    ("Relire la fiche avec le service concerné et l'enregistrer.", "Review the record with its department and save it."),
    ("gdpr:30",))
BASIS_TEXT = _rule(
    "rgpd.legal_basis.text", "medium",
    ("Texte fondant l'obligation légale ou la mission publique cité", "Text behind a legal obligation or public task cited"),
    ("Une obligation légale ou une mission d'intérêt public doit reposer sur un texte de droit français ou "
     "européen (CGCT, code électoral, CASF…), qu'il faut citer.",
     "A legal obligation or a public task must rest on a text of French or EU law (CGCT, electoral code, CASF…), "
     "which must be cited."),
    ("Indiquer l'article de loi ou la compétence dans la base légale.",
     "Give the article of law or the competence in the lawful basis."),
    ("gdpr:6(3)",))
LEGITIMATE = _rule(
    "rgpd.legal_basis.legitimate_interests", "high",
    ("Pas d'intérêt légitime pour une mission publique", "No legitimate interests for a public task"),
    ("Une autorité publique ne peut pas invoquer l'intérêt légitime pour les traitements qu'elle effectue dans "
     "l'exécution de ses missions (dernier alinéa de l'art. 6(1)).",
     "A public authority may not rely on legitimate interests for processing carried out in the performance of "
     "its tasks (last subparagraph of art. 6(1))."),
    ("Choisir la mission d'intérêt public, l'obligation légale, le contrat ou le consentement, selon le cas.",
     "Choose public task, legal obligation, contract or consent, as the case may be."),
    ("gdpr:6(1)",))
SPECIAL = _rule(
    "rgpd.special.exception", "high",
    ("Exception de l'art. 9 indiquée pour les données sensibles", "Art. 9 exception given for special-category data"),
    ("Les données sensibles (santé, opinions, biométrie…) sont interdites de traitement sauf exception prévue à "
     "l'art. 9(2), qu'il faut identifier pour chaque catégorie.",
     "Special-category data (health, opinions, biometrics…) may not be processed unless an art. 9(2) exception "
     "applies, which must be identified for each category."),
    ("Indiquer l'exception (9.2.a à 9.2.j) ou cesser de collecter ces données.",
     "Give the exception (9.2.a to 9.2.j) or stop collecting these data."),
    ("gdpr:9",))
CRIMINAL = _rule(
    "rgpd.criminal.basis", "high",
    ("Fondement des données d'infraction indiqué", "Basis for offence data given"),
    ("Les données relatives aux infractions et condamnations ne peuvent être traitées que sous le contrôle de "
     "l'autorité publique ou si un texte l'autorise (police municipale, par exemple).",
     "Data about offences and convictions may only be processed under official authority or where a law allows "
     "it (municipal police, for example)."),
    ("Citer le texte qui autorise ce traitement.", "Cite the text that allows this processing."),
    ("gdpr:10",))
NIR = _rule(
    "rgpd.nir.purpose", "medium",
    ("Usage du NIR justifié", "Use of the NIR justified"),
    ("Le numéro de sécurité sociale (NIR) ne peut être utilisé que pour les finalités que la loi autorise "
     "(paie, protection sociale, action sociale…).",
     "The social security number (NIR) may only be used for the purposes the law allows (payroll, social "
     "protection, social action…)."),
    ("Indiquer la finalité autorisée qui justifie le NIR, ou le retirer.",
     "Give the authorised purpose that justifies the NIR, or remove it."),
    ("gdpr:87",))
TRANSFER = _rule(
    "rgpd.transfer.safeguard", "high",
    ("Transferts hors UE encadrés", "Transfers outside the EU safeguarded"),
    ("Un transfert de données hors de l'Espace économique européen (hébergeur, éditeur) exige une garantie : "
     "décision d'adéquation (art. 45), clauses contractuelles types, règles d'entreprise contraignantes, code de "
     "conduite ou certification (art. 46(2)(c)-(f)), ou l'une des dérogations de l'art. 49. Le « Privacy shield » "
     "de la liste CNIL n'en est plus une : la CJUE l'a invalidé le 16 juillet 2020 (C-311/18).",
     "A transfer of data outside the European Economic Area (host, software vendor) needs a safeguard: adequacy "
     "decision (art. 45), standard contractual clauses, binding corporate rules, code of conduct or certification "
     "(art. 46(2)(c)-(f)), or one of the derogations of art. 49. The CNIL list's 'Privacy shield' no longer is one: "
     "the CJEU invalidated it on 16 July 2020 (C-311/18)."),
    ("Documenter la garantie du transfert ou choisir un prestataire hébergé dans l'UE.",
     "Document the transfer safeguard or choose a provider hosted in the EU."),
    ("gdpr:44", "gdpr:45", "gdpr:46", "gdpr:49", "gdpr:30(1)(e)"), effort="medium")
RETENTION = _rule(
    "rgpd.retention.defined", "medium",
    ("Durée de conservation définie", "Retention period defined"),
    ("Les données ne doivent pas être gardées plus longtemps que nécessaire : le registre fixe une durée (ou un "
     "versement aux archives définitives), jamais « illimitée ».",
     "Data must not be kept longer than needed: the record sets a period (or a transfer to the permanent "
     "archives), never 'indefinite'."),
    ("Fixer la durée d'après le référentiel CNIL ou le tableau de gestion des Archives départementales.",
     "Set the period from the CNIL référentiel or the departmental Archives' management table."),
    ("gdpr:5(1)(e)", "gdpr:30(1)(f)"))
RETENTION_SOURCE = _rule(
    "rgpd.retention.source", "low",
    ("Source de la durée de conservation citée", "Source of the retention period cited"),
    ("Une durée de conservation se justifie par un texte, un référentiel CNIL ou le tableau de gestion des "
     "Archives ; sans source, elle est difficile à défendre.",
     "A retention period is justified by a law, a CNIL référentiel or the Archives' management table; without a "
     "source it is hard to defend."),
    ("Indiquer la source de chaque durée.", "Give the source of each period."),
    ("gdpr:5(1)(e)",))
PROCESSOR = _rule(
    "rgpd.processor.art28", "high",
    ("Contrats de sous-traitance conformes à l'art. 28", "Processor contracts with art. 28 clauses"),
    ("Tout prestataire qui traite des données pour la collectivité (éditeur, hébergeur) doit être lié par un "
     "contrat comprenant les clauses de l'art. 28(3) : instructions, confidentialité, sécurité, sous-traitants, "
     "aide, restitution, audits.",
     "Every provider processing data for the authority (software vendor, host) must be bound by a contract with "
     "the art. 28(3) clauses: instructions, confidentiality, security, sub-processors, assistance, return, audits."),
    ("Obtenir un avenant RGPD conforme à l'art. 28 de chaque prestataire.",
     "Get an art. 28-compliant data-protection addendum from each provider."),
    ("gdpr:28",), effort="medium")
PROCESSOR_RECORD = _rule(
    "rgpd.processor_record.controllers", "medium",
    ("Registre de sous-traitant : collectivités servies identifiées",
     "Processor record: controllers served identified"),
    ("Un EPCI ou un syndicat qui traite des données pour ses membres tient aussi le registre de sous-traitant "
     "(art. 30(2)) : pour chaque traitement, les responsables pour le compte desquels il agit.",
     "An EPCI or syndicate processing data for its members also keeps the processor record (art. 30(2)): for "
     "each processing, the controllers on whose behalf it acts."),
    ("Lister les communes ou organismes servis dans « pour le compte de ».",
     "List the communes or bodies served under 'on behalf of'."),
    ("gdpr:30(2)",))
DPIA_REQUIRED = _rule(
    "rgpd.dpia.required", "high",
    ("Analyse d'impact (AIPD) réalisée quand elle est requise", "DPIA carried out where required"),
    ("Une AIPD est requise pour un type de traitement de la liste CNIL, dans les cas de l'art. 35(3) "
     "(vidéoprotection de la voie publique…) et, en principe, dès que deux critères des lignes directrices du "
     "CEPD (WP248) sont réunis, sauf traitement de la liste d'exemption CNIL.",
     "A DPIA is required for a processing type on the CNIL list, in the art. 35(3) cases (video surveillance of "
     "public roads…) and, as a rule, when two criteria of the EDPB guidelines (WP248) are met, unless the "
     "processing is on the CNIL exemption list."),
    ("Conduire l'AIPD (outil PIA de la CNIL) avant la mise en œuvre, avec l'avis du DPO.",
     "Carry out the DPIA (CNIL PIA tool) before going live, with the DPO's advice."),
    ("gdpr:35",), effort="high")
DPIA_REVIEW = _rule(
    "rgpd.dpia.review", "medium",
    ("AIPD datée de moins de trois ans", "DPIA less than three years old"),
    ("Une AIPD se revoit quand le traitement change et, en bonne pratique, au moins tous les trois ans.",
     "A DPIA is reviewed when the processing changes and, as good practice, at least every three years."),
    ("Revoir l'AIPD et enregistrer sa nouvelle date.", "Review the DPIA and record its new date."),
    ("gdpr:35(11)",), effort="medium")
VIDEO = _rule(
    "rgpd.video.retention", "high",
    ("Images de vidéoprotection conservées un mois au plus", "Video recordings kept one month at most"),
    ("Hors procédure judiciaire, les enregistrements de vidéoprotection sont détruits dans le délai fixé par "
     "l'autorisation préfectorale, qui ne peut dépasser un mois (CSI L252-5).",
     "Outside judicial proceedings, video-surveillance recordings are destroyed within the period set by the "
     "prefectoral authorisation, which cannot exceed one month (CSI L252-5)."),
    ("Fixer une durée d'un mois au plus et la paramétrer dans l'enregistreur.",
     "Set a period of one month at most and configure it in the recorder."),
    ("csi:L252-5", "gdpr:5(1)(e)"))
ASSET_SECURITY = _rule(
    "rgpd.activity.asset_security", "medium",
    ("Sécurité des services en ligne du traitement", "Security of the processing's online services"),
    ("Les constats techniques sur les sites et serveurs d'un traitement (certificat expiré, service exposé…) "
     "portent sur la sécurité de ce traitement (art. 32).",
     "Technical findings on the sites and servers of a processing (expired certificate, exposed service…) bear on "
     "the security of that processing (art. 32)."),
    ("Corriger les constats techniques cités, avec le prestataire informatique.",
     "Fix the technical findings cited, with the IT provider."),
    ("gdpr:32",), owner="it_provider", effort="medium")
ASSETS_INVENTORY = _rule(
    "rgpd.activity.assets_inventory", "low",
    ("Actifs du traitement présents dans l'inventaire", "Assets of the processing in the inventory"),
    ("Les sites et serveurs d'un traitement doivent figurer dans l'inventaire (organisation.yaml) pour être "
     "analysés ; sinon leurs failles n'apparaissent pas sur la fiche.",
     "The sites and servers of a processing must be in the inventory (organisation.yaml) to be scanned; "
     "otherwise their weaknesses do not show on the record."),
    ("Ajouter ces noms à l'inventaire (domaines, hôtes ou web_names).",
     "Add these names to the inventory (domains, hosts or web_names)."),
    ("gdpr:32", "anssi-hygiene:4"), owner="it_provider")
SECURITY_MEASURES = _rule(
    "rgpd.activity.security_measures", "medium",
    ("Mesures de sécurité décrites et vérifiées", "Security measures described and checked"),
    ("Le registre décrit, quand c'est possible, les mesures de sécurité de chaque traitement (art. 30). Reliées par "
     "identifiant aux questions de l'entretien et aux contrôles techniques, elles sont confrontées à ce que "
     "l'évaluation a constaté.",
     "The record describes, where possible, the security measures of each processing (art. 30). Linked by ID to "
     "interview questions and technical checks, they are compared with what the assessment found."),
    ("Lister les mesures par identifiant (par ex. bcp.backup.offline, tls.cert.expiry, anssi-hygiene:37) et "
     "corriger celles que l'évaluation contredit.",
     "List the measures by ID (e.g. bcp.backup.offline, tls.cert.expiry, anssi-hygiene:37) and fix those the "
     "assessment contradicts."),
    ("gdpr:30", "gdpr:32"), owner="dpo")
WEBSITE_TRACKERS = _rule(
    "rgpd.website.trackers_declared", "medium",
    ("Traceurs du site déclarés au registre", "Website trackers declared in the record"),
    ("Le navigateur d'un visiteur a chargé des outils de mesure d'audience ou des traceurs sur ce site : c'est un "
     "traitement de données personnelles, qui doit figurer au registre (mesure d'audience, site internet), avec "
     "ses destinataires et sa durée de conservation.",
     "A visitor's browser loaded audience-measurement tools or trackers on this site: it is a processing of "
     "personal data, which must be in the record (audience measurement, website), with its recipients and "
     "retention."),
    ("Ajouter l'activité « Mesure d'audience et cookies du site » (`cyberaudit register add --from-template "
     "mesure-audience-cookies`) et y lier le site dans `assets`.",
     "Add the \"Website audience measurement and cookies\" activity (`cyberaudit register add --from-template "
     "mesure-audience-cookies`) and link the site in `assets`."),
    ("gdpr:30", "loi-il:82"), owner="dpo")
