"""Bad and hostile answers from a real knot: every problem is a finding or an `error`, nothing crashes."""

from __future__ import annotations

import asyncio
import json

import dns.flags

from cyberaudit.probes.net import Net
from cyberaudit.probes.resolver.client import DnsClient

FAMILIES = ("dns", "mail")


def _statuses(findings: dict) -> set[str]:
    return {f.status.value for f in findings.values()}


def test_nxdomain_is_a_finding_not_an_error(knot_lab, lab_scan):
    lab = knot_lab()
    lab.add_zone("lab.", "")
    lab.start()
    res = lab_scan(lab, "absent.lab")["absent.lab"]
    assert res["dns.zone.resolves"].status.value == "fail"
    # NXDOMAIN is conclusive (issue 16): the domain receives no mail, SPF evaluates to "none"
    assert res["mail.mx.present"].status.value == "fail"
    assert res["mail.spf.policy"].status.value == "info"  # no bogus "SPF missing" fail on a non-existent domain
    assert "mail.dmarc.policy" not in res


def test_servfail_and_timeout_are_errors_and_the_scan_goes_on(knot_lab, lab_scan, blackhole):
    lab = knot_lab()
    dead = blackhole()
    lab.add_zone("lab.", f"muet.lab. NS ns.muet.lab.\nns.muet.lab. A {dead}\n")
    lab.add_broken_zone("casse.lab.")
    lab.add_zone("sain.lab.", '@ MX 10 mx\nmx A 192.0.2.1\n@ TXT "v=spf1 mx -all"\n')
    lab.start()
    res = lab_scan(lab, "casse.lab", "muet.lab", "sain.lab", timeout=0.3, retries=1)
    for name in ("casse.lab", "muet.lab"):
        assert _statuses(res[name]) == {"error"}, [(k, f.evidence) for k, f in res[name].items() if f.status.value != "error"]
        assert len(res[name]) == 15  # every dns check (dns.zone.resolves too) and mail check: "could not test"
    assert res["casse.lab"]["mail.spf.policy"].evidence["reason"] == "servfail"
    assert res["muet.lab"]["dns.ns.redundancy"].evidence["reason"] == "timeout"
    assert res["sain.lab"]["mail.spf.policy"].status.value == "pass"


def test_truncated_udp_answer_falls_back_to_tcp(knot_lab):
    lab = knot_lab()
    chunks = " ".join(f'"{c * 250}"' for c in "abcdefghijklmnop")  # 16 x 250 = 4000 bytes
    lab.add_zone("lab.", "")
    lab.add_zone("gros.lab.", f'@ TXT {chunks}\n@ TXT "v=spf1 -all"\n')
    lab.start()
    assert lab.query("gros.lab.", "TXT").flags & dns.flags.TC  # knot truncates over UDP

    async def go():
        client = DnsClient(Net(nameserver=lab.address, timeout=1.0))
        try:
            return await client.query("gros.lab", "TXT")
        finally:
            client.close()

    ans = asyncio.run(go())
    assert ans.status == "ok"
    assert sorted(len(t) for t in ans.texts()) == [len("v=spf1 -all"), 4000]


def test_hostile_txt_and_cname_values_are_kept_as_data_and_printed_safely(knot_lab, run_cli):
    lab = knot_lab()
    lab.add_zone("lab.", "")
    evil = r'"v=spf1 \027[31m<script>alert(1)</script> \255\254 -all"'
    lab.add_zone("hostile.lab.", f"""
        @ TXT {evil}
        _dmarc TXT "v=DMARC1; p=<b>reject</b>; rua=mailto:\\027]0;pwn\\007@x.lab"
        www CNAME \\027\\[2J\\<img\\>.disparu.lab.
    """)
    lab.start()
    code, out, err = run_cli("scan", "hostile.lab", "--nameserver", lab.nameserver, "--checks", "dns,mail",
                             "--timeout", "1", "--format", "json")
    assert code in (0, 1)
    doc = json.loads(out)
    found = {f["id"]: f for f in doc["results"][0]["findings"]}
    spf = found["mail.spf.policy"]
    assert spf["status"] == "fail"  # the ESC byte and 8-bit bytes make the record invalid
    assert "<script>" in spf["evidence"]["records"][0] and "\x1b[31m" in spf["evidence"]["records"][0]
    assert "\ufffd" in spf["evidence"]["records"][0]  # non-UTF-8 bytes replaced, not crashed on
    assert found["mail.dmarc.policy"]["status"] == "fail"  # p=<b>reject</b> is not a policy
    assert found["dns.cname.dangling"]["status"] == "fail"
    code, out, err = run_cli("scan", "hostile.lab", "--nameserver", lab.nameserver, "--checks", "dns,mail",
                             "--timeout", "1")
    assert "\x1b" not in out and "\x07" not in out
    assert "hostile.lab" in out


