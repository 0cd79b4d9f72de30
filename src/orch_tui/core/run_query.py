"""What a runs list asks the backend for: filters, order and page, as one value."""

from __future__ import annotations

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

