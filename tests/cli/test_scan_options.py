from __future__ import annotations

import pytest


@pytest.mark.parametrize("content", [b"not a certificate\n", b"", b"\xff\xfe\x00garbage"])
def test_ca_bundle_without_certificate_is_an_input_error(tmp_path, run_cli, content):
    bundle = tmp_path / "ca.pem"
    bundle.write_bytes(content)
    code, _, err = run_cli("scan", "exemple.fr", "--ca-bundle", bundle)
    assert code == 2
    assert "ca.pem" in err and "PEM" in err


def test_missing_ca_bundle_is_an_input_error(tmp_path, run_cli):
    code, _, err = run_cli("scan", "exemple.fr", "--ca-bundle", tmp_path / "absent.pem")
    assert code == 2 and "absent.pem" in err


@pytest.mark.parametrize("value", ["dns.example", "127.0.0.1:99999", "[::1", "127.0.0.1.5"])
def test_bad_nameserver_is_an_input_error(run_cli, value):
    code, _, err = run_cli("scan", "exemple.fr", "--nameserver", value)
    assert code == 2 and "--nameserver" in err


def test_member_budget_out_of_range_is_refused(tmp_path, run_cli):
    code, _, err = run_cli("scan", "--territory", tmp_path / "nowhere", "--member-budget", "0")
    assert code == 2  # out of range: refused before anything runs


def test_territory_options_reach_the_territory_scan(tmp_path, run_cli, monkeypatch):
    from cyberaudit.cli import territory_scan

    seen = {}
    monkeypatch.setattr(territory_scan, "run_territory_scan_command", lambda **kw: seen.update(kw))
    code, _, err = run_cli("scan", "--territory", tmp_path, "--shard", "2/3", "--member-budget", "42",
                           "--ports", "top100", "--syn")
    assert code == 0, err
    assert (seen["shard"], seen["member_budget"], seen["ports"], seen["syn"]) == ("2/3", 42.0, "top100", True)
