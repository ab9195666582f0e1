"""The scope gate seen from the command line: ports/mfa without authorisation -> exit 2, nothing sent."""

from __future__ import annotations

import pytest

from cyberaudit.disk.workspace import create
from cyberaudit.model import Organisation


def _ws(tmp_path, hosts):
    org = Organisation(name="Commune test", siren="732829320", kind="commune", inventory={"hosts": hosts})
    return create(tmp_path / "ws", org).root


@pytest.mark.parametrize("checks", ["ports", "mfa", "ports,mfa", "dns,ports", "all"])
def test_intrusive_checks_without_authorisation_exit_2_with_how_to(run_cli, checks):
    code, out, err = run_cli("scan", "192.0.2.10", "--checks", checks)
    assert code == 2
    assert "organisation.yaml" in err and "--authorized" in err and "authorized_by" in err


def test_message_in_english(run_cli):
    code, _, err = run_cli("--lang", "en", "scan", "192.0.2.10", "--checks", "ports")
    assert code == 2 and "need an authorisation" in err and "Declare the scope" in err


@pytest.mark.parametrize("auth", ["Mme Dupont", "2026-11-02", "Mme Dupont, 02/11/2026", "Mme Dupont, 2026-02-30"])
def test_malformed_authorisation_exit_2(run_cli, auth):
    code, _, err = run_cli("scan", "192.0.2.10", "--checks", "ports", "--authorized", auth)
    assert code == 2 and "--authorized" in err


@pytest.mark.parametrize("target", ["-oN /tmp/x", ";id", "$(id)", "--script=http-shellshock", "127.0.0.0/8"])
def test_injected_targets_exit_2_and_write_nothing(run_cli, tmp_path, monkeypatch, target):
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli("scan", "--checks", "ports", "--authorized", "Mme Dupont, 2026-11-02", "--", target)
    assert code == 2 and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_workspace_asset_without_ports_scope_is_refused(run_cli, tmp_path):
    root = _ws(tmp_path, [{"name": "192.0.2.10", "scope": ["tls"]}])
    code, _, err = run_cli("scan", "-w", root, "--checks", "ports")
    assert code == 2 and "ports" in err and "authorized_on" in err
    assert not (root / "scans" / "latest.json").exists()


def test_workspace_scope_without_authoriser_is_an_input_error(run_cli, tmp_path):
    root = _ws(tmp_path, [{"name": "192.0.2.10", "scope": ["tls"]}])
    text = (root / "organisation.yaml").read_text().replace("- tls", "- ports")
    (root / "organisation.yaml").write_text(text)
    code, _, err = run_cli("scan", "-w", root, "--checks", "ports")
    assert code == 2 and "organisation.yaml" in err and "authorized_by" in err
