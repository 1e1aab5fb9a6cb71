from backend.complaints.tickets import FORMAT_HINT
from backend.errors import Conflict, NotFound, Unprocessable


class TicketNotFound(NotFound):
    code = "ticket_not_found"

    def __init__(self, ticket_id: str) -> None:
        super().__init__(f"no complaint with ticket {ticket_id}")


class SubmissionNotFound(NotFound):
    code = "submission_not_found"

    def __init__(self) -> None:
        super().__init__("no complaint was filed with this Idempotency-Key")


class InvalidTicketError(Unprocessable):
    status_code = 400
    code = "invalid_ticket"

    def __init__(self) -> None:
        super().__init__(f"not a ticket number; expected {FORMAT_HINT}")


class IllegalTransition(Conflict):
    code = "illegal_transition"


class IdempotencyKeyReused(Conflict):
    code = "idempotency_key_reused"

    def __init__(self) -> None:
        super().__init__("this Idempotency-Key was used for a different request")


class OutsideJakarta(Unprocessable):
    code = "outside_jakarta"

    def __init__(self) -> None:
        super().__init__("the location is outside DKI Jakarta")
