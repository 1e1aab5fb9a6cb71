"""Rasa plug-ins for Aduan, loaded by Rasa from bot/config.yml and endpoints."""

from bot.components import action_validation

action_validation.install()
