"""Rasa plug-ins for Aduan, loaded by Rasa from bot/config.yml and endpoints."""

from bot.components import action_validation, event_types

action_validation.install()
event_types.install()
