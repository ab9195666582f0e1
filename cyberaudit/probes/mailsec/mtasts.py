"""MTA-STS (RFC 8461) and SMTP TLS reporting (RFC 8460) records and policies."""

from __future__ import annotations

import re

MAX_AGE_LIMIT = 31557600
MIN_GOOD_AGE = 86400


def parse_txt(text: str, version: str) -> dict[str, str] | None:
    """`v=STSv1; id=...` / `v=TLSRPTv1; rua=...` -> tags, or None when not that record."""
    parts = [p.strip() for p in text.split(";") if p.strip()]
    if not parts or parts[0].replace(" ", "") != f"v={version}":
        return None
    tags: dict[str, str] = {}
    for p in parts:
        name, _, value = p.partition("=")
        tags.setdefault(name.strip().lower(), value.strip())
    return tags


def sts_id_valid(tags: dict[str, str]) -> bool:
    return bool(re.fullmatch(r"[A-Za-z0-9]{1,32}", tags.get("id", "")))


def tlsrpt_uris(tags: dict[str, str]) -> tuple[list[str], list[str]]:
    """(valid, invalid) rua URIs of a TLS-RPT record."""
    good, bad = [], []
    for uri in [u.strip() for u in tags.get("rua", "").split(",") if u.strip()]:
        if re.fullmatch(r"mailto:[^@\s]+@[A-Za-z0-9.-]+\.[A-Za-z0-9-]+|https://[^\s]+", uri, re.I):
            good.append(uri)
        else:
            bad.append(uri)
    return good, bad


def parse_policy(body: str) -> tuple[dict, list[str]]:
    """Policy text -> ({"version", "mode", "mx": [...], "max_age"}, problems)."""
    policy: dict = {"mx": []}
    problems: list[str] = []
    for line in body.splitlines():
        line = line.strip()
        if not line:
            continue
        key, sep, value = line.partition(":")
        if not sep:
            problems.append(f"line not understood: {line[:60]!r}")
            continue
        key, value = key.strip().lower(), value.strip()
        if key == "mx":
            policy["mx"].append(value.lower())
        elif key in ("version", "mode", "max_age"):
            policy.setdefault(key, value)
    if policy.get("version") != "STSv1":
        problems.append("version is not STSv1")
    if policy.get("mode") not in ("enforce", "testing", "none"):
        problems.append("mode is not enforce, testing or none")
    age = policy.get("max_age", "")
    if not age.isdigit() or int(age) > MAX_AGE_LIMIT:
        problems.append("max_age missing or out of range")
        policy["max_age"] = None
    else:
        policy["max_age"] = int(age)
    if not policy["mx"] and policy.get("mode") != "none":
        problems.append("no mx pattern")
    return policy, problems


def mx_matches(pattern: str, host: str) -> bool:
    """RFC 8461 §4.1: exact name, or `*.` matching exactly one leftmost label."""
    pattern, host = pattern.lower().rstrip("."), host.lower().rstrip(".")
    if pattern.startswith("*."):
        head, _, rest = host.partition(".")
        return bool(head) and rest == pattern[2:]
    return pattern == host


def uncovered(patterns: list[str], hosts: list[str]) -> list[str]:
    return sorted(h for h in hosts if not any(mx_matches(p, h) for p in patterns))
