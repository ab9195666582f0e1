"""Record the demo's observations from a real probe run against the loopback lab.

    sudo python tools/record_demo.py            # as root (nginx on 443, knot on 53), from the repo root
    python tools/record_demo.py --check         # run again and say whether the saved file would change

Builds the fictional commune's zones in a real knot (the `example.` zone signed, so the DNSSEC walk
has an anchor; `val-d-exemple.example` delegated without DS), serves its MTA-STS policy from a real
nginx with a lab CA, opens the webmail's RDP port on a loopback listener, then runs the real scan
pipeline (`dns`, `mail`, `ports`) on the targets of `cyberaudit/data/demo/organisation.yaml` and saves
what the probes observed to `cyberaudit/data/demo/observations.jsonl`. Two edits only, so the demo
reads like a real commune: every loopback address becomes a documentation address (RFC 5737) and
every `observed_at` becomes the demo's scan date. The demo judges these observations at run time, so
its verdicts are today's judges' verdicts. Families that save no observation yet (tls, web, mfa) stay
hand-recorded in `scan.yaml`.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cyberaudit.disk import observations  # noqa: E402
from cyberaudit.disk.fileio import atomic_write, load_yaml, validate  # noqa: E402
from cyberaudit.model import Organisation  # noqa: E402
from cyberaudit.probes import pipeline, scope  # noqa: E402
from cyberaudit.probes.net import Net  # noqa: E402
from tests.lab.conftest import free_dns_address  # noqa: E402
from tests.lab.knot import KnotLab  # noqa: E402
from tests.lab.nginx import NginxLab  # noqa: E402
from tests.lab.pki import TestCA  # noqa: E402
from tests.lab.test_mail_keys_sts import _dkim  # noqa: E402
from tests.lab.test_ports_listeners import Listeners  # noqa: E402
from tests.lab.util import lab_address  # noqa: E402

DEMO = ROOT / "cyberaudit" / "data" / "demo"
OUT = DEMO / "observations.jsonl"
SCAN_DATE = "2026-11-20T09:30:00Z"
FAMILIES = ["dns", "mail", "ports"]
POLICY = "version: STSv1\nmode: testing\nmx: mx.sid.example\nmax_age: 86400\n"


def zones(lab: KnotLab, a: dict[str, str]) -> None:
    lab.add_zone("example.", f"""
        val-d-exemple NS ns1.registrar.example.
        val-d-exemple NS ns2.registrar.example.
        ns1.registrar A {a['ns1']}
        ns1.registrar AAAA 2001:db8:53::1
        ns2.registrar A {a['ns2']}
        ns2.registrar AAAA 2001:db8:153::1
        mx.sid A {a['mx']}
        portail-famille.sid A {a['web']}
        _spf.sid TXT "v=spf1 ip4:{a['mx']} -all"
    """, signed=True)
    lab.add_zone("val-d-exemple.example.", f"""
        @ SOA ns1.registrar.example. hostmaster 2026111901 3600 900 1209600 300
        @ NS ns1.registrar.example.
        @ NS ns2.registrar.example.
        @ A {a['web']}
        www A {a['web']}
        famille CNAME portail-famille.sid.example.
        webmail A {a['webmail']}
        mta-sts A {a['sts']}
        @ MX 10 mx.sid.example.
        @ TXT "v=spf1 include:_spf.sid.example ~all"
        _dmarc TXT "v=DMARC1; p=none"
        _mta-sts TXT "v=STSv1; id=20261001"
        default._domainkey TXT {_dkim(2048)}
    """)


def record(work: Path) -> bytes:
    ns1 = free_dns_address()
    a = {"ns1": ns1, "ns2": ns1.replace("127.53.", "127.153."), "web": lab_address("tls"), "mx": lab_address("smtp"),
         "sts": lab_address("tls"), "webmail": lab_address("ports")}
    shown = {a["ns1"]: "192.0.2.53", a["ns2"]: "198.51.100.53", a["web"]: "192.0.2.80", a["mx"]: "192.0.2.25",
             a["sts"]: "192.0.2.43", a["webmail"]: "203.0.113.10"}
    ca = TestCA("Demo CA (fictive)")
    leaf = ca.issue(["mta-sts.val-d-exemple.example"]).write(work / "sts")
    bundle = ca.write_bundle(work / "ca.pem")
    lab = KnotLab(work / "knot", a["ns1"], extra_addresses=(a["ns2"],))
    web = NginxLab(work / "nginx")
    web.add_vhost("mta-sts.val-d-exemple.example", a["sts"], cert=leaf.fullchain, key=leaf.key,
                  root_files={".well-known/mta-sts.txt": POLICY})
    zones(lab, a)
    org = validate(Organisation, load_yaml(DEMO / "organisation.yaml"), "organisation.yaml")
    targets, fams = scope.targets_from_organisation(org, FAMILIES)
    log = observations.ObservationLog()
    try:
        lab.start()
        web.start()
        with Listeners(a["webmail"]) as ls:
            ls.open(3389)
            net = Net(nameserver=a["ns1"], port=53, timeout=2.0, ca_bundle=bundle,
                      options={"trust_anchor": lab.trust_anchor(), "ports": "curated", "syn": False})
            result = pipeline.scan(targets, fams, net, observations=log.add)
        return b"".join(_shown(chunk, shown) for chunk in log.chunks(result))
    finally:
        log.close()
        web.stop()
        lab.stop()


def _shown(chunk: bytes, addresses: dict[str, str]) -> bytes:
    """A line with documentation addresses for the lab's, and the demo's scan date for every timestamp."""
    data = json.loads(chunk)
    if "schema" in data:
        data.update(started_at=SCAN_DATE, options={"nameserver": None})
    text = json.dumps(data, sort_keys=True, ensure_ascii=False)
    for lab_ip, doc_ip in addresses.items():
        text = re.sub(rf"(?<![\d.]){re.escape(lab_ip)}(?![\d])", doc_ip, text)
    if re.search(r"(?<![\d.])127\.\d+\.\d+\.\d+", text):
        raise SystemExit(f"a lab address was left in the recording: {text[:200]}")
    text = re.sub(r'"observed_at": "[^"]+"', f'"observed_at": "{SCAN_DATE}"', text)
    return observations.line(json.loads(text))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="say whether the saved recording would change")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cyberaudit-demo-lab-") as tmp:
        data = record(Path(tmp))
    if args.check:
        same = OUT.exists() and _comparable(OUT.read_bytes()) == _comparable(data)
        print("unchanged" if same else "the recording would change")
        return 0 if same else 1
    atomic_write(OUT, data)
    lines = data.count(b"\n") - 1
    print(f"wrote {OUT.relative_to(ROOT)} ({len(data)} bytes, {lines} targets)")
    return 0


def _comparable(data: bytes) -> bytes:
    """The recording without what changes at every run (the DKIM key is drawn afresh)."""
    return re.sub(rb'"p=[A-Za-z0-9+/=]+', b'"p=', data)


if __name__ == "__main__":
    raise SystemExit(main())
