"""Territory repository: creation, territoire.yaml, CI recipes, deterministic shards."""

from __future__ import annotations

import subprocess

import pytest

from cyberaudit.errors import InputError
from cyberaudit.territory import synthetic
from cyberaudit.territory.create import add_member, create_territory
from cyberaudit.territory.manifest import load_territory
from cyberaudit.territory.shard import parse_shard, select

MEMBERS = [
    {"siren": "732829320", "name": "Commune A", "kind": "commune", "population": 812},
    {"siren": "210000006", "name": "Communauté B", "kind": "epci"},
]


def test_create_territory_writes_everything_and_loads_back(tmp_path):
    root = create_territory(tmp_path / "terr", "Pays de Test", MEMBERS)
    territory = load_territory(root)
    assert territory.name == "Pays de Test"
    assert territory.sirens() == ["210000006", "732829320"]  # sorted by SIREN
    for m in MEMBERS:
        from cyberaudit.disk.workspace import Workspace

        org = Workspace(root / "membres" / m["siren"]).load_organisation()
        assert (org.siren, org.name, org.kind) == (m["siren"], m["name"], m["kind"])
    for rel in (".gitignore", ".gitattributes", ".gitlab-ci.yml", ".github/workflows/cyberaudit.yml", "LISEZMOI.md"):
        assert (root / rel).is_file(), rel
    gitlab = (root / ".gitlab-ci.yml").read_text()
    assert "parallel:" in gitlab and "matrix:" in gitlab
    assert 'cyberaudit scan --territory . --shard "$SHARD"' in gitlab
    github = (root / ".github/workflows/cyberaudit.yml").read_text()
    assert "schedule:" in github and "matrix:" in github and "--shard" in github
    assert "Pays de Test" in gitlab and "{{NAME}}" not in gitlab
    assert ".cyberaudit.lock" in (root / ".gitignore").read_text()
    assert "eol=lf" in (root / ".gitattributes").read_text()


def test_ci_recipes_are_valid_yaml(tmp_path):
    from ruamel.yaml import YAML

    root = create_territory(tmp_path / "t", "Pays: « quoté » \n# pas un commentaire", MEMBERS[:1])
    gitlab = YAML(typ="safe").load((root / ".gitlab-ci.yml").read_text())
    shards = gitlab["scan"]["parallel"]["matrix"][0]["SHARD"]
    assert shards == ["1/4", "2/4", "3/4", "4/4"]
    github = YAML(typ="safe").load((root / ".github/workflows/cyberaudit.yml").read_text())
    assert github["jobs"]["scan"]["strategy"]["matrix"]["shard"] == [1, 2, 3, 4]
    # the hostile name stayed inside one comment line
    assert all(not line.startswith("# pas un commentaire") for line in (root / ".gitlab-ci.yml").read_text().splitlines())


def test_create_is_a_git_repository(tmp_path):
    root = create_territory(tmp_path / "t", "Pays", [])
    out = subprocess.run(["git", "-C", str(root), "rev-parse", "--is-inside-work-tree"], capture_output=True, text=True)
    assert out.stdout.strip() == "true"


@pytest.mark.parametrize("members, field", [
    ([{"siren": "123456789", "name": "X", "kind": "commune"}], "members[0].siren"),
    ([{"siren": "732829320", "name": "X", "kind": "metropole-imaginaire"}], "members[0].kind"),
    ([{"siren": "732829320", "name": "", "kind": "commune"}], "members[0].name"),
])
def test_bad_member_writes_nothing(tmp_path, members, field):
    with pytest.raises(InputError) as exc:
        create_territory(tmp_path / "t", "Pays", members)
    assert exc.value.field == field
    assert not (tmp_path / "t").exists()


def test_duplicate_siren_and_existing_repository_are_refused(tmp_path):
    with pytest.raises(InputError):
        create_territory(tmp_path / "t", "Pays", [MEMBERS[0], MEMBERS[0]])
    assert not (tmp_path / "t").exists()
    create_territory(tmp_path / "t2", "Pays", MEMBERS)
    before = (tmp_path / "t2" / "territoire.yaml").read_bytes()
    with pytest.raises(InputError):
        create_territory(tmp_path / "t2", "Autre", [])
    assert (tmp_path / "t2" / "territoire.yaml").read_bytes() == before


def test_add_member_keeps_the_manifest_sorted(tmp_path):
    root = create_territory(tmp_path / "t", "Pays", MEMBERS[:1])
    add_member(root, {"siren": "210000006", "name": "B", "kind": "epci"})
    assert load_territory(root).sirens() == ["210000006", "732829320"]
    with pytest.raises(InputError):
        add_member(root, {"siren": "210000006", "name": "B again", "kind": "epci"})


def test_manifest_errors_name_the_line(tmp_path):
    (tmp_path / "territoire.yaml").write_text("name: Pays\nmembers:\n  - siren: '732829320'\n    name: A\n"
                                              "    kind: commune\n    couleur: bleu\n")
    with pytest.raises(InputError) as exc:
        load_territory(tmp_path)
    assert exc.value.line == 6 and "couleur" in exc.value.field


@pytest.mark.parametrize("total", range(1, 8))
def test_shards_cover_each_member_exactly_once(total):
    sirens = [synthetic.siren(n * 13) for n in range(101)]
    seen: list[str] = []
    sizes = []
    for index in range(1, total + 1):
        part = select(list(reversed(sirens)), parse_shard(f"{index}/{total}"))
        assert part == sorted(part)
        sizes.append(len(part))
        seen.extend(part)
    assert sorted(seen) == sorted(sirens)  # each member once, none lost
    assert len(seen) == len(set(seen))
    assert max(sizes) - min(sizes) <= 1  # balanced
    # deterministic: the same input gives the same split
    assert select(sirens, (1, total)) == select(sorted(sirens), (1, total))


@pytest.mark.parametrize("bad", ["0/3", "4/3", "a/b", "1/0", "1-2", "1/2/3", "-1/2", "1/1001"])
def test_bad_shard_is_a_usage_error(bad):
    with pytest.raises(InputError) as exc:
        parse_shard(bad)
    assert exc.value.field == "--shard"


def test_no_shard_means_everyone():
    assert parse_shard(None) is None
    assert select(["3", "1", "2", "1"], None) == ["1", "2", "3"]
