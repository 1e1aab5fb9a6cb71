"""Who is talking: the gateway's sender ids are `<channel>:<chat_id>`."""

from __future__ import annotations

CHANNELS = frozenset({"telegram", "whatsapp", "web"})


def split_sender(sender_id: str) -> tuple[str, str]:
    """("telegram", "123") for "telegram:123"; other ids count as web chat."""
    channel, sep, chat_id = sender_id.partition(":")
    if sep and channel in CHANNELS and chat_id:
        return channel, chat_id
    return "web", sender_id
