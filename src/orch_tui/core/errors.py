"""Typed errors the console shows to the user.

Every adapter raises only these.  Each carries a short ``title`` for a panel
heading and a ``message`` with the backend's own words where it gave any.
"""

from __future__ import annotations


class OrchError(Exception):
    """Base of every error the console knows how to show."""

    title = "Error"

    def __init__(self, message: str, *, status: int | None = None, detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.detail = detail

    def __str__(self) -> str:
        return self.message

    @property
    def summary(self) -> str:
        """One line: the title and the message."""
        first = self.message.strip().splitlines()[0] if self.message.strip() else ""
        return f"{self.title}: {first}" if first else self.title


class ConfigError(OrchError):
    title = "Configuration error"


class Unreachable(OrchError):
    title = "Backend unreachable"


class BackendTimeout(OrchError):
    title = "Backend timed out"


class Unauthorized(OrchError):
    title = "Not authenticated"


class PermissionDenied(OrchError):
    title = "Permission denied"

    def __init__(
        self,
        message: str,
        *,
        status: int | None = 403,
        detail: str | None = None,
        permission: str | None = None,
        resource: str | None = None,
    ) -> None:
        super().__init__(message, status=status, detail=detail)
        self.permission = permission
        """The permission the call needed, as the backend named it or as the operation implies."""
        self.resource = resource
        """What it was needed for (a workflow id), when the call was about one."""

    @property
    def summary(self) -> str:
        base = super().summary
        if self.permission and self.permission not in base:
            return f"{base} (needs {self.permission})"
        return base


class ReadOnly(OrchError):
    """A mutating request refused by the client itself: the context is read-only."""

    title = "Read-only context"


class NotFound(OrchError):
    title = "Not found"


class BadRequest(OrchError):
    title = "Request rejected"


class ServerError(OrchError):
    title = "Server error"


class MalformedResponse(OrchError):
    title = "Malformed response"
