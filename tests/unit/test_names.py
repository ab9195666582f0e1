from __future__ import annotations

import pytest

from cyberaudit import names


@pytest.mark.parametrize("raw,expected", [
    ("Exemple.FR.", "exemple.fr"),
    ("mairie-évry.fr", "xn--mairie-vry-h7a.fr"),
    ("xn--mairie-vry-h7a.fr", "xn--mairie-vry-h7a.fr"),
    ("www.ville-saint-étienne.fr", "www.xn--ville-saint-tienne-mwb.fr"),
])
def test_normalise_domain(raw, expected):
    assert names.normalise_domain(raw) == expected


@pytest.mark.parametrize("raw", ["-oN /tmp/x", "a..b", ";id", "$(id)", "--script=vuln", "exemple", "",
                                 "a" * 64 + ".fr", "-bad.fr", "bad-.fr", "exemple.123", "ex ample.fr",
                                 "127.0.0.0/8", "127.0.0.0/16"])
def test_hostile_targets_rejected(raw):
    with pytest.raises(ValueError):
        names.normalise_target(raw)


@pytest.mark.parametrize("raw,expected", [("127.0.0.1", "127.0.0.1"), ("::1", "::1"),
                                          ("127.0.0.0/24", "127.0.0.0/24"), ("Exemple.fr", "exemple.fr")])
def test_targets_accepted(raw, expected):
    assert names.normalise_target(raw) == expected


def test_strip_control_removes_escapes():
    from cyberaudit.sanitize import bounded, strip_control

    s = "ok\x1b[31mred\x1b[0m\x1b]0;title\x07\x00end"
    assert strip_control(s) == "okredend"
    assert len(bounded("x" * 1000, 50)) == 50
