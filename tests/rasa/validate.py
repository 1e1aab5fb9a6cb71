"""`rasa data validate`, failing on warnings too.

Rasa's validator exits 0 when it only warns. This runs it, reads what it
printed, and fails on any warning or error, except the one expected
warning: the four intents the gateway sends itself (CONTRACT.md section 1)
have no NLU examples on purpose, since they must never be predicted from text.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

GATEWAY_INTENTS = ("share_photo", "share_location", "choose_category", "skip")
EXPECTED = [
    re.compile(rf"The intent '{intent}' is listed in the domain file, but is not found in the NLU")
    for intent in GATEWAY_INTENTS
]
PROBLEM = re.compile(r"UserWarning|WARNING|ERROR|Error|warning", re.IGNORECASE)


def main() -> int:
    env = {**os.environ, "PYTHONPATH": ".", "RASA_TELEMETRY_ENABLED": "false"}
    rasa = os.path.join(os.path.dirname(sys.executable), "rasa")
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [
            rasa,
            "data",
            "validate",
            "--config",
            "bot/config.yml",
            "--domain",
            "bot/domain",
            "--data",
            "bot/data",
            "nlu_data",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    output = result.stdout + result.stderr
    lines = output.splitlines()
    problems = []
    for index, line in enumerate(lines):
        if not PROBLEM.search(line):
            continue
        # A warning's message is on its own line or on the next one.
        context = line + " " + (lines[index + 1] if index + 1 < len(lines) else "")
        if any(pattern.search(context) for pattern in EXPECTED):
            continue
        if "warnings.warn" in line or line.strip().startswith("More info at"):
            continue
        problems.append(context.strip())
    print(output)  # noqa: T201
    if result.returncode != 0 or problems:
        print("rasa data validate: FAILED", file=sys.stderr)  # noqa: T201
        for problem in problems:
            print("  " + problem, file=sys.stderr)  # noqa: T201
        return 1
    print("rasa data validate: clean (no warnings besides the gateway intents)")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
