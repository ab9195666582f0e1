"""A pre-filled text of what the CNIL's breach notification asks (art. 33(3)), ready to paste in its teleservice.

Headings follow the form's parts: who notifies, dates, nature and circumstances, data and people,
consequences, measures, information of the people, other notifications. What the file does not say
reads "[à compléter]"; an initial notification may be completed later (art. 33(4)).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from ..i18n import t
from ..register.model import SUBJECTS
from ..sanitize import strip_control
from .clocks import breach_clocks
from .model import DATA_KINDS, NATURES, ORIGINS, Breach
from .screening import SUGGESTION, screen
from .timeutil import show


def _v(value) -> str:
    if value in (None, "", []):
        return t("[à compléter]", "[to complete]")
    return strip_control(str(value), keep_newlines=True).strip()


def _labels(keys, table) -> str:
    return ", ".join(t(*table[k]) for k in keys) if keys else ""


def notice_text(b: Breach, org, tz: ZoneInfo, now, nis2_status: str | None = None) -> str:
    dpo = getattr(org, "dpo", None)
    cnil = breach_clocks(b, now, nis2_status, tz)[0]
    late = b.cnil.notified_at is None and now > cnil.due or (b.cnil.notified_at and b.cnil.notified_at > cnil.due)
    yes, no, sep = t("oui", "yes"), t("non", "no"), t(" : ", ": ")
    s = screen(b)
    lines = [
        t(f"NOTIFICATION DE VIOLATION DE DONNÉES PERSONNELLES — {b.id}", f"PERSONAL DATA BREACH NOTIFICATION — {b.id}"),
        t("(texte préparé par cyberaudit à partir du registre des violations ; à relire avant envoi)",
          "(text prepared by cyberaudit from the breach log; review before sending)"),
        "",
        t("1. Organisme", "1. Organisation"),
        f"- {t('Nom', 'Name')}{sep}{_v(org.name)}",
        f"- SIREN{sep}{_v(org.siren)}",
        f"- {t('Adresse', 'Address')}{sep}{_v(org.address)}",
        f"- {t('Délégué à la protection des données', 'Data protection officer')}{sep}"
        f"{_v(' — '.join(x for x in (dpo.name, dpo.email, dpo.phone) if x) if dpo else None)}",
        f"- {t('Désignation du DPO à la CNIL', 'DPO designation number')}{sep}{_v(dpo.cnil_designation if dpo else None)}",
        "",
        t("2. Dates", "2. Dates"),
        f"- {t('Début de la violation', 'Start of the breach')}{sep}{show(b.occurred_at, tz)}",
        f"- {t('Prise de connaissance', 'Awareness')}{sep}{show(b.aware_at, tz)}",
        f"- {t('Échéance des 72 heures', '72-hour deadline')}{sep}{show(cnil.due, tz)}",
    ]
    if late:
        lines.append(f"- {t('Motifs du retard (art. 33(1))', 'Reasons for the delay (art. 33(1))')}{sep}"
                     f"{_v(b.cnil.delay_reason)}")
    lines += [
        "",
        t("3. Nature de la violation", "3. Nature of the breach"),
        f"- {t('Résumé', 'Summary')}{sep}{_v(b.title)}",
        f"- {t('Circonstances', 'Circumstances')}{sep}{_v(b.description)}",
        f"- {t('Origine', 'Origin')}{sep}{_v(t(*ORIGINS[b.origin]) if b.origin else None)}",
        f"- {t('Atteinte', 'Breach of')}{sep}{_v(_labels(b.nature, NATURES))}",
        "",
        t("4. Données et personnes concernées", "4. Data and people concerned"),
        f"- {t('Catégories de données', 'Data categories')}{sep}{_v(_labels(b.data_categories, DATA_KINDS))}",
        f"- {t('Catégories de personnes', 'Categories of people')}{sep}{_v(_labels(b.subject_categories, SUBJECTS))}",
        f"- {t('Nombre approximatif de personnes', 'Approximate number of people')}{sep}{_v(b.people_count)}",
        f"- {t('Nombre approximatif d’enregistrements', 'Approximate number of records')}{sep}{_v(b.records_count)}",
        f"- {t('Données chiffrées', 'Data encrypted')}{sep}"
        f"{_v(None if b.encrypted is None else yes if b.encrypted else no)}",
        f"- {t('Traitements concernés (registre)', 'Processing activities (record)')}{sep}{_v(', '.join(b.activities))}",
        "",
        t("5. Conséquences probables pour les personnes", "5. Likely consequences for the people"),
        _v(b.consequences),
        "",
        t("6. Mesures prises ou envisagées", "6. Measures taken or proposed"),
        f"- {t('Prises', 'Taken')}{sep}{_v(b.measures_taken)}",
        f"- {t('Envisagées', 'Proposed')}{sep}{_v(b.measures_proposed)}",
        "",
        t("7. Information des personnes (art. 34)", "7. Informing the people (art. 34)"),
    ]
    p = b.people
    if p.informed:
        lines.append(f"- {t('Informées le', 'Informed on')} {show(p.informed_at, tz)} — {_v(p.how)}")
    elif p.informed is False:
        lines.append(f"- {t('Non informées, motif', 'Not informed, reason')}{sep}{_v(p.reason_not)}")
    else:
        lines.append(f"- {t('Décision', 'Decision')}{sep}{_v(None)} ({t('pré-analyse', 'screening')}{sep}"
                     f"{t(*SUGGESTION[s.people])})")
    lines += ["", t("8. Autres notifications", "8. Other notifications"),
              f"- {t('ANSSI (NIS 2, au titre du projet de loi)', 'ANSSI (NIS2, under the bill)')}{sep}"
              f"{_v(show(b.nis2.notification_at, tz) if b.nis2.notification_at else None)}",
              f"- {t('Dépôt de plainte', 'Police complaint')}{sep}{t('[à compléter si besoin]', '[to complete if any]')}",
              "", t(f"Dossier suivi par : {_v(b.handler)}", f"Handled by: {_v(b.handler)}")]
    return "\n".join(lines) + "\n"
