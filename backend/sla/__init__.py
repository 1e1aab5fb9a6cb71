"""Service-level targets: how long each category of complaint may take."""

from backend.sla import escalation  # noqa: F401 - registers the periodic job "sla_escalation"
