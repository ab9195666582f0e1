"""Legal pages a commune's site must link from its home page (pure).

* Mentions légales: LCEN (loi 2004-575) art. 6 III;
* personal-data information (GDPR arts. 12-14): "Données personnelles", "Politique de confidentialité",
  "Vie privée", "Protection des données";
* accessibility: a public body's home page shows « Accessibilité : non / partiellement / totalement
  conforme » linking to its accessibility statement (loi 2005-102 art. 47, décret 2019-768).

The probe lists the home page's links (href, text) and fetches the title of the same-site ones whose
text or address matches `LINK_PATTERNS`; the judges read those facts.
"""

from __future__ import annotations

import re
import unicodedata

from ..model import Finding, Text
from . import check

LINK_PATTERNS = {
    "notice": re.compile(r"mentions?[\s_-]*l[eé]gales?|legal[\s_-]*notice|informations?[\s_-]*l[eé]gales", re.I),
    "policy": re.compile(r"donn[eé]es[\s_-]*(?:[aà][\s_-]*caract[eè]re[\s_-]*)?personnelles|confidentialit[eé]|"
                         r"vie[\s_-]*priv[eé]e|protection[\s_-]*des[\s_-]*donn[eé]es|\brgpd\b|privacy", re.I),
    "accessibility": re.compile(r"accessibilit[eé]|accessibility", re.I),
}
LEVEL = re.compile(r"accessibilit[eé]\s*[:：-]?\s*(non|partiellement|totalement|enti[eè]rement)\s+conforme", re.I)
LEVELS = {"non": "non conforme", "partiellement": "partiellement conforme", "totalement": "totalement conforme",
          "entierement": "totalement conforme", "entièrement": "totalement conforme"}  # keys: LEVEL's group, lower

NOTICE = check(
    "privacy.legal.notice", severity="medium",
    title=Text(fr="Mentions légales accessibles depuis l'accueil", en="Legal notice reachable from the home page"),
    explanation=Text(
        fr="Tout site doit indiquer qui l'édite, le directeur de la publication et l'hébergeur (LCEN, art. 6 III) ; "
           "le lien « Mentions légales » se trouve d'habitude en pied de page.",
        en="Every site must state its publisher, publication director and host (LCEN, art. 6 III); the "
           "\"Mentions légales\" link usually sits in the footer."),
    remediation=Text(fr="Ajouter une page « Mentions légales » liée depuis le pied de page de chaque page.",
                     en="Add a \"Mentions légales\" page linked from every page's footer."),
    refs=["lcen:mentions-legales"], effort="low", owner="dpo",
)
POLICY = check(
    "privacy.legal.policy", severity="medium",
    title=Text(fr="Page d'information sur les données personnelles", en="Personal-data information page"),
    explanation=Text(
        fr="Les visiteurs doivent trouver qui traite leurs données, pourquoi, combien de temps, et comment "
           "exercer leurs droits (RGPD, art. 12 à 14), ainsi que la liste des cookies.",
        en="Visitors must find who processes their data, why, for how long and how to exercise their rights "
           "(GDPR, arts. 12 to 14), and the list of cookies."),
    remediation=Text(
        fr="Publier une page « Données personnelles » (modèle de la CNIL) liée depuis le pied de page, avec le "
           "contact du délégué à la protection des données.",
        en="Publish a \"Données personnelles\" page (CNIL model) linked from the footer, with the data "
           "protection officer's contact."),
    refs=["gdpr:12", "gdpr:13", "gdpr:14"], effort="low", owner="dpo",
)
ACCESSIBILITY = check(
    "privacy.legal.accessibility", severity="medium",
    title=Text(fr="Mention « Accessibilité : … conforme » sur l'accueil",
               en="\"Accessibilité : … conforme\" mention on the home page"),
    explanation=Text(
        fr="Un organisme public doit afficher sur sa page d'accueil son niveau de conformité (non, partiellement "
           "ou totalement conforme) avec un lien vers sa déclaration d'accessibilité (loi 2005-102, art. 47 ; "
           "décret 2019-768). L'absence de mention est sanctionnable.",
        en="A public body must show its compliance level (not, partially or fully compliant) on its home page, "
           "linking to its accessibility statement (law 2005-102, art. 47; decree 2019-768). A missing mention "
           "can be fined."),
    remediation=Text(
        fr="Rédiger la déclaration d'accessibilité (générateur de la DINUM) et afficher en pied de page "
           "« Accessibilité : partiellement conforme » (le niveau réel) avec le lien vers elle.",
        en="Write the accessibility statement (DINUM generator) and show \"Accessibilité : partiellement "
           "conforme\" (the real level) in the footer, linking to it."),
    refs=["rgaa:declaration"], effort="medium", owner="dpo",
)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join((text or "").split()))


