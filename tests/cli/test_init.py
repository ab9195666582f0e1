from __future__ import annotations

import pytest


def test_init_creates_workspace_that_loads_back(tmp_path, run_cli):
    from cyberaudit.disk.workspace import Workspace

    code, out, err = run_cli("init", tmp_path / "ws", "--name", "Commune de Test", "--siren", "732829320",
                             "--kind", "commune", "--population", "812", "--domain", "Mairie-Évry.FR.")
    assert code == 0, err
    ws = Workspace(tmp_path / "ws")
    org = ws.load_organisation()
    assert org.name == "Commune de Test"
    assert org.population == 812
    assert [d.name for d in org.inventory.domains] == ["xn--mairie-vry-h7a.fr"]
    for folder in ("register", "scans", "reports", "history"):
        assert (tmp_path / "ws" / folder).is_dir()
    assert ".cyberaudit.lock" in (tmp_path / "ws" / ".gitignore").read_text()


def test_init_refuses_to_overwrite(tmp_path, run_cli):
    args = ["init", tmp_path / "ws", "--name", "A", "--siren", "732829320", "--kind", "commune"]
    assert run_cli(*args)[0] == 0
    before = (tmp_path / "ws" / "organisation.yaml").read_bytes()
    code, _, err = run_cli(*[*args[:3], "B", *args[4:]])
    assert code == 2
    assert (tmp_path / "ws" / "organisation.yaml").read_bytes() == before


@pytest.mark.parametrize("bad", [["--siren", "123456789"], ["--domain", "-oN /tmp/x"], ["--domain", "a..b"],
                                 ["--domain", ";id"], ["--domain", "$(id)"]])
def test_init_bad_values_write_nothing(tmp_path, run_cli, bad):
    args = ["init", tmp_path / "ws", "--name", "A", "--siren", "732829320", "--kind", "commune"]
    if bad[0] == "--siren":
        args[5] = bad[1]
    else:
        args += bad
    code, _, err = run_cli(*args)
    assert code == 2, err
    assert not (tmp_path / "ws").exists()


def test_schema_export_validates_organisation(tmp_path, run_cli):
    import json

    code, out, _ = run_cli("schema", "organisation")
    assert code == 0
    schema = json.loads(out)
    assert schema["title"] == "cyberaudit/organisation/v1"
    assert "siren" in schema["properties"]
    code, _, err = run_cli("schema", "nope")
    assert code == 2


def test_comments_survive_a_rewrite(tmp_path, run_cli):
    from cyberaudit.disk.workspace import Workspace, save_organisation

    run_cli("init", tmp_path / "ws", "--name", "A", "--siren", "732829320", "--kind", "commune")
    path = tmp_path / "ws" / "organisation.yaml"
    path.write_text(path.read_text().replace("name: A", "name: A  # nom officiel\n# note de la DPO"))
    ws = Workspace(tmp_path / "ws")
    org = ws.load_organisation()
    save_organisation(ws, org.model_copy(update={"population": 99}))
    text = path.read_text()
    assert "# nom officiel" in text and "# note de la DPO" in text
    assert "population: 99" in text
    assert ws.load_organisation().population == 99


def test_interactive_init_checks_each_field_as_typed_like_assess(tmp_path):
    """`init DIR` without options asks field by field; a wrong SIREN is refused at once, nothing is lost."""
    import os
    import sys
    from pathlib import Path

    pexpect = pytest.importorskip("pexpect")
    from cyberaudit.disk.workspace import Workspace

    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, TERM="dumb", NO_COLOR="1", CYBERAUDIT_LANG="fr", PYTHONPATH=str(root), COLUMNS="250")
    child = pexpect.spawn(sys.executable, ["-m", "cyberaudit", "init", str(tmp_path / "ws"), "--population", "1200"],
                          env=env, encoding="utf-8", timeout=30, dimensions=(60, 250), cwd=str(root))

    def say(expected: str, line: str) -> None:
        child.expect_exact(expected)
        child.sendline(line)

    say("Nom de la collectivité", "Commune de Test")
    say("SIREN", "123456789")  # bad checksum: refused right away, before any other question
    say("SIREN invalide", "213501232")
    say("Type (numéro)", "1")
    say("Nom du DPO", "")  # population came with --population: not asked
    say("Prestataire", "")
    say("Domaines", "mairie-test.example")
    child.expect_exact("organisation.yaml créé")
    child.expect_exact(f"cyberaudit assess --workspace {tmp_path / 'ws'}")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    org = Workspace(tmp_path / "ws").load_organisation()
    assert (org.name, org.siren, org.population) == ("Commune de Test", "213501232", 1200)
    assert [d.name for d in org.inventory.domains] == ["mairie-test.example"]
