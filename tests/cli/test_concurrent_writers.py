"""Two writers on one workspace: the second waits or refuses, nothing is overwritten silently (issue 12).

Real parallel processes on a register of 1,500 activities.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import pytest

from cyberaudit.disk.workspace import create
from cyberaudit.model import Organisation
from cyberaudit.register import store
from cyberaudit.register.templates import get
from tests.lab.pipes import ROOT, env

BIG = 1500


@pytest.fixture
def big_register(tmp_path):
    ws = create(tmp_path / "ws", Organisation(name="Commune de Test", siren="213501232", kind="commune"))
    store.save(ws, get("etat-civil").activity("T-001"))
    text = store.activity_path(ws, "T-001").read_text()
    for n in range(2, BIG + 1):  # written directly: the test needs the size, not 1,500 fsyncs
        store.activity_path(ws, f"T-{n:03d}").write_text(text.replace("id: T-001", f"id: T-{n:03d}"))
    return ws


def rows_csv(tmp_path, tag: str, count: int):
    """A CSV of `count` activities without ID (numbered at import), named after `tag`."""
    act = get("bibliotheque").activity("T-001")
    from cyberaudit.register.export import to_csv

    text = to_csv([act]).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(rows[0])
    for i in range(count):
        r = list(rows[1])
        r[0] = ""
        r[1] = f"{tag} {i}"
        w.writerow(r)
    path = tmp_path / f"{tag}.csv"
    path.write_text(out.getvalue(), encoding="utf-8-sig")
    return path


def test_four_parallel_imports_lose_nothing(big_register, tmp_path):
    ws = big_register
    files = [rows_csv(tmp_path, tag, 5) for tag in ("alpha", "bravo", "charlie", "delta")]
    procs = [subprocess.Popen([sys.executable, "-m", "cyberaudit", "register", "import", "-w", str(ws.root), str(f)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env(), cwd=ROOT)
             for f in files]
    outcomes = [(p.wait(600), p.stdout.read().decode(), p.stderr.read().decode()) for p in procs]
    ok = [o for o in outcomes if o[0] == 0]
    for code, _out, err in outcomes:
        assert code in (0, 2), err
        assert code == 0 or "utilisé par un autre processus" in err  # a refusal says so
    names = {a.name for a in store.load_all(ws)}
    expected = BIG + 5 * len(ok)
    on_disk = len(list((ws.root / "register").glob("T-*.yaml")))
    assert on_disk == expected, (on_disk, expected, outcomes)
    for (code, _, _), tag in zip(outcomes, ("alpha", "bravo", "charlie", "delta"), strict=True):
        if code == 0:
            assert {f"{tag} {i}" for i in range(5)} <= names
    assert len(ok) == 4  # they waited for each other


def test_register_add_never_overwrites_an_id_taken_while_it_asked(tmp_path):
    pexpect = pytest.importorskip("pexpect")
    ws = create(tmp_path / "ws", Organisation(name="Commune de Test", siren="213501232", kind="commune"))
    penv = dict(env(), TERM="dumb", NO_COLOR="1", COLUMNS="250", LINES="60")
    child = pexpect.spawn(sys.executable, ["-m", "cyberaudit", "register", "add", "--from-template", "bibliotheque",
                                           "--workspace", str(ws.root)],
                          env=penv, encoding="utf-8", timeout=60, dimensions=(60, 250), cwd=str(ROOT))
    while child.expect_exact(["Votre réponse : ", "Enregistrer au registre ? (o/n) : ", "… "]) != 1:
        child.sendline("")
    # at the last question, another process takes T-001
    other = rows_csv(tmp_path, "import", 1)
    done = subprocess.run([sys.executable, "-m", "cyberaudit", "register", "import", "-w", str(ws.root), str(other)],
                          capture_output=True, text=True, env=env(), cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert store.load(ws, "T-001").name == "import 0"
    child.sendline("o")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert store.load(ws, "T-001").name == "import 0"  # not overwritten
    assert store.load(ws, "T-002").template == "bibliotheque"
    assert store.list_drafts(ws) == []
