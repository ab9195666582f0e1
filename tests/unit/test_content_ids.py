"""Question IDs are permanent: answers files, assessments and territory barometers key on them.

test_content_ids.txt is an append-only snapshot: a listed ID must stay live. To add questions,
append their IDs (`python -m cyberaudit checklists list` shows the banks); never remove a line.
"""

from __future__ import annotations

from pathlib import Path

from cyberaudit.content.loader import load_content

SNAPSHOT = Path(__file__).with_name("test_content_ids.txt")


def test_published_question_ids_stay_live():
    listed = [line.strip() for line in SNAPSHOT.read_text().splitlines() if line.strip()]
    assert len(listed) == len(set(listed))
    live = set(load_content().questions)
    assert [qid for qid in listed if qid not in live] == []


def test_every_live_question_is_in_the_snapshot():
    listed = set(SNAPSHOT.read_text().split())
    assert sorted(set(load_content().questions) - listed) == []
