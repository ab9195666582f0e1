"""Run the territory CI recipes as the runners would: each job in its own fresh clone, artifacts as declared.

Not a CI implementation: just the part of GitLab CI and GitHub Actions that the recipes written by
`cyberaudit init --territory` use (variables, extends, parallel:matrix, needs, artifacts; strategy.matrix,
checkout with fetch-depth, upload/download-artifact, `run:` steps, `${{ }}` for vars and matrix), and
it fails loudly on anything else, so a recipe cannot quietly rely on a feature this harness ignores.
"""

from __future__ import annotations

import fnmatch
import os
import re
import subprocess
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML


def load(path: Path) -> dict[str, Any]:
    return YAML(typ="safe").load(path.read_text("utf-8"))


def git(cwd: Path, *args: str, env: dict[str, str] | None = None) -> str:
    out = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, f"git {' '.join(args)}: {out.stderr}"
    return out.stdout


def clone(remote: Path, dest: Path, sha: str, depth: int, branch: str | None) -> None:
    args = ["clone", "-q", "--no-checkout"] + ([f"--depth={depth}"] if depth else []) + [f"file://{remote}", str(dest)]
    git(dest.parent, *args)
    git(dest, "checkout", "-q", *(["-B", branch, sha] if branch else ["--detach", sha]))


def run_script(script: str, cwd: Path, env: dict[str, str], log: list[str], name: str) -> int:
    import time

    start = time.monotonic()
    proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)
    log.append(f"--- {name} (exit {proc.returncode}, {time.monotonic() - start:.1f} s)\n{proc.stdout}\n{proc.stderr}")
    return proc.returncode


def _files(root: Path, pattern: str) -> list[Path]:
    pattern = pattern.rstrip("/")
    hits = [root / pattern] if (root / pattern).exists() else list(root.glob(pattern))
    out: list[Path] = []
    for hit in hits:
        out += sorted(p for p in hit.rglob("*") if p.is_file()) if hit.is_dir() else [hit]
    return out


def _clean_env(base: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV") and not k.startswith("PYTEST")}
    env.update(base)
    return env


# --------------------------------------------------------------------------- GitLab CI


def gitlab_jobs(doc: dict[str, Any]) -> list[tuple[str, dict[str, Any], dict[str, str]]]:
    """(name, merged job, matrix variables) for every job instance, in stage order then matrix order."""
    known = {"stages", "variables"}
    jobs = []
    for stage in doc["stages"]:
        for name, job in doc.items():
            if name in known or name.startswith(".") or job.get("stage") != stage:
                continue
            merged = dict(doc[job["extends"]]) if "extends" in job else {}
            merged.update(job)
            allowed = {"extends", "image", "before_script", "stage", "rules", "parallel", "allow_failure", "script",
                       "artifacts", "needs", "cache"}
            assert set(merged) <= allowed, f"harness does not know {set(merged) - allowed}"
            matrix = (merged.get("parallel") or {}).get("matrix")
            if matrix:
                (axes,) = matrix
                (key, values), = axes.items()
                total = len(values)
                jobs += [(f"{name}: [{v}]", merged, {key: v, "CI_NODE_INDEX": str(i + 1), "CI_NODE_TOTAL": str(total)})
                         for i, v in enumerate(values)]
            else:
                jobs.append((name, merged, {}))
    return jobs


def _restore(store: dict[str, dict[str, bytes]], key: str | None, folder: Path) -> None:
    for rel, body in (store.get(key) or {}).items() if key else ():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(body)


def _collect(folder: Path, patterns: list[str]) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for pattern in patterns for p in _files(folder, pattern)}


