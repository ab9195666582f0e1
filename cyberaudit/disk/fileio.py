"""Safe, deterministic file I/O: atomic writes, YAML with line numbers, stable JSON.

Every file cyberaudit writes goes through `atomic_write`. YAML the tool only reads goes
through one fast, safe YAML 1.2 reader (`yaml12.py`) that keeps line numbers, so every
validation error can name its line; a file a person edits and the tool rewrites is read
with ruamel.yaml in round-trip mode (`yaml_rt.load_yaml_rt`), so it keeps its comments. This
module does not import ruamel: a scan, which reads and writes no such file, starts without it.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import WRITE_ERRNOS, InputError, write_error
from ..i18n import t
from .confine import check as check_confined

M = TypeVar("M", bound=BaseModel)


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _current_umask()  # read once: os.umask is process-wide and not thread-safe


# --------------------------------------------------------------------------- writing


def atomic_write(path: str | os.PathLike, data: bytes | str) -> None:
    """Write a file atomically: temp file in the same folder, fsync, rename, fsync folder.

    A full disk, a read-only file system or a refused permission is a WriteError (exit 4) naming the
    file and the free space; the old file, if any, is left untouched.
    """
    atomic_write_all({path: data})


def atomic_write_all(files: dict) -> None:
    """Write several files all or nothing: every temp file is written and synced before any rename.
    Each value is bytes, text or an iterable of bytes chunks."""
    staged: list[tuple[str, Path]] = []
    current = None
    try:
        for path in files:
            check_confined(path)
        for path, data in files.items():
            current = Path(path)
            staged.append((_stage(current, data), current))
        for tmp, path in staged:
            current = path
            os.replace(tmp, path)
    except BaseException as exc:
        for tmp, _ in staged:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        if isinstance(exc, OSError) and exc.errno in WRITE_ERRNOS:
            raise write_error(exc, current) from None
        raise
    for folder in {path.parent for _, path in staged}:
        with contextlib.suppress(OSError):
            dfd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)


def _stage(path: Path, data) -> str:
    """The written and synced temp file that will become `path`. `data`: bytes, text, or an iterable
    of bytes chunks (a big file written a piece at a time)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp creates 0600; give the file the mode a normal write would (or keep the old one).
        try:
            mode = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = 0o666 & ~_UMASK
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            for chunk in (data,) if isinstance(data, bytes) else data:
                fh.write(chunk)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return tmp


def dumps_json(obj: Any) -> str:
    """Deterministic JSON: sorted keys, 2-space indent, UTF-8, trailing newline.

    The items of every `findings` list are written one per line (sorted keys, no indentation):
    a diff then shows one line per finding that changed, and a scan of a domain stays small.
    """
    if isinstance(obj, BaseModel):
        obj = obj.model_dump(mode="json", by_alias=True, exclude_none=True)
    return dumps_plain(obj) + "\n"


_one_line = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode  # = json.dumps(...)
_marker: list = []  # [token, compiled pattern]: made once per process (a fresh regex per call cost ~0.3 ms)


def dumps_plain(obj: Any) -> str:
    """`dumps_json` without the trailing newline, for data already dumped to JSON types."""
    import re

    if not _marker:
        token = os.urandom(8).hex()
        _marker.extend((token, re.compile(r'"\\u0000' + token + r':(\d+)\\u0000"')))
    token, pattern = _marker
    lines: list[str] = []

    def one_line(item: Any) -> str:
        lines.append(_one_line(item))
        return f"\x00{token}:{len(lines) - 1}\x00"

    def mark(o: Any) -> Any:
        if isinstance(o, dict):
            return {k: [one_line(x) for x in v] if k == "findings" and isinstance(v, list) else mark(v)
                    for k, v in o.items()}
        if isinstance(o, list):
            return [mark(x) for x in o]
        return o

    text = json.dumps(mark(obj), sort_keys=True, indent=2, ensure_ascii=False)
    if not lines:
        return text
    return pattern.sub(lambda m: lines[int(m.group(1))], text)


def write_json(path: str | os.PathLike, obj: Any) -> None:
    atomic_write(path, dumps_json(obj))


def to_plain(value: Any) -> Any:
    """Round-trip YAML data (CommentedMap/Seq, ruamel scalar strings) as plain dicts, lists and str."""
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


# --------------------------------------------------------------------------- reading


