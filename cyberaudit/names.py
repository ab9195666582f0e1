"""Validation and normalisation of names and network targets.

Every string that reaches a resolver, a socket or nmap goes through here first.
Hostile input (`-oN /tmp/x`, `;id`, `$(id)`, `a..b`) is rejected with ValueError;
callers turn that into an InputError with the location they know.
"""

from __future__ import annotations

import ipaddress
import re

import idna

from .i18n import t

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_SERVICE_LABEL = re.compile(r"^_?(?!-)[a-z0-9-]{1,63}(?<!-)$")
MAX_CIDR_HOSTS_V4 = 24  # a CIDR may be at most a /24
MAX_CIDR_HOSTS_V6 = 120


def normalise_domain(value: str, *, allow_underscore: bool = False) -> str:
    """Return the lowercase A-label form of a domain name, without trailing dot.

    IDN names are converted with IDNA 2008 / UTS 46 (`mairie-évry.fr` -> `xn--mairie-vry-...`).
    Raises ValueError with a short reason when the name is not a valid host name.
    """
    if not isinstance(value, str):
        raise ValueError(t('pas une chaîne de caractères', 'not a string'))
    name = value.strip()
    if not name or any(c.isspace() for c in name):
        raise ValueError(t('nom vide ou contenant des espaces', 'empty name or contains spaces'))
    if name.endswith("."):
        name = name[:-1]
    if not name or name.startswith(".") or ".." in name:
        raise ValueError(t('étiquette vide (par exemple « a..b »)', 'empty label (e.g. "a..b")'))
    ascii_name = _plain_ldh(name)
    if ascii_name is None:
        try:
            ascii_name = idna.encode(name, uts46=True, transitional=False).decode("ascii")
        except (idna.IDNAError, UnicodeError) as exc:
            raise ValueError(t(f"nom internationalisé invalide : {exc}", f"invalid IDN: {exc}")) from None
    ascii_name = ascii_name.lower()
    if len(ascii_name) > 253:
        raise ValueError(t('nom de plus de 253 caractères', 'name longer than 253 characters'))
    labels = ascii_name.split(".")
    if len(labels) < 2:
        raise ValueError(t('un domaine doit avoir au moins deux étiquettes', 'a domain needs at least two labels'))
    pattern = _SERVICE_LABEL if allow_underscore else _LABEL
    for label in labels:
        if not pattern.match(label):
            raise ValueError(t(f"étiquette invalide {label!r}", f"invalid label {label!r}"))
    if labels[-1].isdigit():
        raise ValueError(t('extension (TLD) numérique', 'top-level label is numeric'))
    return ascii_name


_LDH = re.compile(r"^(?!..--)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


def _plain_ldh(name: str) -> str | None:
    """What IDNA 2008 / UTS 46 gives for a plain ASCII letters-digits-hyphens name (its lowercase form),
    without loading the UTS 46 tables; None for anything else (non-ASCII, `xn--`, `_`, odd hyphens,
    too long), which then goes through `idna` with its own checks and messages."""
    if not name.isascii() or len(name) > 253:
        return None
    low = name.lower()
    return low if all(_LDH.match(label) for label in low.split(".")) else None


def is_domain(value: str) -> bool:
    try:
        normalise_domain(value)
    except ValueError:
        return False
    return True


def normalise_target(value: str) -> str:
    """An IP address, a CIDR block no larger than /24 (/120 for IPv6), or a domain name."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(t('cible vide', 'empty target'))
    text = value.strip()
    if text.startswith("-"):
        raise ValueError(t('une cible ne peut pas commencer par « - »', "a target may not start with '-'"))
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        pass
    if "/" in text:
        try:
            net = ipaddress.ip_network(text, strict=False)
        except ValueError:
            raise ValueError(t('bloc CIDR invalide', 'invalid CIDR block')) from None
        limit = MAX_CIDR_HOSTS_V4 if net.version == 4 else MAX_CIDR_HOSTS_V6
        if net.prefixlen < limit:
            raise ValueError(t(f"bloc CIDR plus grand que /{limit}", f"CIDR block larger than /{limit}"))
        return str(net)
    return normalise_domain(text)


def is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False