def run_gitlab(doc: dict[str, Any], remote: Path, work: Path, ci_vars: dict[str, str], *, reverse: bool,
               env_extra: dict[str, str], log: list[str], caches: dict[str, dict[str, bytes]] | None = None,
               ) -> tuple[dict[str, int], dict[str, dict[str, bytes]]]:
    """One scheduled pipeline. `caches` stands for the forge's job cache (kept from one pipeline to the next):
    a job's `cache:` is restored before its scripts and saved after them when the job succeeds."""
    caches = {} if caches is None else caches
    sha = git(remote, "rev-parse", "refs/heads/main").strip()
    variables = {k: str(v) for k, v in doc["variables"].items()}
    variables.update(ci_vars)  # project CI/CD variables win over the file's, as in GitLab
    jobs = gitlab_jobs(doc)
    stages: dict[str, list] = {}
    for job in jobs:
        stages.setdefault(job[1]["stage"], []).append(job)
    artifacts: dict[str, dict[str, bytes]] = {}
    codes: dict[str, int] = {}
    for stage in doc["stages"]:
        batch = stages.get(stage, [])
        for name, job, matrix in (list(reversed(batch)) if reverse else batch):
            if not any(r.get("if") == '$CI_PIPELINE_SOURCE == "schedule"' for r in job.get("rules", [])):
                continue
            folder = work / re.sub(r"\W+", "_", name)
            clone(remote, folder, sha, int(variables.get("GIT_DEPTH", "20")), None)
            for need in job.get("needs", []):
                if need.get("artifacts", True):
                    producers = [n for n in artifacts if n == need["job"] or n.startswith(need["job"] + ": [")]
                    for producer in (reversed(producers) if reverse else producers):
                        for rel, body in artifacts[producer].items():
                            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
                            (folder / rel).write_bytes(body)
            env = _clean_env({**variables, **matrix, "CI": "true", "GITLAB_CI": "true", "CI_PIPELINE_SOURCE": "schedule",
                              "CI_COMMIT_SHA": sha, "CI_COMMIT_REF_NAME": "main", "CI_JOB_NAME": name, **env_extra})
            cache = job.get("cache") or {}
            _restore(caches, cache.get("key"), folder)
            script = "\n".join(job.get("before_script", []) + job["script"])
            code = run_script(script, folder, env, log, name)
            if cache and code == 0:
                caches[cache["key"]] = _collect(folder, cache["paths"])
            allowed = (job.get("allow_failure") or {}).get("exit_codes", []) if isinstance(job.get("allow_failure"), dict) else []
            codes[name] = code
            declared = job.get("artifacts") or {}
            if declared and (code == 0 or declared.get("when") == "always"):
                artifacts[name] = _collect(folder, declared["paths"])
            assert code == 0 or code in allowed, f"job {name} failed ({code})\n" + "\n".join(log[-1:])
    return codes, artifacts


# --------------------------------------------------------------------------- GitHub Actions

EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def _expr(text: Any, ctx: dict[str, Any]) -> str:
    if isinstance(text, bool):  # `merge-multiple: true` reaches the action as the string "true"
        return "true" if text else "false"

    def one(m: re.Match) -> str:
        value = None
        for alt in m.group(1).split("||"):
            alt = alt.strip()
            if alt.startswith("'") and alt.endswith("'"):
                value = alt[1:-1]
            else:
                scope, _, key = alt.partition(".")
                assert scope in ctx, f"harness does not know the expression {alt!r}"
                value = ctx[scope].get(key)
            if value not in (None, ""):
                break
        return "" if value is None else str(value)

    return EXPR.sub(one, str(text))


