"""Play conversations against a running stack (`make run`): our own gateway and fake Bot API
in front of the given Rasa and backend.

    python -m tests.simulator --conversations tests/simulator/samples.yml \\
        --rasa-url http://127.0.0.1:5005 --backend-url http://127.0.0.1:8000 \\
        --database var/aduan.db --token "$BACKEND_SERVICE_TOKEN" [--only S004] [-v]
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path

from tests.simulator import report, script
from tests.simulator.stack import attached


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.simulator")
    parser.add_argument("--conversations", type=Path, required=True)
    parser.add_argument("--rasa-url", default="http://127.0.0.1:5005")
    parser.add_argument("--backend-url", default="http://127.0.0.1:8000")
    parser.add_argument("--database", type=Path, default=Path("var/aduan.db"))
    parser.add_argument("--token", default=os.environ.get("BACKEND_SERVICE_TOKEN", ""))
    parser.add_argument("--workers", type=int, default=6)
    parser.add_argument("--only", action="append", help="conversation id (repeatable)")
    parser.add_argument("--report", type=Path, help="write the JSON report here")
    parser.add_argument("-v", "--verbose", action="store_true", help="print each transcript")
    args = parser.parse_args(argv)
    conversations = script.load(args.conversations)
    if args.only:
        conversations = [c for c in conversations if c.id in set(args.only)]
    with (
        tempfile.TemporaryDirectory() as work,
        attached(Path(work), args.rasa_url, args.backend_url, args.token, args.database) as stack,
    ):
        summary, verdicts, transcripts = report.run(stack, conversations, args.workers)
    for transcript, verdict in zip(transcripts, verdicts, strict=True):
        text = report.transcript_text(transcript, verdict)
        sys.stdout.write((text if args.verbose else text.splitlines()[0]) + "\n")
    sys.stdout.write(report.render(summary) + "\n")
    if args.report:
        report.write(args.report, summary, verdicts)
    return 0 if all(v.passed for v in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
