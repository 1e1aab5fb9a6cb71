"""Every table, imported in one place so that Alembic and tests see the whole schema."""

from backend.agencies.models import Agency, Category, RoutingRule, Unit
from backend.alerts.models import Alert
from backend.auth.models import Operator, OperatorToken, ServiceClient
from backend.complaints.models import (
    Complaint,
    IdempotencyKey,
    Reporter,
    StatusChange,
    Supporter,
)
from backend.console.models import ConsoleSession
from backend.conversations.models import Conversation, ConversationMessage
from backend.db import Base
from backend.feedback.models import Feedback
from backend.notifications.models import OutboxMessage
from backend.open311.models import Open311Submission
from backend.photos.models import Photo
from backend.sla.models import SlaStageTarget, SlaTarget

__all__ = [
    "Agency",
    "Alert",
    "Base",
    "Category",
    "Complaint",
    "ConsoleSession",
    "Conversation",
    "ConversationMessage",
    "Feedback",
    "IdempotencyKey",
    "Operator",
    "Open311Submission",
    "OperatorToken",
    "OutboxMessage",
    "Photo",
    "Reporter",
    "RoutingRule",
    "ServiceClient",
    "SlaStageTarget",
    "SlaTarget",
    "StatusChange",
    "Supporter",
    "Unit",
]