def run_github(doc: dict[str, Any], remote: Path, work: Path, gh_vars: dict[str, str], *, reverse: bool,
               env_extra: dict[str, str], log: list[str], caches: dict[str, dict[str, bytes]] | None = None,
               run_id: int = 1) -> tuple[dict[str, int], dict[str, dict[str, bytes]]]:
    """One scheduled run. `caches` stands for the repository's Actions cache: actions/cache restores the
    exact key or else the newest entry of a restore-keys prefix, and saves its key at the end of a job that
    succeeded, unless that key exists (entries are immutable)."""
    caches = {} if caches is None else caches
    sha = git(remote, "rev-parse", "refs/heads/main").strip()
    assert "schedule" in doc["on"]
    base_ctx: dict[str, Any] = {"vars": gh_vars, "github": {"ref_name": "main", "sha": sha, "run_id": str(run_id)}}
    env_top = {k: _expr(v, base_ctx) for k, v in (doc.get("env") or {}).items()}
    artifacts: dict[str, dict[str, bytes]] = {}
    codes: dict[str, int] = {}
    for job_name, job in doc["jobs"].items():  # the recipes list jobs in dependency order
        matrix = ((job.get("strategy") or {}).get("matrix")) or {}
        combos = [{}]
        if matrix:
            (key, values), = matrix.items()
            combos = [{key: v} for v in values]
        for combo in (list(reversed(combos)) if reverse else combos):
            ctx = {**base_ctx, "matrix": combo}
            name = f"{job_name} {combo}" if combo else job_name
            folder = work / re.sub(r"\W+", "_", name)
            env = _clean_env({**env_top, "CI": "true", "GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "schedule",
                              "GITHUB_REF_NAME": "main", "GITHUB_REF": "refs/heads/main", "GITHUB_SHA": sha,
                              **env_extra})
            failed = False
            to_save: list[tuple[str, str]] = []
            for step in job["steps"]:
                cond = step.get("if")
                assert cond in (None, "always()"), f"harness does not know if: {cond}"
                if failed and cond != "always()":
                    continue
                opts = {k: _expr(v, ctx) for k, v in (step.get("with") or {}).items()}
                uses = step.get("uses", "")
                if uses.startswith("actions/checkout@"):
                    clone(remote, folder, sha, int(opts.get("fetch-depth", 1)), "main")
                elif uses.startswith("actions/setup-python@"):
                    assert opts.get("python-version")
                elif uses.startswith("actions/cache@"):
                    key, prefix = opts["key"], opts.get("restore-keys", "").strip()
                    hit = key if key in caches else next(
                        (k for k in reversed(list(caches)) if prefix and k.startswith(prefix)), None)
                    _restore(caches, hit, folder / opts["path"])
                    to_save.append((key, opts["path"]))
                elif uses.startswith("actions/upload-artifact@"):
                    files: dict[str, bytes] = {}
                    for pattern in opts["path"].split("\n"):
                        if pattern.strip():
                            base = folder / pattern.strip().rstrip("/")
                            for p in _files(folder, pattern.strip()):
                                rel = p.relative_to(base if base.is_dir() else p.parent)
                                if opts.get("include-hidden-files") != "true" and any(
                                        part.startswith(".") for part in p.relative_to(folder).parts):
                                    continue
                                files[rel.as_posix()] = p.read_bytes()
                    if not files and opts.get("if-no-files-found") == "error":
                        failed = True
                    artifacts[opts["name"]] = files
                elif uses.startswith("actions/download-artifact@"):
                    chosen = sorted(n for n in artifacts if fnmatch.fnmatchcase(n, opts.get("pattern", "*")))
                    for art in (reversed(chosen) if reverse else chosen):
                        dest = folder / opts.get("path", ".")
                        if opts.get("merge-multiple") != "true":
                            dest = dest / art
                        for rel, body in artifacts[art].items():
                            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
                            (dest / rel).write_bytes(body)
                elif "run" in step:
                    code = run_script(_expr(step["run"], ctx), folder, env, log, f"{name}: {step.get('name', 'run')}")
                    if code:
                        failed = True
                        codes[name] = code
                else:
                    raise AssertionError(f"harness does not know the step {step}")
            codes.setdefault(name, 0)
            for key, path in to_save if not failed else ():
                if key not in caches:
                    caches[key] = {p.relative_to(folder / path).as_posix(): p.read_bytes()
                                   for p in _files(folder, path)}
            assert not failed, f"job {name} failed\n" + "\n".join(log[-2:])
    return codes, artifacts