def read_text(path: Path, missing_ok: bool) -> str | None:
    """A file's UTF-8 text (inside `confine.confined` when one is active); InputError, with the line of a
    bad byte, when it cannot be read."""
    check_confined(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        if missing_ok:
            return None
        raise InputError(t("fichier introuvable", "file not found"), file=str(path)) from None
    except OSError as exc:
        raise InputError(t(f"lecture impossible : {exc.strerror}", f"cannot read file: {exc.strerror}"), file=str(path)) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(t("le fichier n'est pas en UTF-8", "not valid UTF-8"), file=str(path), line=line) from None


def load_yaml(path: str | os.PathLike, *, missing_ok: bool = False) -> Any:
    """Read a YAML file (safe, YAML 1.2, with line numbers). Syntax errors become InputError with line."""
    path = Path(path)
    text = read_text(path, missing_ok)
    return None if text is None else loads_yaml(text, str(path))


def loads_yaml(text: str, filename: str = "<string>") -> Any:
    import yaml

    from . import yaml12

    try:
        return yaml12.loads(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or t("structure invalide", "invalid structure")
        raise InputError(t(f"erreur de syntaxe YAML : {problem}", f"YAML syntax error: {problem}"), file=filename,
                         line=line) from None
    except (yaml.YAMLError, RecursionError) as exc:
        raise InputError(t(f"erreur YAML : {exc}", f"YAML error: {exc}"), file=filename) from None


def line_of(data: Any, loc: tuple) -> int | None:
    """Best line number (1-based) for a location path inside YAML data (fast or round-trip reader)."""
    from .yaml12 import LineDict, LineList

    node = data
    best = None
    for part in loc:
        if isinstance(node, LineDict):
            if part in node:
                best = node.lines.get(part, best)
                node = node[part]
                continue
            break
        if isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            best = node.lines[part]
            node = node[part]
            continue
        if isinstance(node, dict) and hasattr(node, "lc"):  # ruamel's CommentedMap (`yaml_rt`)
            if part in node:
                with contextlib.suppress(Exception):
                    best = node.lc.key(part)[0] + 1
                node = node[part]
                continue
            break
        if isinstance(node, list) and hasattr(node, "lc") and isinstance(part, int) and 0 <= part < len(node):
            with contextlib.suppress(Exception):
                best = node.lc.item(part)[0] + 1
            node = node[part]
            continue
        break
    if best is None and isinstance(data, (LineDict, LineList)):
        best = data.line
    if best is None and hasattr(data, "lc"):
        with contextlib.suppress(Exception):
            best = data.lc.line + 1
    return best


_PYDANTIC_FR = {
    "missing": ("champ obligatoire manquant", "required field missing"),
    "extra_forbidden": ("champ inconnu", "unknown field"),
    "int_parsing": ("nombre entier attendu", "integer expected"),
    "int_type": ("nombre entier attendu", "integer expected"),
    "float_parsing": ("nombre attendu", "number expected"),
    "string_type": ("texte attendu", "text expected"),
    "bool_parsing": ("oui/non (true/false) attendu", "true/false expected"),
    "list_type": ("liste attendue", "list expected"),
    "dict_type": ("dictionnaire attendu", "mapping expected"),
    "model_type": ("dictionnaire attendu", "mapping expected"),
    "model_attributes_type": ("dictionnaire attendu", "mapping expected"),
    "date_from_datetime_parsing": ("date attendue (AAAA-MM-JJ)", "date expected (YYYY-MM-DD)"),
    "date_parsing": ("date attendue (AAAA-MM-JJ)", "date expected (YYYY-MM-DD)"),
    "date_type": ("date attendue (AAAA-MM-JJ)", "date expected (YYYY-MM-DD)"),
    "datetime_parsing": ("date et heure attendues (ISO 8601)", "date-time expected (ISO 8601)"),
    "greater_than_equal": ("valeur trop petite", "value too small"),
    "less_than_equal": ("valeur trop grande", "value too large"),
    "string_too_short": ("texte vide ou trop court", "text empty or too short"),
}


def describe_error(err: dict) -> str:
    """A pydantic error as a short message in the current language."""
    from ..i18n import t

    kind = err.get("type", "")
    if kind in ("literal_error", "enum"):
        expected = (err.get("ctx") or {}).get("expected", "")
        return t(f"valeur non autorisée {err.get('input')!r} (attendu : {expected})",
                 f"value not allowed {err.get('input')!r} (expected: {expected})")
    if kind == "string_too_long":
        limit = (err.get("ctx") or {}).get("max_length")
        size = len(err.get("input") or "")
        return t(f"texte trop long ({size} caractères, au plus {limit})",
                 f"text too long ({size} characters, at most {limit})")
    if kind in _PYDANTIC_FR:
        fr, en = _PYDANTIC_FR[kind]
        return t(fr, en)
    return str(err.get("msg", "")).removeprefix("Value error, ")


def validate(model: type[M], data: Any, filename: str, *, context: dict | None = None) -> M:
    """Validate YAML data against a model; the first error names file, line and field."""
    if data is None:
        raise InputError(t("fichier vide", "file is empty"), file=filename)
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        first = errors[0]
        loc = tuple(p for p in first["loc"] if not (isinstance(p, str) and "[" in p))
        field = ".".join(str(p) for p in loc) or None
        msg = describe_error(first)
        more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
        raise InputError(msg + more, file=filename, line=line_of(data, loc), field=field) from None


def load_model(model: type[M], path: str | os.PathLike) -> M:
    return validate(model, load_yaml(path), str(path))


def load_json(path: str | os.PathLike, *, missing_ok: bool = False) -> Any:
    path = Path(path)
    check_confined(path)
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        if missing_ok:
            return None
        raise InputError(t("fichier introuvable", "file not found"), file=str(path)) from None
    except UnicodeDecodeError:
        raise InputError(t("le fichier n'est pas en UTF-8", "not valid UTF-8"), file=str(path)) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(t(f"erreur de syntaxe JSON : {exc.msg}", f"JSON syntax error: {exc.msg}"), file=str(path),
                         line=exc.lineno) from None
