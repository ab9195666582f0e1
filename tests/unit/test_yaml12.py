"""One YAML dialect: the fast reader and the round-trip reader agree (YAML 1.2), and errors keep lines."""

from __future__ import annotations

import pytest

from cyberaudit.disk.fileio import line_of, load_yaml, to_plain
from cyberaudit.disk.yaml_rt import load_yaml_rt
from cyberaudit.errors import InputError

SAMPLE = """\
cameras: 010
legacy_bool: yes
switch: on
octal: 0o17
hexa: 0x1F
date: 2024-03-01
empty:
ratio: 1.5
nested:
  - name: a
    count: 007
  - name: b
"""


def test_fast_and_round_trip_readers_read_the_same_values(tmp_path):
    path = tmp_path / "f.yaml"
    path.write_text(SAMPLE, encoding="utf-8")
    fast, rt = load_yaml(path), load_yaml_rt(path)
    assert to_plain(fast) == to_plain(rt)
    assert fast["cameras"] == 10 and fast["nested"][0]["count"] == 7  # decimal, not octal (YAML 1.2)
    assert fast["legacy_bool"] == "yes" and fast["switch"] == "on"  # strings, not booleans
    assert (fast["octal"], fast["hexa"], fast["empty"]) == (15, 31, None)


def test_lines_are_kept_by_the_fast_reader(tmp_path):
    path = tmp_path / "f.yaml"
    path.write_text(SAMPLE, encoding="utf-8")
    data = load_yaml(path)
    assert line_of(data, ("ratio",)) == 8
    assert line_of(data, ("nested", 1, "name")) == 12
    assert line_of(data, ("nested", 5)) == 9  # beyond the list: the list's own line


@pytest.mark.parametrize("text, line", [
    ("a: 1\na: 2\n", 2),  # duplicate key
    ("a: [1, 2\nb: 3\n", None),  # syntax error
    ("a: !!python/object/apply:os.system ['true']\n", 1),  # arbitrary tags are never constructed
])
def test_bad_yaml_is_an_input_error_with_its_line(tmp_path, text, line):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_yaml(path)
    assert err.value.file == str(path)
    if line is not None:
        assert err.value.line == line


def test_a_register_activity_reads_with_the_same_yaml_rules_as_every_other_file(tmp_path):
    """An activity file of the register goes through the one YAML 1.2 reader: `cameras: 010` is ten
    cameras (YAML 1.1, PyYAML's default, made it eight), and a mistake still names its line."""
    import pytest

    from cyberaudit.errors import InputError
    from cyberaudit.register.store import load_file

    path = tmp_path / "T-001.yaml"
    path.write_text("id: T-001\nname: Vidéoprotection\nvideo:\n  scope: public_places\n  cameras: 010\n",
                    encoding="utf-8")
    assert load_file(path).video.cameras == 10
    path.write_text("id: T-001\nname: Vidéoprotection\nvideo:\n  scope: public_places\n  cameras: -3\n",
                    encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_file(path)
    assert err.value.line == 5


def test_grouped_digits_read_as_ruamel_reads_them():
    from ruamel.yaml import YAML

    from cyberaudit.disk import yaml12

    doc = "population: 12_500\nmask: 0o7_55\nflags: 0xFF_FF\nname: 12_500 habitants\n"
    assert yaml12.loads(doc) == YAML(typ="safe", pure=True).load(doc) == {
        "population": 12500, "mask": 0o755, "flags": 0xFFFF, "name": "12_500 habitants"}
