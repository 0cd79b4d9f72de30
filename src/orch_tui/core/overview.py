"""What a workflow overview derives from its fields, for the wire model and a remembered row alike."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from orch_tui.core.formatting import epoch_ms


class OverviewNames:
    """``key``, ``display_name`` and ``last_triggered`` of anything with a workflow overview's
    ``workflowId``, ``name`` and ``lastTriggeredMs``."""

    if TYPE_CHECKING:  # the fields are the subclass's (a model's fields keep their order)
        workflowId: str
        name: str | None
        lastTriggeredMs: float | None

    @property
    def key(self) -> str:
        return self.workflowId

    @property
    def display_name(self) -> str:
        return self.name or self.workflowId

    @property
    def last_triggered(self) -> datetime | None:
        """When the workflow last ran; ``lastTriggeredMs == 0`` means never."""
        return epoch_ms(self.lastTriggeredMs)
