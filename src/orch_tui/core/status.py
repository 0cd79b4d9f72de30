"""Status presentation: every status is a glyph and a word, never colour alone."""

from __future__ import annotations

from dataclasses import dataclass

from orch_tui.core.models import RunStatus


@dataclass(frozen=True)
class StatusLook:
    glyph: str
    ascii_glyph: str
    word: str
    style_class: str

    def label(self, ascii_only: bool = False) -> str:
        return f"{self.ascii_glyph if ascii_only else self.glyph} {self.word}"


STATUS_LOOKS: dict[RunStatus, StatusLook] = {
    RunStatus.ACTIVE: StatusLook("●", "*", "Running", "status-active"),
    RunStatus.PENDING: StatusLook("◷", "~", "Pending", "status-pending"),
    RunStatus.SUSPENDED: StatusLook("ǁ", "=", "Suspended", "status-suspended"),
    RunStatus.COMPLETED: StatusLook("✔", "+", "Completed", "status-completed"),
    RunStatus.ERROR: StatusLook("✖", "x", "Failed", "status-error"),
    RunStatus.ABORTED: StatusLook("⊘", "-", "Aborted", "status-aborted"),
    RunStatus.UNKNOWN: StatusLook("?", "?", "Unknown", "status-unknown"),
}

NEVER_RUN = StatusLook("·", ".", "Never run", "status-never")
AVAILABLE = StatusLook("▲", "^", "Available", "availability-up")
UNAVAILABLE = StatusLook("▼", "v", "Unavailable", "availability-down")


def status_look(status: RunStatus | None) -> StatusLook:
    if status is None:
        return NEVER_RUN
    return STATUS_LOOKS[status]


def availability_look(available: bool) -> StatusLook:
    return AVAILABLE if available else UNAVAILABLE
