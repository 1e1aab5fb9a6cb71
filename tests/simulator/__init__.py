"""A cooperative citizen that plays scripted conversations through the running stack.

`script` loads conversations (the blind.md format), `citizen` decides what to send
next, `player` sends it as Telegram updates and reads what the bot asks,
`judge` decides from the backend and the replies whether the conversation ended
right, `stack` starts everything, `report` aggregates. `python -m tests.simulator`
plays a file against a running stack.
"""
