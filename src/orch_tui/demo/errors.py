"""Errors raised by the demo orchestrator, shaped after what the real backend throws.

Handler errors reach Backstage's error middleware, which answers
``{"error": {"name", "message"}, "request": {...}, "response": {"statusCode"}}`` with a status
derived from the error name.
"""

from __future__ import annotations

_STATUS_BY_NAME = {
    "InputError": 400,
    "AuthenticationError": 401,
    "NotAllowedError": 403,
    "NotFoundError": 404,
    "ConflictError": 409,
}


class BackstageError(Exception):
    """An error that the Backstage error middleware turns into a JSON error body."""

    def __init__(self, message: str, name: str = "Error", status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.name = name
        self.status = status if status is not None else _STATUS_BY_NAME.get(name, 500)


def plain_error(message: str) -> BackstageError:
    """A plain JavaScript ``Error`` (answered with 500)."""
    return BackstageError(message, "Error")


def not_found(message: str) -> BackstageError:
    return BackstageError(message, "NotFoundError")


def graphql_error(message: str) -> BackstageError:
    """A Data Index GraphQL failure as surfaced by the urql client (500)."""
    return BackstageError(f"[GraphQL] {message}", "CombinedError")


def workflow_service_error(
    method: str,
    url: str,
    status: int,
    status_text: str,
    message: str | None = None,
    failed_node_id: str | None = None,
) -> BackstageError:
    """A failed call to a SonataFlow service, formatted like ``handleWorkflowServiceResponse``."""
    lines = [f"HTTP {method} request to {url} failed.", f"Status Code: {status}"]
    if status_text:
        lines.append(f"Status Text: {status_text}")
    if message:
        lines.append(f"Message: {message}")
    if failed_node_id:
        lines.append(f"Failed Node ID: {failed_node_id}")
    return plain_error("\n".join(lines))
