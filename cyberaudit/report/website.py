"""The report's "Site internet et vie privée" section, written for the DPO.

    website(assessment, ctx) -> WebsiteView | None     # None when no privacy scan was run

For each web name the privacy family visited: what a first-time visitor's browser does (trackers,
cookies, banner, embeds, fonts, legal pages, accessibility level), the register's verdict, and the
questions to put to the web agency for what failed. Every string is worded here, in one language.
"""

from __future__ import annotations

from pydantic import Field

from ..model import Assessment, Finding, Status
from .common import STATUS, Ctx, clean, text, word
from .labels import labels
from .view import V

CHECKS = ["privacy.trackers.before_consent", "privacy.cookies.before_consent", "privacy.consent.banner",
          "privacy.embeds.before_consent", "privacy.fonts.third_party", "privacy.legal.notice",
          "privacy.legal.policy", "privacy.legal.accessibility", "web.content.mixed", "web.forms.insecure",
          "privacy.page.loaded"]
QUESTIONS = {
    "privacy.trackers.before_consent": (
        "Pourquoi ces services se chargent-ils avant le choix du visiteur ? Pouvez-vous les conditionner au "
        "consentement ou passer à une mesure d'audience exemptée ?",
        "Why do these services load before the visitor chooses? Can you make them wait for consent or move to "
        "exempt audience measurement?"),
    "privacy.cookies.before_consent": (
        "À quoi servent ces cookies déposés dès l'arrivée, et combien de temps durent-ils ?",
        "What are these cookies set on arrival for, and how long do they last?"),
    "privacy.consent.banner": (
        "Pouvez-vous ajouter un bouton « Tout refuser » à côté de « Tout accepter », dès le premier écran ?",
        "Can you add a \"Refuse all\" button next to \"Accept all\", on the first screen?"),
    "privacy.embeds.before_consent": (
        "Pouvez-vous remplacer les vidéos et cartes intégrées par des vignettes chargées au clic ?",
        "Can you replace embedded videos and maps with placeholders loaded on click?"),
    "privacy.fonts.third_party": ("Pouvez-vous héberger les polices sur notre serveur ?",
                                  "Can you host the fonts on our own server?"),
    "privacy.legal.notice": ("Pouvez-vous ajouter la page « Mentions légales » en pied de page ?",
                             "Can you add the \"Mentions légales\" page in the footer?"),
    "privacy.legal.policy": ("Pouvez-vous publier la page « Données personnelles » que nous vous fournirons ?",
                             "Can you publish the \"Données personnelles\" page we will provide?"),
    "privacy.legal.accessibility": (
        "Pouvez-vous afficher « Accessibilité : … conforme » en pied de page avec le lien vers la déclaration ?",
        "Can you show \"Accessibilité : … conforme\" in the footer with the link to the statement?"),
    "web.content.mixed": ("Pouvez-vous passer toutes les ressources de la page en https:// ?",
                          "Can you move every resource of the page to https://?"),
    "web.forms.insecure": ("Pouvez-vous servir les formulaires uniquement en HTTPS ?",
                           "Can you serve the forms over HTTPS only?"),
}


class SiteCheck(V):
    id: str
    label: str
    status: str
    status_label: str
    detail: str = ""


class SiteView(V):
    name: str
    checks: list[SiteCheck] = Field(default_factory=list)
    questions: list[str] = Field(default_factory=list)
    register_status: str = ""
    register_status_label: str = ""
    register_text: str = ""


class WebsiteView(V):
    title: str
    intro: str
    ask_title: str
    register_label: str
    sites: list[SiteView] = Field(default_factory=list)


def _tr(lang: str, fr: str, en: str) -> str:
    return en if lang == "en" else fr


def website(a: Assessment, ctx: Ctx) -> WebsiteView | None:
    lang = ctx.lang
    by_site: dict[str, dict[str, Finding]] = {}
    for f in a.findings:
        if f.target and f.id.startswith("privacy."):
            by_site.setdefault(f.target, {})[f.id] = f
    if not by_site:
        return None
    web = {(f.target, f.id): f for f in a.findings if f.id in ("web.content.mixed", "web.forms.insecure")}
    register = {f.target: f for f in a.findings if f.id == "rgpd.website.trackers_declared"}
    sites = []
    for name in sorted(by_site):
        found = {**by_site[name], **{fid: f for (t, fid), f in web.items() if t == name}}
        checks, questions = [], []
        for cid in CHECKS:
            f = found.get(cid)
            if f is None or (cid == "privacy.page.loaded" and f.status is Status.PASS):
                continue
            st = f.status.value
            checks.append(SiteCheck(id=cid, label=text(f.title, lang), status=st, status_label=word(STATUS, st, lang),
                                    detail=text(f.detail, lang)))
            if f.status in (Status.FAIL, Status.WARN) and cid in QUESTIONS:
                questions.append(QUESTIONS[cid][1 if lang == "en" else 0])
        reg = register.get(name)
        sites.append(SiteView(name=clean(name, 200), checks=checks, questions=questions,
                              register_status=reg.status.value if reg else "",
                              register_status_label=word(STATUS, reg.status.value, lang) if reg else "",
                              register_text=text(reg.detail, lang) if reg and reg.detail else (
                                  _tr(lang, "traceurs déclarés au registre", "trackers declared in the record")
                                  if reg else "")))
    return WebsiteView(
        title=labels(lang)["website_title"],
        intro=_tr(lang, "Ce que fait le navigateur d'un premier visiteur qui n'a encore rien accepté, page d'accueil "
                        "chargée dans Chromium : traceurs, cookies, bandeau de consentement, contenus tiers, pages "
                        "légales. Les questions à poser au prestataire du site suivent chaque site.",
                  "What a first-time visitor's browser does before accepting anything, home page loaded in "
                  "Chromium: trackers, cookies, consent banner, third-party content, legal pages. The questions "
                  "to ask the web agency follow each site."),
        ask_title=_tr(lang, "À demander au prestataire du site", "To ask the web agency"),
        register_label=_tr(lang, "Registre", "Record"), sites=sites)
