"""What went wrong, in words a user can act on, and the panel that shows it."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from orch_tui.core.errors import OrchError
from orch_tui.core.formatting import clean_text, single_line


@dataclass(frozen=True)
class Failure:
    """A failed backend call, reduced to what the user is shown."""

    title: str
    message: str
    expected: bool = True
    """False for exceptions that are bugs rather than backend trouble."""

    @property
    def summary(self) -> str:
        first = self.message.strip().splitlines()[0] if self.message.strip() else ""
        return single_line(f"{self.title}: {first}" if first else self.title)

    @classmethod
    def from_exception(cls, error: BaseException) -> Failure:
        if isinstance(error, OrchError):
            return cls(error.title, clean_text(error.message))
        detail = clean_text(str(error))
        name = type(error).__name__
        return cls("Unexpected error", f"{name}: {detail}" if detail else name, expected=False)


class ErrorPanel(Vertical):
    """An error shown in place of the content that failed to load."""

    def __init__(self, failure: Failure, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.failure = failure

    def compose(self) -> ComposeResult:
        yield Static(Content("✖ ") + Content(self.failure.title), classes="error-title")
        yield Static(Content(self.failure.message), classes="error-message")
        yield Static(Content("Press r to try again."), classes="error-hint")
