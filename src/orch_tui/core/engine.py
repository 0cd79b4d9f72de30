"""What an orchestrator's engine is doing: running, pausing or paused, and its runs by status.

Backends that report it have :data:`~orch_tui.core.backend.CAN_ENGINE`; the header shows it as a
badge and ``orch-tui engine`` prints it.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from orch_tui.core.models import ApiModel

RUNNING = "running"
PAUSING = "pausing"
PAUSED = "paused"
ENGINE_STATES = (RUNNING, PAUSING, PAUSED)


class EngineState(ApiModel):
    """The engine's state word (:data:`ENGINE_STATES`), a short label, and counts of runs."""

    state: str = RUNNING
    """``running``; ``pausing`` (no new work is taken, some runs still run); ``paused``."""
    label: str = ""
    """One short sentence: the state and what it means for the user."""
    running: int | None = None
    """Runs a worker executes now, when the backend says."""
    run_counts: dict[str, int] = Field(default_factory=dict)
    """Runs (tasks left out when the backend has them) per status, in the backend's words."""
    task_counts: dict[str, int] = Field(default_factory=dict)
    """Tasks per status, in the backend's words (empty without tasks)."""
    failed_tasks: int = 0
    """Tasks that failed and can be retried together."""

    @property
    def accepts_changes(self) -> bool:
        """Runs may be started and resumed."""
        return self.state == RUNNING

    def to_json(self) -> dict[str, Any]:
        """The generic fields only (what ``orch-tui engine --json`` prints)."""
        return {
            "state": self.state,
            "label": self.label,
            "running": self.running,
            "runs": dict(self.run_counts),
            "tasks": dict(self.task_counts),
            "failedTasks": self.failed_tasks,
        }
