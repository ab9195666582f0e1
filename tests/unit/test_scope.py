from __future__ import annotations

import pytest

from cyberaudit.errors import InputError
from cyberaudit.model import Organisation
from cyberaudit.probes import scope


def _org(**inventory):
    return Organisation(name="T", siren="732829320", kind="commune", inventory=inventory)


def test_cli_targets_default_to_passive_families():
    tgs, fams = scope.targets_from_cli(["Exemple.FR", "127.0.0.1", "exemple.fr"], None, None)
    assert fams == ["dns", "mail", "tls", "web"]
    assert [(t.name, t.kind) for t in tgs] == [("exemple.fr", "domain"), ("127.0.0.1", "host")]
    assert not tgs[0].allows("ports") and tgs[0].allows("mail") and not tgs[1].allows("dns")


@pytest.mark.parametrize("checks", ["ports", "mfa", "dns,ports", "all"])
def test_intrusive_checks_need_authorisation(checks):
    with pytest.raises(InputError) as exc:
        scope.targets_from_cli(["127.0.0.1"], scope.parse_families(checks), None)
    assert "authorized" in str(exc.value)


def test_authorisation_is_carried_by_targets():
    tgs, fams = scope.targets_from_cli(["127.0.0.1"], ["ports"], "Mme Dupont, 2026-11-02")
    assert tgs[0].authorization == "Mme Dupont, 2026-11-02" and tgs[0].allows("ports")


@pytest.mark.parametrize("bad", ["Mme Dupont", "Mme Dupont, 2026-13-40", ", 2026-01-01"])
def test_bad_authorisation_rejected(bad):
    with pytest.raises(InputError):
        scope.targets_from_cli(["127.0.0.1"], ["ports"], bad)


@pytest.mark.parametrize("target", ["-oN /tmp/x", ";id", "$(id)", "--script=vuln", "127.0.0.0/8"])
def test_hostile_cli_targets_rejected(target):
    with pytest.raises(InputError):
        scope.targets_from_cli([target], None, None)


def test_inventory_scope_limits_families():
    org = _org(
        domains=[{"name": "exemple.fr", "scope": ["dns"]}],
        hosts=[{"name": "vpn.exemple.fr", "scope": ["tls", "mfa"], "authorized_by": "Maire",
                "authorized_on": "2026-10-01"},
               {"name": "exemple.fr", "scope": ["tls"]}],
    )
    tgs, _ = scope.targets_from_organisation(org, None)
    by_name = {t.name: t for t in tgs}
    assert by_name["exemple.fr"].kind == "domain"
    assert by_name["exemple.fr"].scope == frozenset({"dns", "tls"})
    assert by_name["vpn.exemple.fr"].allows("mfa") and not by_name["vpn.exemple.fr"].allows("ports")
    assert by_name["vpn.exemple.fr"].authorization == "Maire, 2026-10-01"


def test_explicit_intrusive_family_without_any_authorised_asset_is_refused():
    org = _org(domains=[{"name": "exemple.fr"}])
    with pytest.raises(InputError):
        scope.targets_from_organisation(org, ["ports"])


def test_unknown_family_rejected():
    with pytest.raises(InputError):
        scope.parse_families("dns,teleportation")
