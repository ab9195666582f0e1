"""Themes used to group findings and to score (weights come from the profile)."""

from __future__ import annotations

from .model import Text

THEMES: dict[str, Text] = {
    "governance": Text(fr="Gouvernance et pilotage", en="Governance"),
    "rgpd": Text(fr="Protection des données (RGPD)", en="Data protection (GDPR)"),
    "identity": Text(fr="Identités, accès et MFA", en="Identities, access and MFA"),
    "mail": Text(fr="Messagerie", en="E-mail"),
    "web": Text(fr="Domaines, sites web et TLS", en="Domains, websites and TLS"),
    "exposure": Text(fr="Services exposés sur Internet", en="Internet-exposed services"),
    "systems": Text(fr="Postes, réseau et mises à jour", en="Workstations, network and updates"),
    "continuity": Text(fr="Sauvegardes et continuité", en="Backups and continuity"),
    "awareness": Text(fr="Sensibilisation et formation", en="Awareness and training"),
    "sobriety": Text(fr="Sobriété numérique", en="Digital sobriety"),
}

# Probe families -> theme. Interview questions name their theme; register findings are "rgpd".
FAMILY_THEME: dict[str, str] = {
    "dns": "web", "tls": "web", "web": "web", "mail": "mail", "ports": "exposure", "mfa": "identity",
    "privacy": "rgpd",
}
