"""`cyberaudit scan --workspace`: inventory targets (web names, DKIM selectors), deterministic save."""

from __future__ import annotations

import json

from cyberaudit.disk import workspace
from cyberaudit.model import DomainAsset, Inventory, Organisation


def test_workspace_scan_uses_inventory_and_saves_the_same_bytes(knot_lab, run_cli, tmp_path):
    lab = knot_lab()
    lab.add_zone("lab.", "")
    lab.add_zone("ws.lab.", """
        @ MX 10 mx
        mx A 192.0.2.1
        @ TXT "v=spf1 mx -all"
        perso._domainkey TXT "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
        famille CNAME ancien.prestataire.lab.
    """)
    lab.start()
    org = Organisation(name="Commune de Test", siren="213105554", kind="commune", inventory=Inventory(
        domains=[DomainAsset(name="ws.lab", dkim_selectors=["perso"], web_names=["famille.ws.lab"])]))
    ws = workspace.create(tmp_path / "ws", org)
    args = ("scan", "--workspace", ws.root, "--checks", "dns,mail", "--nameserver", lab.nameserver,
            "--timeout", "1", "--format", "json")
    code, out, _ = run_cli(*args)
    assert code == 0
    saved = ws.path(workspace.LATEST_SCAN).read_bytes()
    doc = json.loads(saved)
    found = {f["id"]: f for f in doc["results"][0]["findings"]}
    assert found["mail.dkim.present"]["status"] == "pass"  # the inventory's selector was queried
    assert found["dns.cname.dangling"]["evidence"]["dangling"] == ["famille.ws.lab"]
    code, out2, _ = run_cli(*args)
    assert code == 0 and ws.path(workspace.LATEST_SCAN).read_bytes() == saved
