"""The README's scope table says what the code does (issue 12): one row per scope item, naming its families,
and the dns row owns up to the MTA-STS policy fetch over HTTPS (RFC 8461), the mail family's only non-DNS
connection."""

from __future__ import annotations

import re
from pathlib import Path

from cyberaudit.probes import FAMILY_SCOPE

README = Path(__file__).resolve().parents[2] / "README.md"


def scope_rows() -> dict[str, str]:
    rows = {}
    for line in README.read_text().splitlines():
        m = re.match(r"\|\s*`(dns|tls|ports|mfa)`[^|]*\|(.*)\|\s*$", line)
        if m:
            rows[m.group(1)] = m.group(2)
    return rows


def test_every_scope_item_has_a_row_naming_its_families():
    rows = scope_rows()
    assert set(rows) == set(FAMILY_SCOPE.values())
    for family, item in FAMILY_SCOPE.items():
        assert f"`{family}`" in rows[item].split("|")[0], (family, item)


def test_dns_row_declares_the_mta_sts_https_fetch():
    row = scope_rows()["dns"]
    assert "mta-sts.<domaine>" in row and "443" in row and "RFC 8461" in row
    # the code fetches it under the dns scope alone: mail (which fetches the policy) is gated by dns only
    # (the pipeline gates a family by FAMILY_SCOPE alone, before any packet: tests/unit/test_scope.py)
    assert FAMILY_SCOPE["mail"] == "dns"
