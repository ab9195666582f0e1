"""Small YAML files (a member's organisation.yaml) read fast: libyaml's C parser, YAML 1.2 core rules.

    data = load(body)    # ValueError on anything doubtful: the caller then takes the careful path

A territory reads a thousand organisation.yaml files per barometer; the pure-Python parser costs
about 4 ms each, libyaml a tenth of that. The results are those of the YAML 1.2 core schema
(as ruamel.yaml reads them): `yes`/`no`/`on`/`off` stay strings, `012` is 12, no sexagesimal
numbers; a duplicate key is refused. Without libyaml, ruamel.yaml's pure-Python parser is used.
"""

from __future__ import annotations

import re
from typing import Any

try:
    import yaml

    _BASE: Any = yaml.CSafeLoader
except (ImportError, AttributeError):  # no libyaml: the pure-Python parser (same results, slower)
    _BASE = None

# YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution)
_CORE = [
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9][0-9_]*|0o[0-7_]+|0x[0-9a-fA-F_]+)$", "-+0123456789"),
    ("tag:yaml.org,2002:float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
                                r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$", "-+0123456789."),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:timestamp", r"^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
                                    r"(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?"
                                    r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$", "0123456789"),
]

if _BASE is not None:
    class _Loader(_BASE):  # type: ignore[misc, valid-type]
        yaml_implicit_resolvers: dict = {}

        def construct_mapping(self, node, deep=False):
            keys = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                if key in keys:
                    raise ValueError(f"duplicate key {key!r}")
                keys.add(key)
            return super().construct_mapping(node, deep)

        def construct_yaml_int(self, node):
            value = self.construct_scalar(node).replace("_", "")
            if value.startswith("0o"):
                return int(value[2:], 8)
            if value.startswith("0x"):
                return int(value[2:], 16)
            return int(value, 10)

    _Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
    for tag, pattern, first in _CORE:
        _Loader.add_implicit_resolver(tag, re.compile(pattern), list(first))


def load(body: bytes) -> Any:
    """Parse one small YAML document (safe: no tags beyond the core schema's)."""
    if _BASE is None:
        from ruamel.yaml import YAML

        return YAML(typ="safe", pure=True).load(body)
    try:
        return yaml.load(body, Loader=_Loader)  # noqa: S506 - a safe loader (CSafeLoader subclass)
    except yaml.YAMLError as exc:
        raise ValueError(str(exc)) from None
