"""Alerts for officers in the console: a handoff waiting, a complaint reopened or overdue."""
