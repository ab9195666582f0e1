"""One finding per check for a name served by several addresses (pure).

Every A and AAAA address of a name is tested (`MAX_ADDRESSES` at most): a load balancer with one weak
node must not hide behind its healthy siblings. The findings of each address are merged check by check:
the worst verdict wins (fail > warn > error > pass > info), its evidence says which address it concerns
(`address`) and how every address fared (`addresses`); when addresses disagree, the detail starts with
the address concerned.
"""

from __future__ import annotations

from ..model import Finding, Text

MAX_ADDRESSES = 8
RANK = {"fail": 4, "warn": 3, "error": 2, "pass": 1, "info": 0}


def merge_by_address(per_address: dict[str, list[Finding]]) -> list[Finding]:
    """{address: findings of that address} -> one finding per check ID, in first-seen order."""
    if len(per_address) == 1:
        ((address, findings),) = per_address.items()
        return [_with_address(f, address, None) for f in findings]
    order: list[str] = []
    by_id: dict[str, list[tuple[str, Finding]]] = {}
    for address, findings in per_address.items():
        for f in findings:
            if f.id not in by_id:
                order.append(f.id)
            by_id.setdefault(f.id, []).append((address, f))
    out = []
    for cid in order:
        items = by_id[cid]
        address, worst = max(items, key=lambda item: RANK[item[1].status.value])
        statuses = {a: f.status.value for a, f in items}
        out.append(_with_address(worst, address, statuses))
    return out


def _with_address(f: Finding, address: str, statuses: dict[str, str] | None) -> Finding:
    evidence = {**f.evidence, "address": address}
    update: dict = {"evidence": evidence}
    if statuses is not None:
        evidence["addresses"] = statuses
        if len(set(statuses.values())) > 1:
            fr = f.detail.fr if f.detail else ""
            en = f.detail.en if f.detail else ""
            update["detail"] = Text(fr=f"Adresse {address} : {fr or f.status.value}".strip(),
                                    en=f"Address {address}: {en or f.status.value}".strip())
    return f.model_copy(update=update)
