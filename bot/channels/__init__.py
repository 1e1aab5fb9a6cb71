"""The gateway: Telegram, WhatsApp and the web chat in front of Rasa.

`python -m bot.channels` starts it on GATEWAY_PORT (default 8080).
"""
