"""Inventory -> scan targets. The only way to obtain a Target, so no probe leaves the scope.

Intrusive families (`ports`, `mfa`) run only on assets whose scope in
organisation.yaml lists them with who authorised it and when, or on command-line
targets given with `--authorized "NAME, DATE"`. Anything else is refused (exit 2).
"""

from __future__ import annotations

import datetime as dt
import re

from .. import names
from ..errors import InputError
from ..i18n import t
from . import DEFAULT_FAMILIES, FAMILIES, FAMILY_SCOPE, INTRUSIVE, OPT_IN, Target

SCOPE_HELP_FR = (
    "Déclarez le périmètre dans organisation.yaml (inventory > hosts/domains > scope: [ports, mfa], "
    "avec authorized_by et authorized_on), ou passez --authorized \"NOM, AAAA-MM-JJ\" avec les cibles."
)
SCOPE_HELP_EN = (
    "Declare the scope in organisation.yaml (inventory > hosts/domains > scope: [ports, mfa], "
    "with authorized_by and authorized_on), or pass --authorized \"NAME, YYYY-MM-DD\" with the targets."
)


def parse_families(value: str | None) -> list[str] | None:
    if not value:
        return None
    out = []
    for part in value.split(","):
        part = part.strip().lower()
        if not part:
            continue
        if part == "all":
            out.extend(FAMILIES)
            continue
        if part not in FAMILIES:
            raise InputError(
                t(f"famille de contrôles inconnue {part!r} ; possibles : {', '.join(FAMILIES)}",
                  f"unknown check family {part!r}; known: {', '.join(FAMILIES)}"),
                field="--checks",
            )
        out.append(part)
    return sorted(set(out), key=list(FAMILIES).index)


def parse_authorization(value: str) -> str:
    """`"NAME, YYYY-MM-DD"` -> normalised string; the date must be a real past-or-today date."""
    m = re.fullmatch(r"\s*(.+?)\s*,\s*(\d{4}-\d{2}-\d{2})\s*", value or "")
    if not m:
        raise InputError(t("--authorized attend \"NOM, AAAA-MM-JJ\"", "--authorized expects \"NAME, YYYY-MM-DD\""),
                         field="--authorized")
    try:
        date = dt.date.fromisoformat(m.group(2))
    except ValueError:
        raise InputError(t("date d'autorisation invalide", "invalid authorisation date"),
                         field="--authorized") from None
    return f"{m.group(1)}, {date.isoformat()}"


def targets_from_cli(values: list[str], families: list[str] | None,
                     authorized: str | None) -> tuple[list[Target], list[str]]:
    """Targets named on the command line. Returns (targets, families)."""
    fams = families or (DEFAULT_FAMILIES + (sorted(INTRUSIVE) if authorized else []))
    wanted_intrusive = [f for f in fams if f in INTRUSIVE]
    if wanted_intrusive and not authorized:
        raise InputError(
            t(f"les contrôles {', '.join(wanted_intrusive)} demandent une autorisation. ",
              f"checks {', '.join(wanted_intrusive)} need an authorisation. ")
            + t(SCOPE_HELP_FR, SCOPE_HELP_EN),
            field="--checks",
        )
    auth = parse_authorization(authorized) if authorized else None
    scope = frozenset(FAMILY_SCOPE[f] for f in fams)
    active = sorted({FAMILY_SCOPE[f] for f in fams if f in INTRUSIVE})
    targets = []
    seen = set()
    for raw in values:
        try:
            name = names.normalise_target(raw)
        except ValueError as exc:
            raise InputError(t(f"cible invalide {raw!r} : {exc}", f"invalid target {raw!r}: {exc}")) from None
        if name in seen:
            continue
        seen.add(name)
        kind = "domain" if names.is_domain(name) else "host"
        grants = tuple((item, name, f"--authorized {auth}") for item in active)
        targets.append(Target(name=name, kind=kind, scope=scope, authorization=auth, grants=grants))
    return targets, fams


def targets_from_organisation(org, families: list[str] | None) -> tuple[list[Target], list[str]]:
    """Targets of a workspace's inventory, each limited to its declared scope.

    Domains and mail domains are zone targets (DNS, mail and web names); hosts are host
    targets. An asset listed twice keeps the union of its scopes and details.
    """
    fams = families or [f for f in FAMILIES if f not in OPT_IN]
    inv = org.inventory
    kinds = [("domain", "domains", i, a) for i, a in enumerate(inv.domains)]
    kinds += [("domain", "mail_domains", i, a) for i, a in enumerate(inv.mail_domains)]
    kinds += [("host", "hosts", i, a) for i, a in enumerate(inv.hosts)]
    targets: dict[str, Target] = {}
    for kind, section, index, asset in kinds:
        prev = targets.get(asset.name)
        if prev is None:
            prev = Target(name=asset.name, kind=kind, scope=frozenset())
        targets[asset.name] = Target(
            name=asset.name,
            kind="domain" if "domain" in (prev.kind, kind) else "host",
            scope=prev.scope | frozenset(asset.scope),
            authorization=prev.authorization or asset.authorization,
            web_names=tuple(sorted(set(prev.web_names) | set(asset.web_names))),
            dkim_selectors=tuple(sorted(set(prev.dkim_selectors) | set(asset.dkim_selectors))),
            grants=prev.grants + _grants(section, index, asset),
        )
    if families:
        refused = [f for f in families if f in INTRUSIVE and not any(tg.allows(f) for tg in targets.values())]
        if refused:
            raise InputError(
                t(f"aucun actif de l'inventaire n'autorise {', '.join(refused)}. ",
                  f"no inventory asset authorises {', '.join(refused)}. ") + t(SCOPE_HELP_FR, SCOPE_HELP_EN),
                field="--checks",
            )
    return sorted(targets.values(), key=lambda tg: tg.name), fams


def _grants(section: str, index: int, asset) -> tuple[tuple[str, str, str], ...]:
    """What one inventory entry authorises: its own name (ports, mfa) and its own web names (mfa)."""
    entry = f"inventory.{section}[{index}] {asset.name} ({asset.authorization})"
    out = []
    for item in asset.scope:
        if item not in {FAMILY_SCOPE[f] for f in INTRUSIVE}:
            continue
        names = [asset.name, *asset.web_names] if item == "mfa" else [asset.name]
        out += [(item, name, entry) for name in names]
    return tuple(out)
