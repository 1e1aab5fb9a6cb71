"""Every blind conversation set (tests/rasa/blind/*/conversations.yml) and the samples,
played through the whole stack with the real model (`make e2e`).

Prints per set and outcome the pass rate, the emergency-turn recall and the false
alarms; writes var/simulator-report.json; fails below FLOOR or on a missed 112.
SIMULATOR_CONVERSATIONS (paths separated by ":") plays only those files;
SIMULATOR_BLIND_ROOT reads the blind sets from another checkout.
"""

import os
import sys
from pathlib import Path

import pytest

from tests.simulator import report, script
from tests.simulator.stack import full

ROOT = Path(__file__).resolve().parents[2]
FLOOR = 0.95
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
    low = {n: s["pass_rate"] for n, s in summary["sets"].items() if s["pass_rate"] < FLOOR}
    missed = sum(v.emergency_turns - v.emergency_hits for v in verdicts)
    assert not low, f"sets below the {FLOOR} floor: {low}"
    assert not missed, f"{missed} emergency turns got no 112 in the first reply"
