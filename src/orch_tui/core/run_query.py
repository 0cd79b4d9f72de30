"""What a runs list asks the backend for: filters, order and page, as one value."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta, tzinfo
from typing import Literal

from orch_tui.core.filters import Filter, SearchRequest, all_of, between, eq, field, in_, nested, page
from orch_tui.core.models import RunStatus

OrderField = Literal["start", "processName", "state"]
Direction = Literal["ASC", "DESC"]

STATUS_ALIASES: dict[str, RunStatus] = {
    "active": RunStatus.ACTIVE,
    "running": RunStatus.ACTIVE,
    "error": RunStatus.ERROR,
    "failed": RunStatus.ERROR,
    "completed": RunStatus.COMPLETED,
    "succeeded": RunStatus.COMPLETED,
    "aborted": RunStatus.ABORTED,
    "suspended": RunStatus.SUSPENDED,
    "pending": RunStatus.PENDING,
}

WINDOWS = ("today", "yesterday", "last-7-days", "this-month")

TASK_FIELD = "isTask"
"""The filter field of runs that are tasks (backends with ``CAN_TASKS``)."""


class RunView(str, enum.Enum):
    """Presets of a runs list, as the orchestrator-ui tabs: every run, the active ones (neither
    completed nor aborted), the completed ones (completed or aborted), the tasks."""

    ALL = "all"
    ACTIVE = "active"
    COMPLETED = "completed"
    TASKS = "tasks"

    @property
    def statuses(self) -> tuple[RunStatus, ...]:
        """The statuses the view keeps (empty: any)."""
        return _VIEW_STATUSES.get(self, ())

    @property
    def tasks_only(self) -> bool:
        return self is RunView.TASKS

    @property
    def label(self) -> str:
        return _VIEW_LABELS[self]


_VIEW_STATUSES: dict[RunView, tuple[RunStatus, ...]] = {
    RunView.ACTIVE: (RunStatus.ACTIVE, RunStatus.ERROR, RunStatus.SUSPENDED, RunStatus.PENDING),
    RunView.COMPLETED: (RunStatus.COMPLETED, RunStatus.ABORTED),
}
_VIEW_LABELS = {RunView.ALL: "All", RunView.ACTIVE: "Active", RunView.COMPLETED: "Completed", RunView.TASKS: "Tasks"}


def parse_status(text: str) -> RunStatus:
    """``failed``, ``ERROR``, ``running``… → the status; ValueError names the accepted words."""
    status = STATUS_ALIASES.get(text.strip().lower())
    if status is None:
        accepted = ", ".join(sorted(STATUS_ALIASES))
        raise ValueError(f"unknown status {text!r} (one of: {accepted})")
    return status


def started_window(name: str, now: datetime, tz: tzinfo | None = None) -> tuple[datetime, datetime]:
    """The web UI's "Started" choices as a [from, to] range in the given zone (default: now's)."""
    local = now.astimezone(tz) if tz is not None else now
    midnight = datetime.combine(local.date(), time.min, tzinfo=local.tzinfo)
    if name == "today":
        return midnight, local
    if name == "yesterday":
        return midnight - timedelta(days=1), midnight - timedelta(milliseconds=1)
    if name == "last-7-days":
        return local - timedelta(days=7), local
    if name == "this-month":
        return midnight.replace(day=1), local
    raise ValueError(f"unknown window {name!r} (one of: {', '.join(WINDOWS)})")


@dataclass(frozen=True)
class RunQuery:
    workflow_id: str | None = None
    statuses: tuple[RunStatus, ...] = ()
    entity: str | None = None
    initiator: str | None = None
    started_from: datetime | None = None
    started_to: datetime | None = None
    order_by: OrderField = "start"
    direction: Direction = "DESC"
    page_size: int = 20
    offset: int = 0
    tasks_only: bool = False
    """Only runs that are tasks (:data:`TASK_FIELD`)."""

    def filters(self) -> Filter | None:
        state: Filter | None = None
        if len(self.statuses) == 1:
            state = eq("state", self.statuses[0])
        elif self.statuses:
            state = in_("state", list(self.statuses))
        window: Filter | None = None
        if self.started_from is not None and self.started_to is not None:
            window = between("start", self.started_from, self.started_to)
        elif self.started_from is not None:
            window = field("start", "GTE", self.started_from)
        elif self.started_to is not None:
            window = field("start", "LTE", self.started_to)
        return all_of(
            eq("processId", self.workflow_id) if self.workflow_id else None,
            state,
            window,
            nested("variables.targetEntity", "EQ", self.entity) if self.entity else None,
            nested("variables.initiatorEntity", "EQ", self.initiator) if self.initiator else None,
            eq(TASK_FIELD, True) if self.tasks_only else None,
        )

    def to_request(self) -> SearchRequest:
        return SearchRequest(
            filters=self.filters(),
            paginationInfo=page(size=self.page_size, offset=self.offset, order_by=self.order_by, direction=self.direction),
        )

    def next_page(self) -> RunQuery:
        return replace(self, offset=self.offset + self.page_size)

    def previous_page(self) -> RunQuery:
        return replace(self, offset=max(0, self.offset - self.page_size))

