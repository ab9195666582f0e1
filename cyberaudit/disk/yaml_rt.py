"""YAML that people edit and the tool rewrites: ruamel.yaml in round-trip mode, so comments are kept.

    data = load_yaml_rt(path)          # CommentedMap (line numbers: fileio.line_of)
    merge_into(data, new_plain_dict)   # update in place, keeping the comments of kept keys
    atomic_write(path, dumps_yaml(data))

Everything else reads YAML through `fileio.load_yaml` (the fast, safe YAML 1.2 reader) and never
loads ruamel.yaml.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from ..errors import InputError
from ..i18n import t
from .fileio import read_text


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def dumps_yaml(data: Any) -> str:
    buf = io.StringIO()
    _yaml().dump(_plain_to_rt(data), buf)
    return buf.getvalue()


def _plain_to_rt(data: Any) -> Any:
    if isinstance(data, (CommentedMap, CommentedSeq)):
        return data
    if isinstance(data, dict):
        m = CommentedMap()
        for k, v in data.items():
            m[k] = _plain_to_rt(v)
        return m
    if isinstance(data, (list, tuple)):
        return CommentedSeq(_plain_to_rt(v) for v in data)
    return data


def merge_into(target: CommentedMap, new: dict) -> CommentedMap:
    """Update a round-trip map in place with plain data, keeping comments of kept keys."""
    for key in list(target.keys()):
        if key not in new:
            del target[key]
    for key, value in new.items():
        old = target.get(key)
        if isinstance(old, CommentedMap) and isinstance(value, dict):
            merge_into(old, value)
        else:
            target[key] = _plain_to_rt(value)
    return target


def load_yaml_rt(path: str | os.PathLike, *, missing_ok: bool = False) -> Any:
    """Read a YAML file a person edits, in round-trip mode: rewriting it keeps its comments."""
    path = Path(path)
    text = read_text(path, missing_ok)
    if text is None:
        return None
    try:
        return _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or t("structure invalide", "invalid structure")
        raise InputError(t(f"erreur de syntaxe YAML : {problem}", f"YAML syntax error: {problem}"), file=str(path),
                         line=line) from None
    except YAMLError as exc:
        raise InputError(t(f"erreur YAML : {exc}", f"YAML error: {exc}"), file=str(path)) from None
