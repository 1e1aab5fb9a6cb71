"""The kinds of outbox messages, and who a status news message is for."""

STATUS_NEWS = "status_news"
HANDOFF_TAKEN = "handoff_taken"  # an officer joined the chat
HANDOFF_REPLY = "handoff_reply"  # an officer's text
HANDOFF_CLOSED = "handoff_closed"  # the officer closed: back to the bot
HANDOFF_TIMEOUT = "handoff_timeout"  # nobody took it in time, or the office closed

HANDOFF_KINDS = frozenset({HANDOFF_TAKEN, HANDOFF_REPLY, HANDOFF_CLOSED, HANDOFF_TIMEOUT})
