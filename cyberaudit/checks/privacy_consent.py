"""The consent banner (pure): which consent manager, and is refusing as easy as accepting.

The CNIL's 2020 guidelines and recommendation: refusing must be as easy as accepting, so a
"Tout refuser" or "Continuer sans accepter" control sits on the first layer, next to "Tout accepter".
The probe lists the clickable elements of each banner it finds (known consent managers by their
script globals and root elements, or a generic cookie banner); `button_role` sorts them, and also
tells the probe which one to click to record what "accept" releases.
"""

from __future__ import annotations

import re

from ..model import Finding, Text
from . import check
from .privacy import REFS_COOKIES, classify_cookies, trackers

_REFUSE = re.compile(r"\b(tout\s+refuser|refuser|je\s+refuse|non\s+merci|continuer\s+sans\s+accepter|"
                     r"refuse\s+all|reject(\s+all)?|decline|deny|interdire|tout\s+interdire|"
                     r"continue\s+without\s+accepting)\b", re.I)
_ACCEPT = re.compile(r"\b(tout\s+accepter|accepter(\s+tout)?|j'accepte|j’accepte|accept(er)?\s+(all|tout)|"
                     r"accept|autoriser(\s+tout)?|tout\s+autoriser|ok\s+pour\s+moi|ok,?\s+j'ai\s+compris|"
                     r"j'ai\s+compris|allow\s+all|agree|d'accord|c'est\s+ok)\b", re.I)
_SETTINGS = re.compile(r"\b(personnaliser|param[eè]tr|pr[ée]f[ée]rences|g[ée]rer|choisir|customi[sz]e|settings|"
                       r"options|en\s+savoir\s+plus)\b", re.I)
# Known first-layer controls of the consent managers (when their text is an icon or an image).
_IDS = {
    "refuse": ("tarteaucitronAllDenied2", "axeptio_btn_dismiss", "didomi-notice-disagree-button",
               "onetrust-reject-all-handler", "CybotCookiebotDialogBodyButtonDecline", "sd-cmp-refuse"),
    "accept": ("tarteaucitronPersonalize2", "tarteaucitronAllAllowed2", "axeptio_btn_acceptAll",
               "didomi-notice-agree-button", "onetrust-accept-btn-handler",
               "CybotCookiebotDialogBodyLevelButtonLevelOptinAllowAll", "CybotCookiebotDialogBodyButtonAccept",
               "sd-cmp-accept"),
}

BANNER = check(
    "privacy.consent.banner", severity="high",
    title=Text(fr="Bandeau de consentement : refuser aussi simple qu'accepter",
               en="Consent banner: refusing as easy as accepting"),
    explanation=Text(
        fr="Quand le site utilise des traceurs soumis à consentement, il doit le demander par un bandeau où "
           "refuser est aussi simple qu'accepter : un bouton « Tout refuser » ou « Continuer sans accepter » "
           "dès le premier écran. Un bandeau sans refus a valu des sanctions de la CNIL.",
        en="When the site uses trackers that need consent, it must ask through a banner where refusing is as "
           "easy as accepting: a \"Refuse all\" or \"Continue without accepting\" button on the first screen. A "
           "banner without refusal has led to CNIL sanctions."),
    remediation=Text(
        fr="Installer un gestionnaire de consentement (tarteaucitron.js, libre et courant en collectivité) avec "
           "les boutons « Tout accepter » et « Tout refuser » au premier niveau, et n'y charger les services "
           "qu'après acceptation.",
        en="Install a consent manager (tarteaucitron.js, free and common in local authorities) with \"Accept all\" "
           "and \"Refuse all\" buttons on the first layer, loading services only after acceptance."),
    refs=[*REFS_COOKIES, "gdpr:7"], effort="medium", owner="dpo",
)


def button_role(button: dict) -> str | None:
    """"refuse", "accept", "settings" or None for a clickable element {text, id}."""
    bid, text = button.get("id") or "", " ".join((button.get("text") or "").split())
    for role, ids in _IDS.items():
        if bid in ids:
            return role
    if not text or len(text) > 80:
        return None
    if _REFUSE.search(text):
        return "refuse"
    if _ACCEPT.search(text):
        return "accept"
    if _SETTINGS.search(text):
        return "settings"
    return None


def accept_button(banners: list[dict]) -> dict | None:
    """The first-layer "accept" control to click, preferring a known consent manager's."""
    for b in sorted(banners, key=lambda b: b.get("cmp") is None):
        for btn in b.get("buttons", []):
            if button_role(btn) == "accept":
                return btn
    return None


def judge_banner(obs: dict) -> Finding:
    dom = obs.get("dom") or {}
    banners = [b for b in dom.get("banners", []) if b.get("buttons")]
    cmps = sorted({b["cmp"] for b in banners if b.get("cmp")} | set(dom.get("cmp_names", [])))
    roles = {button_role(btn) for b in banners for btn in b.get("buttons", [])}
    need_before, _, _ = trackers(obs, "before")
    need_after, _, _ = trackers(obs, "after_accept")
    before_c, after_c = classify_cookies(obs, "before"), classify_cookies(obs, "after")
    before_names = {c["name"] for c in before_c["tracker"] + before_c["third_party"]}
    released_cookies = sorted({c["name"] for c in after_c["tracker"] + after_c["third_party"]} - before_names)
    needs = bool(need_before or need_after or before_names or released_cookies)
    clicked = (obs.get("consent") or {}).get("clicked")
    ev = {"consent_managers": cmps or (["générique"] if banners else []),
          "buttons": [{"text": (btn.get("text") or "")[:80], "id": btn.get("id") or "", "role": button_role(btn)}
                      for b in banners for btn in b.get("buttons", [])][:20],
          "clicked": clicked, "released_after_accept": need_after, "cookies_after_accept": released_cookies,
          "consent_needed": needs}
    name = obs["name"]
    if not needs:
        return BANNER.finding("pass", target=name, evidence=ev, detail=Text(
            fr="Aucun traceur soumis à consentement observé" + (" ; bandeau présent" if banners else ""),
            en="No tracker needing consent observed" + ("; banner present" if banners else "")))
    if not banners:
        return BANNER.finding("fail", target=name, evidence=ev, detail=Text(
            fr="Des traceurs sont utilisés mais aucun bandeau de consentement n'apparaît.",
            en="Trackers are used but no consent banner appears."))
    label = ", ".join(cmps) or "bandeau générique"
    if "refuse" not in roles:
        return BANNER.finding("fail", target=name, evidence=ev, detail=Text(
            fr=f"{label} : pas de bouton pour refuser au premier niveau (refuser est plus difficile qu'accepter).",
            en=f"{label}: no button to refuse on the first layer (refusing is harder than accepting)."))
    if "accept" not in roles:
        return BANNER.finding("warn", target=name, evidence=ev, severity="medium", detail=Text(
            fr=f"{label} : bouton d'acceptation non reconnu ; vérifier le bandeau à la main.",
            en=f"{label}: accept button not recognised; check the banner by hand."))
    return BANNER.finding("pass", target=name, evidence=ev, detail=Text(
        fr=f"{label} : « accepter » et « refuser » au premier niveau.",
        en=f"{label}: \"accept\" and \"refuse\" on the first layer."))
