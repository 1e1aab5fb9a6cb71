"""`rasa data validate`, failing on warnings too.

Rasa's validator exits 0 when it only warns. This runs it, reads what it
printed, and fails on any warning or error, except these, each checked:

- the four intents the gateway sends itself (CONTRACT.md section 1) and the
  button-only ones (BUTTON_INTENTS) have no NLU examples on purpose, since
  they must never be predicted from text, and `skip` and `choose_place` are
  used by slot mappings rather than a story;
- a response "not used in any story or rule" is fine when an action utters
  it (`response="utter_..."` or `utter_raw(..., "utter_...")` in actions/) or
  a form asks with it (`utter_ask_<slot>`); a response used nowhere still
  fails.

It also fails when an action utters a response the domain does not define.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

GATEWAY_INTENTS = ("share_photo", "share_location", "choose_category", "skip")
# Sent by buttons only (docs/dialogue.md): "Sudah beres?", the rating, a kelurahan.
BUTTON_INTENTS = ("confirm_resolution", "reject_resolution", "rate", "choose_place")
EXPECTED = [
    re.compile(rf"The intent '{intent}' is listed in the domain file, but is not found in the NLU")
    for intent in GATEWAY_INTENTS + BUTTON_INTENTS
]
ACTION_RESPONSE = re.compile(r'(?:response=|utter_(?:raw|filled)\([^)]*?)"(utter_[a-z_]+)"')
UNUSED_RESPONSE = re.compile(r"The utterance '(utter_[a-z_]+)' is not used in any story or rule")
# Read by slot mappings and validate_complaint_form rather than by a rule.
EXPECTED.append(re.compile(r"The intent '(skip|choose_place)' is not used in any story or rule"))
LIBRARY_WARNING = re.compile(r"(Deprecation|PendingDeprecation|MovedIn20|SADeprecation)Warning")
PROBLEM = re.compile(r"UserWarning|WARNING|ERROR|Error|warning", re.IGNORECASE)


def responses_uttered_by_actions() -> set[str]:
    found: set[str] = set()
    for path in Path("actions").glob("*.py"):
        found.update(ACTION_RESPONSE.findall(path.read_text(encoding="utf-8")))
    return found


def domain_responses() -> set[str]:
    names: set[str] = set()
    for path in Path("bot/domain").glob("*.yml"):
        names.update((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("responses", {}))
    return names


def form_questions() -> set[str]:
    slots: set[str] = set()
    for path in Path("bot/domain").glob("*.yml"):
        forms = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("forms", {})
        for form in forms.values():
            slots.update(form.get("required_slots", []))
    return {f"utter_ask_{slot}" for slot in slots}


def main() -> int:
    used_elsewhere = responses_uttered_by_actions() | form_questions()
    # Library deprecation notices (TensorFlow, SQLAlchemy, pkg_resources) are not
    # about our data; everything else Rasa warns about fails the check.
    env = {
        **os.environ,
        "PYTHONPATH": ".",
        "RASA_TELEMETRY_ENABLED": "false",
        "PYTHONWARNINGS": "ignore::DeprecationWarning,ignore::PendingDeprecationWarning",
    }
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
        unused = UNUSED_RESPONSE.search(line)
        if unused and unused.group(1) in used_elsewhere:
            continue
        if LIBRARY_WARNING.search(line):
            continue
        if "warnings.warn" in line or line.strip().startswith("More info at"):
            continue
        problems.append(context.strip())
    missing = responses_uttered_by_actions() - domain_responses()
    problems += [
        f"actions utter '{name}', which the domain does not define" for name in sorted(missing)
    ]
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
