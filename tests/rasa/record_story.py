"""Write a live conversation as a test story (a tool, not a test).

Talk to a running stack (`make rasa`, `make actions`, the backend), then:

    PYTHONPATH=. .venv-rasa/bin/python tests/rasa/record_story.py \
        --url http://127.0.0.1:5005 --sender telegram:42 --name "report, skip photo"

prints the story with the citizen's text, the intents and every event the
actions produced, ready to paste into tests/rasa/stories/. Review it before
committing: it records what the bot did, which must be what it should do.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.parse
import urllib.request


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:5005")
    parser.add_argument("--sender", required=True)
    parser.add_argument("--name", required=True)
    parser.add_argument("--domain", default="bot/domain")
    args = parser.parse_args()

    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.shared.core.training_data.story_writer.yaml_story_writer import YAMLStoryWriter

    sender = urllib.parse.quote(args.sender, safe=":")
    if not args.url.startswith(("http://127.0.0.1", "http://localhost")):
        parser.error("only a local Rasa server")
    with urllib.request.urlopen(  # noqa: S310 - loopback URL checked above
        f"{args.url}/conversations/{sender}/tracker?include_events=ALL", timeout=30
    ) as response:
        state = json.loads(response.read())
    domain = Domain.load(args.domain)
    tracker = DialogueStateTracker.from_dict(args.sender, state["events"], domain.slots)
    story = tracker.as_story(include_source=False)
    story.story_steps[0].block_name = args.name
    sys.stdout.write(YAMLStoryWriter().dumps(story.story_steps, is_test_story=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
