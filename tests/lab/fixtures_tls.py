"""Pytest fixtures for the TLS/web lab (import them in a test module or a conftest):

    from .fixtures_tls import *  # noqa: F403  (pytest fixtures: test_ca, ca_bundle, nginx_lab)

* `test_ca` (session): a `TestCA` (root + intermediate) shared by the whole worker.
* `ca_bundle` (session): path of a PEM file with that root, for `--ca-bundle` / `Net(ca_bundle=...)`.
* `nginx_lab` (function): factory `lab = nginx_lab()` -> an `NginxLab` in tmp_path, stopped at teardown.
"""

from __future__ import annotations

import pytest

from .nginx import NginxLab
from .pki import TestCA

__all__ = ["ca_bundle", "nginx_lab", "test_ca"]


@pytest.fixture(scope="session")
def test_ca() -> TestCA:
    return TestCA()


@pytest.fixture(scope="session")
def ca_bundle(test_ca, tmp_path_factory):
    return test_ca.write_bundle(tmp_path_factory.mktemp("ca") / "ca.pem")


@pytest.fixture
def nginx_lab(tmp_path):
    labs: list[NginxLab] = []

    def make(**kwargs) -> NginxLab:
        lab = NginxLab(tmp_path / f"nginx{len(labs)}", **kwargs)
        labs.append(lab)
        return lab

    yield make
    for lab in labs:
        lab.stop()
