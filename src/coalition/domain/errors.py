"""Errors raised by domain rules. Interfaces turn them into one-line messages."""


class DomainError(Exception):
    """A business rule refused an operation; the message says which and why."""


class InvalidValue(DomainError):
    """A field holds a value the rules do not accept."""

    def __init__(self, field: str, value: object, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        super().__init__(f"{field}={value!r}: {reason}")


class IllegalTransition(DomainError):
    """A lifecycle change that the entity's state machine does not allow."""

    def __init__(self, entity: str, current: str, requested: str, allowed: tuple[str, ...]) -> None:
        self.entity = entity
        self.current = current
        self.requested = requested
        self.allowed = allowed
        options = ", ".join(allowed) if allowed else "none (final state)"
        super().__init__(
            f"{entity}: cannot go from '{current}' to '{requested}'; allowed next: {options}"
        )


class IllegalEvent(DomainError):
    """A tracking event that contradicts its shipment (time order, place, quantity)."""

    def __init__(self, shipment_id: str, kind: str, reason: str) -> None:
        self.shipment_id = shipment_id
        self.kind = kind
        self.reason = reason
        super().__init__(f"shipment {shipment_id}: '{kind}' refused: {reason}")
