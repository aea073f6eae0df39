"""The headline numbers of every report, English and Traditional Chinese, against the
snapshot taken before a change meant to keep them (a move of code, a speed-up).

``tests/snapshots/headlines.json`` holds, for each session run of each notebook
(:data:`tests.conftest.REPORTS`, and on the second client :data:`~tests.conftest.HK_REPORTS`),
every headline card the report shows: its key, value
and unit, in order. A change that is *meant* to move a number writes the snapshot again
(``BPO_UPDATE_SNAPSHOT=1 make test PYTEST_ARGS="-k snapshot"``) and the commit's diff of
the file shows every number that moved, for review.
"""

from __future__ import annotations

import json
import math
import os

import pytest

from bpo_analysis.core.present import HEADLINES_MIME
from tests.conftest import HK_REPORTS, REPORTS, ROOT, ZH, outputs_with

SNAPSHOT = ROOT / "tests" / "snapshots" / "headlines.json"
RUNS = [*REPORTS, *(f"{name}{ZH}" for name in REPORTS), *HK_REPORTS]


def _cards(nb) -> list[list]:
    """``[key, value, unit]`` of every headline card of an executed notebook, in order."""
    return [[key, card["value"], card["unit"]] for shown in outputs_with(nb, HEADLINES_MIME)
            for key, card in shown.items()]


def _dumps(taken: dict[str, list]) -> str:
    """The snapshot as JSON with one card per line (a moved number is one line of diff)."""
    runs = [f" {json.dumps(key)}: [\n"
            + ",\n".join(f"  {json.dumps(card, ensure_ascii=False)}" for card in cards)
            + "\n ]" for key, cards in sorted(taken.items())]
    return "{\n" + ",\n".join(runs) + "\n}\n"


def _same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return (a is not None and b is not None
                and (math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
                     or (math.isnan(a) and math.isnan(b))))
    return a == b


@pytest.mark.parametrize("key", RUNS)
def test_headline_numbers_equal_the_snapshot(key, request):
    _, nb = request.getfixturevalue(key)
    cards = _cards(nb)
    assert cards, f"{key}: no headline card shown"
    if os.environ.get("BPO_UPDATE_SNAPSHOT") == "1":
        taken = json.loads(SNAPSHOT.read_text(encoding="utf-8")) if SNAPSHOT.exists() else {}
        taken[key] = cards
        SNAPSHOT.write_text(_dumps(taken), encoding="utf-8")
        return
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))[key]
    moved = [f"{k}: {v!r} {u} (snapshot: {ev!r} {eu})"
             for (k, v, u), (_, ev, eu) in zip(cards, expected, strict=False)
             if not (_same(v, ev) and u == eu)]
    assert [c[0] for c in cards] == [e[0] for e in expected], (
        f"{key}: the cards shown differ from the snapshot's")
    assert not moved, f"{key}: headline numbers moved:\n  " + "\n  ".join(moved)
