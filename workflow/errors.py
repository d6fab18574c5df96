"""Domain errors: each names what was refused and why, in words a head teacher reads."""


class DomainError(Exception):
    """An event that the CPD policy does not allow. Recorded as a rejection, never retried."""

    code = "domain_error"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class InvalidTransition(DomainError):
    code = "invalid_transition"

    def __init__(self, state: str, event_type: str, allowed: list[str] | None = None) -> None:
        next_steps = ", ".join(f"cpd.request.{t}" for t in allowed or []) or "none"
        super().__init__(
            f"a request in state '{state}' cannot take event '{event_type}'"
            f" (it can take: {next_steps})"
        )
        self.state = state
        self.event_type = event_type


class GuardFailed(DomainError):
    code = "guard_failed"


class UnknownRequest(DomainError):
    code = "unknown_request"

    def __init__(self, request_id: str) -> None:
        super().__init__(f"no CPD request '{request_id}' has been submitted")
        self.request_id = request_id


class RequestAlreadyExists(DomainError):
    code = "request_exists"

    def __init__(self, request_id: str) -> None:
        super().__init__(f"a CPD request '{request_id}' already exists")
        self.request_id = request_id


class UnknownStatutoryKind(DomainError):
    """Statutory training the governing policy set does not list (a request's, a
    qualification's or a session's `statutory_kind`)."""

    code = "unknown_statutory_kind"
