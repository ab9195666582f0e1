"""Wording rules of the questions: one question asks one thing, in a positive form, and says who answers.

The signs looked for in the French text (the one a DPO reads first):

  compound   two questions in one: « ainsi que », two verbs or participles joined by « et »
             (« réalisées et validées »), two interrogative inversions (« … a-t-elle …, et … sont-elles … »),
             a list of conditions (two commas or a colon outside parentheses; lists of examples in
             parentheses are fine);
  negative   a negative form where « oui » is ambiguous (« ne … pas », « n'… aucun », « ni », « jamais »);
  provider   a question whose owner is the IT provider starts with « Question pour votre prestataire : »
             (en: "Question for your IT provider: "), so the DPO knows who can answer.

The sentence « Répondez « non applicable » … » is not part of the question and is ignored. Signs are
heuristics: a flagged question is either rewritten or reviewed by a person and listed, with the reason,
in checklists/maintenance/reviewed.yaml. A review is bound to the text it approved (a hash): change the
text and it must be reviewed again; a review that no longer matches a flag is itself reported.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Literal

from pydantic import Field

from ..model import Strict

REVIEWED_FILE = ("maintenance", "reviewed.yaml")
PROVIDER_PREFIX = ("Question pour votre prestataire : ", "Question for your IT provider: ")
Rule = Literal["compound", "negative"]

_NA = re.compile(r"Répondez « non applicable »[^?]*?(?:\.|$)")
_PARENS = re.compile(r"\([^()]*\)")
_INVERSION = re.compile(r"\b\w+-(?:t-)?(?:il|elle|ils|elles|on)\b")
_PARTICIPLE = r"\w+(?:é|ée|és|ées|is|ise|ises|it|ite|ites|u|ue|us|ues)"
_TWO_PARTICIPLES = re.compile(rf"\b{_PARTICIPLE},?\s+et\s+(?:\w+\s+)?{_PARTICIPLE}\b")
_NEGATIVE = re.compile(r"\b(?:ne|n')\s*\w[\w-]*(?:\s+\w+)?\s+(?:pas|plus|jamais|aucun|aucune|rien)\b"
                       r"|\bn'(?:y|en)\b|\bni\b|\bjamais\b|\baucun(?:e)?\b", re.IGNORECASE)


class Review(Strict):
    question: str
    rule: Rule
    text_sha: str = Field(pattern=r"^[0-9a-f]{12}$")  # sha256 of the French text reviewed, 12 hex digits
    reason: str = Field(min_length=10)


class Reviewed(Strict):
    reviewed: list[Review] = Field(default_factory=list)


def text_sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def question_part(text: str) -> str:
    """The question itself: the « non applicable » instruction removed."""
    return _NA.sub("", text).strip()


def signs(text: str, yesno: bool = True) -> dict[str, str]:
    """{rule: what was seen} for the French text of a question (negative forms matter for yes/no only)."""
    q = question_part(text).removeprefix(PROVIDER_PREFIX[0])
    bare = _PARENS.sub("", q)
    inversion = _INVERSION.search(bare)
    predicate = bare[inversion.end():] if inversion else bare  # what is asked about the subject
    found: dict[str, str] = {}
    if "ainsi que" in bare:
        found["compound"] = "« ainsi que »"
    elif m := _TWO_PARTICIPLES.search(bare):
        found["compound"] = f"two verbs joined by « et » ({m.group(0)!r})"
    elif len(_INVERSION.findall(bare)) >= 2:
        found["compound"] = "two questions (" + ", ".join(repr(x) for x in _INVERSION.findall(bare)[:2]) + ")"
    elif predicate.count(",") >= 2 or " : " in predicate:
        found["compound"] = "a list of conditions (commas or a colon after the verb, outside parentheses)"
    if yesno and (m := _NEGATIVE.search(q)):
        found["negative"] = f"negative form ({m.group(0)!r})"
    return found


def load_reviewed(path: Path):
    from ..disk.fileio import load_yaml, validate

    data = load_yaml(path, missing_ok=True)
    return validate(Reviewed, data or {}, str(path)), data


def lint_wording(questions: dict, reviewed: Reviewed) -> list[tuple[str | None, str]]:
    """(question ID or None, message) for every unreviewed sign, stale review and missing provider prefix."""
    by_key = {(r.question, r.rule): r for r in reviewed.reviewed}
    used: set[tuple[str, str]] = set()
    out: list[tuple[str | None, str]] = []
    for qid, q in questions.items():
        for rule, seen in signs(q.text.fr, q.answer == "yesno").items():
            review = by_key.get((qid, rule))
            if review is not None and review.text_sha == text_sha(q.text.fr):
                used.add((qid, rule))
                continue
            why = "split it into questions that each ask one thing" if rule == "compound" else \
                "ask it in a positive form, so that « oui » cannot be misread"
            stale = " (a review exists, but for another text)" if review is not None else ""
            out.append((qid, f"{qid}: sign of a {rule} question: {seen}{stale}; {why}, or list it with the "
                             f"reason in checklists/maintenance/reviewed.yaml (text_sha {text_sha(q.text.fr)})"))
        if q.owner == "it_provider":
            for lang, prefix in zip(("fr", "en"), PROVIDER_PREFIX, strict=True):
                if not getattr(q.text, lang).startswith(prefix):
                    out.append((qid, f"{qid}: the IT provider answers this question: its {lang} text starts "
                                     f"with {prefix.strip()!r}"))
    for r in reviewed.reviewed:
        if (r.question, r.rule) not in used and r.question not in questions:
            out.append((None, f"reviewed.yaml: {r.question} is not a question (remove the review)"))
        elif (r.question, r.rule) not in used and r.text_sha == text_sha(questions[r.question].text.fr):
            out.append((None, f"reviewed.yaml: {r.question} shows no sign of a {r.rule} question any more "
                              "(remove the review)"))
    return out
