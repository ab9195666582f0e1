from __future__ import annotations

import os
import threading

import pytest

from cyberaudit.disk import fileio
from cyberaudit.errors import InputError, WorkspaceLocked


def test_atomic_write_replaces_whole_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "f.json"
    fileio.atomic_write(target, "old")
    fileio.atomic_write(target, "new content")
    assert target.read_text() == "new content"
    assert [p.name for p in tmp_path.iterdir()] == ["f.json"]


def test_atomic_write_failure_keeps_old_file(tmp_path, monkeypatch):
    target = tmp_path / "f.txt"
    fileio.atomic_write(target, "precious")

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        fileio.atomic_write(target, "half")
    monkeypatch.undo()
    assert target.read_text() == "precious"
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]


def test_json_is_deterministic():
    a = fileio.dumps_json({"b": 1, "a": {"z": [3, 2], "y": "é"}})
    b = fileio.dumps_json({"a": {"y": "é", "z": [3, 2]}, "b": 1})
    assert a == b and a.endswith("\n") and "é" in a


def test_yaml_syntax_error_has_line(tmp_path):
    p = tmp_path / "x.yaml"
    p.write_text("a: 1\nb: [1, 2\nc: 3\n")
    with pytest.raises(InputError) as exc:
        fileio.load_yaml(p)
    assert exc.value.file == str(p) and exc.value.line in (2, 3, 4)


def test_yaml_never_executes_python_tags(tmp_path):
    marker = tmp_path / "pwned"
    p = tmp_path / "x.yaml"
    p.write_text(f"a: !!python/object/apply:os.system ['touch {marker}']\n")
    try:
        data = fileio.load_yaml(p)
    except InputError:
        data = None  # refusing the tag is fine too
    assert not marker.exists()  # the tag was never run
    if data is not None:
        assert not isinstance(data["a"], int)  # kept as inert data, not the result of os.system


def test_non_utf8_yaml_is_an_input_error(tmp_path):
    p = tmp_path / "x.yaml"
    p.write_bytes(b"name: caf\xe9\n")
    with pytest.raises(InputError) as exc:
        fileio.load_yaml(p)
    assert exc.value.line == 1


def test_workspace_lock_is_exclusive(tmp_path):
    from cyberaudit.disk.workspace import Workspace

    ws = Workspace(tmp_path)
    entered = threading.Event()
    release = threading.Event()

    def hold():
        with ws.lock():
            entered.set()
            release.wait(5)

    th = threading.Thread(target=hold)
    th.start()
    assert entered.wait(5)
    try:
        with pytest.raises(WorkspaceLocked), ws.lock(timeout=0.3):
            pass
    finally:
        release.set()
        th.join()
    with ws.lock(timeout=1):
        pass


def test_atomic_write_uses_normal_permissions(tmp_path):
    target = tmp_path / "report.html"
    fileio.atomic_write(target, "x")
    assert target.stat().st_mode & 0o777 == 0o666 & ~fileio._UMASK
    target.chmod(0o640)
    fileio.atomic_write(target, "y")
    assert target.stat().st_mode & 0o777 == 0o640