def matching_links(links: list[dict], kind: str) -> list[dict]:
    pattern = LINK_PATTERNS[kind]
    return [lk for lk in links if pattern.search(_fold(lk.get("text", ""))) or pattern.search(lk.get("href", ""))]


def _page(obs: dict, link: dict) -> dict:
    fetched = (obs.get("legal") or {}).get(link.get("href", ""), {})
    return {"href": link.get("href", "")[:300], "text": _fold(link.get("text", ""))[:120],
            "title": (fetched.get("title") or "")[:160], "status": fetched.get("status")}


def _judge_page(obs: dict, info, kind: str) -> Finding:
    links = matching_links((obs.get("dom") or {}).get("links", []), kind)
    name = obs["name"]
    if not links:
        return info.finding("fail", target=name, evidence={"links": []}, detail=Text(
            fr="Aucun lien trouvé sur la page d'accueil.", en="No link found on the home page."))
    pages = [_page(obs, lk) for lk in links[:5]]
    # status None: another site, not fetched; 0: could not be fetched in time (not a verdict on the page)
    good = [p for p in pages if p["status"] is None or p["status"] < 400]
    ev = {"links": pages}
    if not good:
        return info.finding("warn", target=name, evidence=ev, detail=Text(
            fr=f"Lien présent mais la page ne répond pas (code {pages[0]['status']}).",
            en=f"Link present but the page does not answer (status {pages[0]['status']})."))
    p = good[0]
    label = p["title"] or p["text"]
    return info.finding("pass", target=name, evidence=ev, detail=Text(fr=f"« {label} » : {p['href']}",
                                                                      en=f"\"{label}\": {p['href']}"))


def accessibility_level(texts: list[str]) -> str | None:
    for text in texts:
        m = LEVEL.search(_fold(text))
        if m:
            word = m.group(1).lower()
            return LEVELS[word]
    return None


def judge_accessibility(obs: dict) -> Finding:
    dom = obs.get("dom") or {}
    links = matching_links(dom.get("links", []), "accessibility")
    level = accessibility_level([lk.get("text", "") for lk in links] + list(dom.get("accessibility_text", [])))
    ev = {"level": level, "links": [_page(obs, lk) for lk in links[:3]]}
    name = obs["name"]
    if level is None:
        return ACCESSIBILITY.finding("fail", target=name, evidence=ev, detail=Text(
            fr="Lien vers l'accessibilité présent mais sans mention du niveau de conformité." if links else
               "Aucune mention « Accessibilité : … conforme » sur la page d'accueil.",
            en="Accessibility link present but without the compliance level." if links else
               "No \"Accessibilité : … conforme\" mention on the home page."))
    if not links:
        return ACCESSIBILITY.finding("warn", target=name, evidence=ev, severity="low", detail=Text(
            fr=f"Mention « {level} » sans lien vers la déclaration d'accessibilité.",
            en=f"\"{level}\" mention without a link to the accessibility statement."))
    if level == "non conforme":
        return ACCESSIBILITY.finding("warn", target=name, evidence=ev, detail=Text(
            fr="Site déclaré non conforme : prévoir un audit RGAA et un schéma pluriannuel.",
            en="Site declared not compliant: plan an RGAA audit and a multi-year plan."))
    return ACCESSIBILITY.finding("pass", target=name, evidence=ev, detail=Text(fr=f"Niveau déclaré : {level}.",
                                                                             en=f"Declared level: {level}."))


def judge_legal(obs: dict) -> list[Finding]:
    return [_judge_page(obs, NOTICE, "notice"), _judge_page(obs, POLICY, "policy"), judge_accessibility(obs)]
