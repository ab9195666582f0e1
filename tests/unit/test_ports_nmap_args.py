"""nmap command lines are built from an allowlist; targets can never become options."""

from __future__ import annotations

import shutil

import pytest

from cyberaudit.probes.portscan import nmap_engine as ne

pytestmark = pytest.mark.skipif(not shutil.which("nmap"), reason="nmap not installed")

HOSTILE = ["-oN /tmp/x", ";id", "$(id)", "--script=http-shellshock", "-iL/etc/passwd", "a b", "`id`",
           "127.0.0.1 -oN /tmp/x", "127.0.0.0/8"]


@pytest.mark.parametrize("target", HOSTILE)
def test_hostile_targets_are_refused(target):
    with pytest.raises(ValueError):
        ne.build_argv([("-sT", None)], [target])


@pytest.mark.parametrize("flag,value", [("-oN", "/tmp/x"), ("--script", "http-shellshock"), ("-iL", "x"),
                                        ("--script-args", "user=root"), ("-p", "22;id"),
                                        ("--host-timeout", "1s -oN x"), ("-sT", "x"), ("--max-retries", None)])
def test_flags_outside_the_allowlist_are_refused(flag, value):
    with pytest.raises(ValueError):
        ne.build_argv([(flag, value)], ["127.0.0.1"])


def test_targets_come_last_after_double_dash():
    argv = ne.build_argv([("-sT", None), ("-p", "T:22,3389,U:623"), ("--script", "ssh-auth-methods")],
                         ["127.55.0.1", "127.55.1.0/24"])
    assert argv[-3:] == ["--", "127.55.0.1", "127.55.1.0/24"]
    assert argv[1:-3] == ["-sT", "-p", "T:22,3389,U:623", "--script", "ssh-auth-methods"]


def test_parse_reports_timed_out_hosts_and_folded_ports():
    xml = """<?xml version="1.0"?><nmaprun scanner="nmap" args="nmap" start="1" version="7.93">
<scaninfo type="connect" protocol="tcp" numservices="2" services="22,3389"/>
<host><status state="up" reason="user-set"/><address addr="192.0.2.1" addrtype="ipv4"/>
<ports><extraports state="closed" count="30"><extrareasons reason="conn-refused" count="30"/></extraports>
<port protocol="tcp" portid="3389"><state state="open" reason="syn-ack"/><service name="ms-wbt-server"/></port></ports>
</host>
<host timedout="true"><status state="up" reason="user-set"/><address addr="192.0.2.2" addrtype="ipv4"/></host>
<runstats><finished time="2" elapsed="1" exit="success"/><hosts up="2" down="0" total="2"/></runstats></nmaprun>"""
    result, timed_out, extra = ne.parse(xml)
    assert timed_out == {"192.0.2.2"}
    assert extra == {"192.0.2.1": {"closed": 30}}
    assert result["scan"]["192.0.2.1"]["tcp"][3389]["state"] == "open"


def test_garbage_output_is_an_engine_error():
    with pytest.raises(ne.EngineError):
        ne.parse("<nmaprun><host>")
