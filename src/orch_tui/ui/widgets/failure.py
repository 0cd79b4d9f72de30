"""What went wrong, in words a user can act on, and the panel that shows it.

A refusal by the backend's permissions (HTTP 403) is shown as a permission panel: the backend's
own reason, the permission that was needed (and for what), and what it grants.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from orch_tui.core.errors import OrchError, PermissionDenied
from orch_tui.core.formatting import clean_text, single_line
from orch_tui.core.permissions import INSTANCE_ADMIN_VIEW, WORKFLOW_ADMIN_VIEW, WORKFLOW_READ, WORKFLOW_USE

GRANTS = {
    WORKFLOW_READ.name: "seeing the workflow, its runs, schema and definition",
    WORKFLOW_USE.name: "running, retriggering and aborting the workflow",
    WORKFLOW_ADMIN_VIEW.name: "seeing workflow definitions and run variables",
    INSTANCE_ADMIN_VIEW.name: "seeing every user's runs, not only your own",
}
PERMISSION_HINT = "Ask a Backstage administrator for it. Esc goes back."


@dataclass(frozen=True)
class Failure:
    """A failed backend call, reduced to what the user is shown."""

    title: str
    message: str
    expected: bool = True
    """False for exceptions that are bugs rather than backend trouble."""
    permission: str | None = None
    """For a permission refusal: the permission that was needed."""
    resource: str | None = None
    """… and what it was needed for (a workflow id), when known."""
    denied: bool = False
    """The backend refused the call (403)."""

    @property
    def summary(self) -> str:
        first = self.message.strip().splitlines()[0] if self.message.strip() else ""
        text = f"{self.title}: {first}" if first else self.title
        if self.permission and self.permission not in text:
            text += f" (needs {self.permission})"
        return single_line(text)

    @property
    def needed(self) -> str | None:
        """``orchestrator.workflow.use for greeting``."""
        if self.permission is None:
            return None
        return f"{self.permission} for {self.resource}" if self.resource else self.permission

    @classmethod
    def from_exception(cls, error: BaseException) -> Failure:
        if isinstance(error, PermissionDenied):
            return cls(
                error.title,
                clean_text(error.message),
                permission=error.permission,
                resource=error.resource,
                denied=True,
            )
        if isinstance(error, OrchError):
            return cls(error.title, clean_text(error.message))
        detail = clean_text(str(error))
        name = type(error).__name__
        return cls("Unexpected error", f"{name}: {detail}" if detail else name, expected=False)


def permission_lines(failure: Failure) -> list[Static]:
    """The body of a permission panel: the backend's reason, what was needed, what it grants."""
    lines = [Static(Content.styled("The backend said: ", "dim") + Content(failure.message), classes="error-message")]
    if failure.needed is not None:
        needed = Content.styled("Permission needed: ", "dim") + Content(single_line(failure.needed, 200))
        lines.append(Static(needed, classes="permission-needed"))
        grants = GRANTS.get(failure.permission or "")
        if grants:
            lines.append(Static(Content(f"It allows {grants}."), classes="permission-grants"))
    return lines


class ErrorPanel(Vertical):
    """An error shown in place of the content that failed to load; a refusal by the backend's
    permissions shows as a permission panel (class ``permission-panel``)."""

    def __init__(self, failure: Failure, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.failure = failure
        self.set_class(failure.denied, "permission-panel")

    def compose(self) -> ComposeResult:
        failure = self.failure
        if failure.denied:
            yield Static(Content("⊘ ") + Content(failure.title), classes="error-title")
            yield from permission_lines(failure)
            yield Static(Content(PERMISSION_HINT), classes="error-hint")
            return
        yield Static(Content("✖ ") + Content(failure.title), classes="error-title")
        yield Static(Content(failure.message), classes="error-message")
        yield Static(Content("Press r to try again."), classes="error-hint")


class PermissionDialog(ModalScreen[None]):
    """A permission refusal from an action (run, abort, retrigger…) that has no place of its own."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="permission-dialog.close"),
        Binding("enter", "close", "Close", show=False, id="permission-dialog.close-alt"),
    ]

    def __init__(self, failure: Failure) -> None:
        super().__init__(classes="permission-dialog")
        self.failure = failure

    def compose(self) -> ComposeResult:
        with Vertical(id="permission-dialog-box"):
            yield ErrorPanel(self.failure, id="permission-dialog-panel", classes="error-panel")
            yield Button(Content("Close"), id="permission-dialog-close", compact=True)

    def on_mount(self) -> None:
        self.query_one("#permission-dialog-close", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
