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


def test_plain_names_skip_the_idna_tables_with_the_same_answer():
    """The ASCII fast path of normalise_domain answers exactly as IDNA 2008 / UTS 46 would, and leaves
    everything else (IDN, xn--, `--` in 3rd-4th position, underscores, odd hyphens) to the idna package."""
    import random
    import string

    import idna

    rng = random.Random(13)
    alphabet = string.ascii_letters + string.digits + "-._"
    samples = ["Mairie.FR", "ab--cd.fr", "xn--mairie-vry-h7a.fr", "a-.fr", "-a.fr", "x" * 63 + ".fr",
               "x" * 64 + ".fr", "a." * 126 + "fr", "_dmarc.ville.fr", "ville.fr"]
    samples += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 24))) for _ in range(20000)]
    fast = 0
    for name in samples:
        mine = names._plain_ldh(name)
        if mine is None:
            continue
        fast += 1
        assert mine == idna.encode(name, uts46=True, transitional=False).decode("ascii"), name
    assert fast > 1000  # the fast path is taken for ordinary names
    for name in ("ab--cd.fr", "xn--mairie-vry-h7a.fr", "_dmarc.ville.fr", "mairie-évry.fr", "a-.fr"):
        assert names._plain_ldh(name) is None, name
    with pytest.raises(ValueError, match="hyphens"):  # idna's own check and message still apply
        names.normalise_domain("ab--cd.fr")