def test_idn_domain_is_normalised_and_scanned(knot_lab, run_cli):
    lab = knot_lab()
    lab.add_zone("lab.", "")
    lab.add_zone("xn--mairie-vry-h7a.lab.", '@ TXT "v=spf1 -all"\n@ MX 0 .\n_dmarc TXT "v=DMARC1; p=reject"\n')
    lab.start()
    code, out, _ = run_cli("scan", "Mairie-Évry.LAB.", "--nameserver", lab.nameserver, "--checks", "mail",
                           "--format", "json", "--timeout", "1")
    doc = json.loads(out)
    assert [r["target"] for r in doc["results"]] == ["xn--mairie-vry-h7a.lab"]
    found = {f["id"]: f for f in doc["results"][0]["findings"]}
    assert found["mail.mx.present"]["status"] == "pass"  # null MX + -all + reject: parked properly
    assert found["mail.mx.present"]["evidence"]["null"] is True


def test_500_domains_with_50_timeouts_keep_every_other_result(knot_lab, lab_scan, blackhole):
    lab = knot_lab()
    dead = blackhole()
    parent = [f"mort{i}.lab. NS ns.mort{i}.lab.\nns.mort{i}.lab. A {dead}\n" for i in range(50)]
    lab.add_zone("lab.", "".join(parent))
    live = [f"v{i:03d}.lab" for i in range(450)]
    for name in live:
        lab.add_zone(name, '@ MX 10 mx\nmx A 192.0.2.1\n@ TXT "v=spf1 mx -all"\n_dmarc TXT "v=DMARC1; p=reject"\n')
    lab.start(timeout=60)
    names = live + [f"mort{i}.lab" for i in range(50)]
    # 1 s per try, 3 tries: a live answer that a loaded machine (the suite's other worker) delays is not lost
    res = lab_scan(lab, *names, timeout=1.0, retries=2)
    assert len(res) == 500
    for name in live:
        assert res[name]["mail.spf.policy"].status.value == "pass", (name, res[name]["mail.spf.policy"].evidence)
        assert res[name]["mail.dmarc.policy"].status.value == "pass", name
        assert res[name]["dns.zone.resolves"].status.value == "pass", name
    for i in range(50):
        assert _statuses(res[f"mort{i}.lab"]) == {"error"}


def test_lost_udp_queries_are_retransmitted(knot_lab):
    """A relay in front of knot drops the first copy of every query: retries recover, no retry times out."""
    import socket
    import threading

    from .conftest import free_dns_address

    lab = knot_lab()
    lab.add_zone("lab.", "")
    lab.add_zone("perte.lab.", '@ TXT "v=spf1 -all"\n')
    lab.start()
    relay_ip = free_dns_address()
    relay = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    relay.bind((relay_ip, 53))
    relay.settimeout(0.2)
    seen: set[bytes] = set()
    dropped = []
    stop = threading.Event()

    def run():
        upstream = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        upstream.settimeout(1)
        while not stop.is_set():
            try:
                data, peer = relay.recvfrom(4096)
            except OSError:
                continue
            if data not in seen:  # same ID and question = a retransmission of the same query
                seen.add(data)
                dropped.append(data)
                continue
            upstream.sendto(data, (lab.address, 53))
            try:
                relay.sendto(upstream.recvfrom(4096)[0], peer)
            except OSError:
                pass
        upstream.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()

    async def ask(retries):
        client = DnsClient(Net(nameserver=relay_ip, timeout=0.4, retries=retries))
        try:
            return await client.query("perte.lab", "TXT")
        finally:
            client.close()

    try:
        assert asyncio.run(ask(2)).status == "ok"
        assert asyncio.run(ask(0)).status == "timeout"
    finally:
        stop.set()
        thread.join(2)
        relay.close()
    assert len(dropped) == 2


def test_delegations_whose_servers_name_each_other_end_quickly(knot_lab):
    """a.lab is served by ns.b.lab and b.lab by ns.a.lab, without glue: an error, never a hang."""
    lab = knot_lab()
    lab.add_zone("lab.", "a.lab. NS ns.b.lab.\nb.lab. NS ns.a.lab.\n")
    lab.start()

    async def go():
        client = DnsClient(Net(nameserver=lab.address, timeout=0.5, retries=0))
        try:
            return await asyncio.wait_for(client.query("a.lab", "SOA"), 10)
        finally:
            client.close()

    assert asyncio.run(go()).status == "error"


def test_a_fresh_process_scanning_many_domains_rebuilds_every_worker_finding(knot_lab):
    """The whole command in its own process, enough targets for the forked workers: the parent (which loads
    no judge module for a scan without --only) rebuilds each worker's findings with the check's texts."""
    import subprocess
    import sys

    lab = knot_lab()
    lab.add_zone("lab.", "")
    names = [f"w{i:02d}.lab" for i in range(45)]  # above pipeline.PARALLEL_MIN
    for name in names:
        lab.add_zone(name, '@ MX 10 mx\nmx A 127.0.0.25\n@ TXT "v=spf1 mx -all"\n_dmarc TXT "v=DMARC1; p=reject"\n')
    lab.start()
    out = subprocess.run([sys.executable, "-m", "cyberaudit", "scan", *names, "--nameserver", lab.nameserver,
                          "--checks", "dns,mail", "--format", "json", "--timeout", "2"],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode in (0, 1), out.stderr
    doc = json.loads(out.stdout)
    assert sorted(r["target"] for r in doc["results"]) == names
    for r in doc["results"]:
        found = {f["id"]: f for f in r["findings"]}
        assert found["mail.dmarc.policy"]["status"] == "pass", r["target"]
    assert doc["catalogue"]["mail.dmarc.policy"]["title"]["fr"]  # the check's own texts, resolved in the parent
