"""Fixed wording of the report (section titles, table headers, legends), French first."""

from __future__ import annotations

_L: dict[str, tuple[str, str]] = {
    "sep": (" : ", ": "),
    "semi": (" ; ", "; "),
    "doc_title": ("Rapport d'audit cybersécurité et RGPD", "Cybersecurity and GDPR audit report"),
    "generated": ("Date de l'évaluation", "Assessment date"),
    "elected_doc_title": ("Cybersécurité et RGPD : rapport pour les élus", "Cybersecurity and GDPR: report for elected officials"),
    "first_actions": ("Les premières actions à engager", "The first actions to start"),
    "elected_more": ("Le rapport complet, destiné au DPO et au prestataire informatique, détaille chaque thème, le plan "
                     "d'action entier, la section RGPD et les questions restées sans réponse sûre.",
                     "The complete report, for the DPO and the IT provider, details every theme, the whole action plan, "
                     "the GDPR section and the questions still without a sure answer."),
    "unknowns_title": ("Questions restées sans réponse sûre", "Questions still without a sure answer"),
    "unknowns_intro": ("Chaque réponse « je ne sais pas » compte comme une mesure non en place tant qu'elle n'est pas "
                       "vérifiée. Voici les questions, et à qui les poser.",
                       "Each \"I don't know\" answer counts as a measure not in place until it is checked. Here are "
                       "the questions, and whom to ask."),
    "question": ("Question", "Question"),
    "seen_by": ("Vu par", "Seen by"),
    "tool": ("Outil", "Tool"),
    "assessor": ("Évaluation menée par", "Assessed by"),
    "profile": ("Profil", "Profile"),
    "population": ("Population", "Population"),
    "dpo": ("Délégué à la protection des données (DPO)", "Data protection officer (DPO)"),
    "it_provider": ("Prestataire informatique", "IT provider"),
    "not_given": ("non renseigné", "not given"),
    "toc": ("Sommaire", "Contents"),
    "elected_title": ("Pour les élus : les quatre priorités", "For elected officials: the four priorities"),
    "elected_intro": (
        "Le guide AMF/ANSSI « Cybersécurité : toutes les communes et intercommunalités sont concernées » "
        "(2020) fixe quatre chantiers prioritaires. Voici où en est la collectivité sur chacun, et l'ordre "
        "de grandeur de ce qu'il en coûte d'avancer.",
        "The AMF/ANSSI guide \"Cybersecurity: all communes and intercommunalities are concerned\" (2020) sets "
        "four priority work streams. Here is where the organisation stands on each, and the order of magnitude "
        "of what progress costs."),
    "priority": ("Chantier", "Work stream"),
    "status": ("État", "Status"),
    "open_points": ("Points ouverts", "Open points"),
    "cost": ("Coût (ordre de grandeur)", "Cost (order of magnitude)"),
    "elected_decide": ("Ce qui relève de la décision des élus", "What elected officials decide"),
    "none": ("aucun", "none"),
    "summary_title": ("Synthèse", "Executive summary"),
    "grade": ("Note", "Grade"),
    "score": ("Score", "Score"),
    "coverage": ("Couverture", "Coverage"),
    "cap": ("Plafonnement", "Cap"),
    "capped_by": ("Note plafonnée par", "Grade capped by"),
    "reassess": ("Prochaine évaluation conseillée", "Next assessment advised"),
    "theme_scores": ("Score par thème", "Score per theme"),
    "chart_alt": ("Graphique en barres des scores par thème (sur 100)", "Bar chart of the scores per theme (out of 100)"),
    "top5": ("Les cinq actions à mener en premier", "The five things to do first"),
    "nothing_known": ("Rien n'est encore évalué : répondez à l'entretien (cyberaudit assess) et lancez l'analyse "
                      "technique (cyberaudit scan), puis produisez à nouveau ce rapport.",
                      "Nothing is assessed yet: answer the interview (cyberaudit assess) and run the technical scan "
                      "(cyberaudit scan), then produce this report again."),
    "not_assessed": ("non évalué", "not assessed"),
    "plan_title": ("Plan d'action priorisé", "Prioritised action plan"),
    "plan_intro": (
        "Les actions sont classées par impact (sévérité, mesure essentielle, poids du thème) rapporté à "
        "l'effort. P1 : à engager tout de suite ; P2 : dans les six mois ; P3 : à planifier.",
        "Actions are ranked by impact (severity, essential measure, theme weight) over effort. "
        "P1: start now; P2: within six months; P3: to plan."),
    "rank": ("Rang", "Rank"),
    "action": ("Action", "Action"),
    "who": ("Qui", "Who"),
    "effort": ("Effort", "Effort"),
    "severity": ("Sévérité", "Severity"),
    "targets": ("Concerne", "Applies to"),
    "references": ("Références", "References"),
    "no_action": ("Aucune action ouverte.", "No open action."),
    "details_title": ("Détail par thème", "Detail per theme"),
    "finding": ("Constat", "Finding"),
    "why": ("Pourquoi c'est important", "Why it matters"),
    "detail": ("Ce qui a été observé", "What was observed"),
    "remediation": ("Que faire", "What to do"),
    "evidence": ("Éléments de preuve", "Evidence"),
    "source": ("Source", "Source"),
    "essential": ("mesure essentielle", "essential measure"),
    "passed_title": ("Points conformes et informations", "Passed checks and information"),
    "no_finding": ("Aucun constat dans ce thème.", "No finding in this theme."),
    "not_scanned": ("Familles de tests non lancées", "Test families not run"),
    "rgpd_title": ("Protection des données (RGPD)", "Data protection (GDPR)"),
    "website_title": ("Site internet et vie privée", "Website and privacy"),
    "dpo_status": ("Statut du DPO", "DPO status"),
    "register": ("Registre des activités de traitement", "Record of processing activities"),
    "activity": ("Activité", "Activity"),
    "name": ("Nom", "Name"),
    "issues": ("Points à corriger", "To correct"),
    "register_check": ("Résultats du contrôle du registre", "Register check results"),
    "dpia": ("Analyses d'impact (AIPD) à mener", "DPIAs to carry out"),
    "breach": ("Procédure de violation de données", "Data breach procedure"),
    "nothing": ("Rien à signaler.", "Nothing to report."),
    "reg_title": ("Situation réglementaire", "Regulatory situation"),
    "obligation": ("Obligation", "Obligation"),
    "situation": ("Situation", "Situation"),
    "evolution_title": ("Évolution depuis la précédente évaluation", "Evolution since the previous assessment"),
    "previous": ("Évaluation précédente", "Previous assessment"),
    "no_previous": ("Première évaluation : pas encore d'historique dans cet espace de travail.",
                    "First assessment: no history in this workspace yet."),
    "better": ("En progrès", "Better"),
    "worse": ("En recul", "Worse"),
    "new": ("Nouveaux problèmes", "New problems"),
    "fixed": ("Corrigés ou disparus", "Fixed or gone"),
    "annex_title": ("Annexe", "Annex"),
    "methodology": ("Méthode", "Methodology"),
    "scoring_rules": ("Règles de notation", "Scoring rules"),
    "references_list": ("Référentiels cités", "References cited"),
    "scope_title": ("Périmètre et autorisations des tests techniques", "Scope and authorisations of the probes"),
    "asset": ("Élément", "Asset"),
    "kind": ("Type", "Kind"),
    "scope": ("Tests permis", "Tests allowed"),
    "authorization": ("Autorisation", "Authorisation"),
    "scan_run": ("Analyse technique", "Technical scan"),
    "no_scan": ("Aucune analyse technique enregistrée.", "No technical scan recorded."),
    "theme": ("Thème", "Theme"),
    "weight": ("Poids", "Weight"),
    "coverage_title": ("Ce qui reste à connaître", "What is still unknown"),
    "errors": ("Non testés (erreur)", "Not tested (error)"),
    "unknown": ("Réponses « je ne sais pas »", "\"I don't know\" answers"),
    "unanswered": ("Questions sans réponse", "Unanswered questions"),
    "footer": ("Rapport produit par cyberaudit", "Report produced by cyberaudit"),
}


def labels(lang: str) -> dict[str, str]:
    i = 1 if lang == "en" else 0
    return {k: v[i] for k, v in _L.items()}


def pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]
