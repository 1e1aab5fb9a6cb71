"""Every blind conversation set (tests/rasa/blind/*/conversations.yml) and the samples,
played through the whole stack with the real model (`make e2e`).

Prints per set and outcome the pass rate, the emergency-turn recall and the false
alarms; writes var/simulator-report.json; fails when a set is below the floors of
tests/rasa/floors.yml (issue 11's goals, printed too: 0.95 of conversations ending
right and every emergency turn answered with 112 first).
SIMULATOR_CONVERSATIONS (paths separated by ":") plays only those files;
SIMULATOR_BLIND_ROOT reads the blind sets from another checkout.
"""

import os
import sys
from pathlib import Path

import pytest
import yaml

from tests.simulator import report, script
from tests.simulator.stack import full

ROOT = Path(__file__).resolve().parents[2]
FLOORS = yaml.safe_load((ROOT / "tests" / "rasa" / "floors.yml").read_text(encoding="utf-8"))
PASS_FLOOR = float(FLOORS["conversations_pass_rate"])
# A set added later starts at its own first measured level (floors.yml says why).
SET_PASS_FLOORS = {str(k): float(v) for k, v in (FLOORS.get("conversations_by_set") or {}).items()}
EMERGENCY_FLOOR = float(FLOORS["emergency_turn_recall"])
GOALS = {"pass_rate": 0.95, "emergency_recall": 1.0}
WORKERS = int(os.environ.get("SIMULATOR_WORKERS", "6"))

pytestmark = [
    pytest.mark.slow,
    pytest.mark.e2e,
    pytest.mark.skipif(
        os.environ.get("ADUAN_E2E") != "1", reason="full stack: set ADUAN_E2E=1 (needs the model)"
    ),
]


def conversation_files() -> list[Path]:
    chosen = os.environ.get("SIMULATOR_CONVERSATIONS")
    if chosen:
        return [Path(p) for p in chosen.split(":") if p]
    sets = Path(os.environ.get("SIMULATOR_BLIND_ROOT", ROOT / "tests" / "rasa" / "blind"))
    blind = sorted(sets.glob("*/conversations.yml"))
    return [Path(__file__).with_name("samples.yml"), *blind]


def test_conversations_end_right(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    conversations = [c for path in conversation_files() for c in script.load(path)]
    with full(tmp_path) as stack:
        summary, verdicts, transcripts = report.run(stack, conversations, WORKERS)
    if os.environ.get("SIMULATOR_CONVERSATIONS"):  # debugging chosen files: keep transcripts
        played = [report.transcript_text(t, v) for t, v in zip(transcripts, verdicts, strict=True)]
        (ROOT / "var" / "simulator-transcripts.txt").write_text("\n".join(played) + "\n")
    with capsys.disabled():  # the figures belong in `make e2e`'s output, pass or fail
        sys.stdout.write("\n" + report.render(summary) + "\n")
    report.write(ROOT / "var" / "simulator-report.json", summary, verdicts)
    sets = summary["sets"]
    with capsys.disabled():
        for name, s in sets.items():
            short = [k for k, goal in GOALS.items() if s[k] is not None and s[k] < goal]
            verdict = "short of " + ", ".join(short) if short else "met"
            sys.stdout.write(f"issue 11 goals, set {name}: {verdict}\n")
    low = {
        n: s["pass_rate"]
        for n, s in sets.items()
        if s["pass_rate"] < SET_PASS_FLOORS.get(n, PASS_FLOOR)
    }
    missed = {
        n: s["emergency_recall"]
        for n, s in sets.items()
        if s["emergency_recall"] is not None and s["emergency_recall"] < EMERGENCY_FLOOR
    }
    assert not low, f"sets below their pass-rate floor ({PASS_FLOOR} unless set): {low}"
    assert not missed, f"sets below the {EMERGENCY_FLOOR} emergency-turn floor: {missed}"
