"""Lab fixtures: a real knot per test (see tests/lab/knot.py)."""

from __future__ import annotations

import pytest

from .knot import KnotLab
from .util import lab_address


@pytest.fixture
def knot_lab(tmp_path):
    """Factory: `lab = knot_lab()` (or `knot_lab(extra_addresses=(...))`) -> a KnotLab not yet started.

    Add zones, then `lab.start()`. Every lab made is stopped at teardown.
    """
    labs: list[KnotLab] = []

    def make(**kwargs) -> KnotLab:
        lab = KnotLab(tmp_path / f"knot{len(labs)}", lab_address("dns"), **kwargs)
        labs.append(lab)
        return lab

    yield make
    for lab in labs:
        lab.stop()
