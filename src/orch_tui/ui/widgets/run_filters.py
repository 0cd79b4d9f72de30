"""What the runs list asks the server for: filters, sort, page; and the dialog that edits the filters.

The filters are the web UI's: status, started window (today, yesterday, last 7 days, this month,
or a custom range, all sent as ``start BETWEEN``), entity (``variables.targetEntity``) and run by
(``variables.initiatorEntity``).  Days are counted in the timezone of the app's clock (UTC), the
zone every absolute time in the console is shown in.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta, timezone

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, Select, Static

from orch_tui.core.entity import expand_ref
from orch_tui.core.filters import SearchRequest
from orch_tui.core.formatting import single_line
from orch_tui.core.models import RunStatus
from orch_tui.core.run_query import Direction, OrderField, RunQuery, RunView, started_window
from orch_tui.core.status import status_look

STATUS_CHOICES: tuple[RunStatus, ...] = (
    RunStatus.ACTIVE,
    RunStatus.ERROR,
    RunStatus.COMPLETED,
    RunStatus.ABORTED,
    RunStatus.SUSPENDED,
    RunStatus.PENDING,
)

PAGE_SIZES: tuple[int, ...] = (10, 20, 50, 100)
DEFAULT_PAGE_SIZE = 20


class Window(str, enum.Enum):
    """When the runs started."""

    ANY = "any"
    TODAY = "today"
    YESTERDAY = "yesterday"
    LAST_7_DAYS = "last-7-days"
    THIS_MONTH = "this-month"
    CUSTOM = "custom"

    @property
    def label(self) -> str:
        return _WINDOW_LABELS[self]


_WINDOW_LABELS = {
    Window.ANY: "any time",
    Window.TODAY: "today",
    Window.YESTERDAY: "yesterday",
    Window.LAST_7_DAYS: "last 7 days",
    Window.THIS_MONTH: "this month",
    Window.CUSTOM: "custom range",
}


@dataclass(frozen=True)
class SortField:
    key: OrderField
    """``orderBy`` as the server knows it."""
    label: str
    direction: Direction
    """The natural direction: newest first for times, A→Z for names."""


SORT_FIELDS: tuple[SortField, ...] = (
    SortField("start", "started", "DESC"),
    SortField("processName", "workflow", "ASC"),
    SortField("state", "status", "ASC"),
)


_LAST_MS = timedelta(milliseconds=1)


@dataclass(frozen=True)
class RunFilters:
    """Server-side filters of the runs list; ``None`` means "any"."""

    status: RunStatus | None = None
    window: Window = Window.ANY
    since: datetime | None = None
    """Start of a custom range (inclusive)."""
    until: datetime | None = None
    """End of a custom range (inclusive)."""
    entity: str | None = None
    run_by: str | None = None

    @property
    def active(self) -> bool:
        return self != RunFilters()

    def started_range(self, now: datetime) -> tuple[datetime, datetime] | None:
        """The ``start BETWEEN`` bounds for the window, as of ``now``."""
        if self.window in (Window.TODAY, Window.YESTERDAY, Window.LAST_7_DAYS, Window.THIS_MONTH):
            return started_window(self.window.value, now)
        if self.window is Window.CUSTOM and (self.since is not None or self.until is not None):
            since = self.since or datetime(1970, 1, 1, tzinfo=timezone.utc)
            until = self.until or now
            return since, until
        return None

    def describe(self, *, scope: str | None = None) -> Content:
        """``✖ Failed · last 7 days · entity component:default/x`` — data shown literally.

        The ``scope`` entity (the console's entity scope) is not a filter and is left out.
        """
        parts: list[Content] = []
        if self.status is not None:
            parts.append(Content(status_look(self.status).label()))
        if self.window is Window.CUSTOM:
            parts.append(Content(f"started {_day(self.since, '…')} → {_day(self.until, 'now')}"))
        elif self.window is not Window.ANY:
            parts.append(Content(f"started {self.window.label}"))
        if self.entity and self.entity != scope:
            parts.append(Content("entity ") + Content(single_line(self.entity, 60)))
        if self.run_by:
            parts.append(Content("run by ") + Content(single_line(self.run_by, 60)))
        if not parts:
            return Content("none")
        return Content(" · ").join(parts)


def _day(moment: datetime | None, empty: str) -> str:
    if moment is None:
        return empty
    if moment.time() in (time(0), time(23, 59, 59, 999000)):
        return f"{moment:%Y-%m-%d}"
    return f"{moment:%Y-%m-%d %H:%M}"


@dataclass(frozen=True)
class RunListQuery:
    """What the runs list shows: its view, filters, order and page (sent as a core ``RunQuery``).

    A view's statuses and the status filter never contradict each other: choosing a view drops a
    status filter outside it, and a status filter outside the view goes back to every run."""

    filters: RunFilters = field(default_factory=RunFilters)
    view: RunView = RunView.ALL
    sort: SortField = SORT_FIELDS[0]
    direction: Direction = "DESC"
    page_size: int = DEFAULT_PAGE_SIZE
    offset: int = 0

    @property
    def page_number(self) -> int:
        """1-based."""
        return self.offset // self.page_size + 1

    def request(self, now: datetime) -> SearchRequest:
        filters = self.filters
        started = filters.started_range(now)
        return RunQuery(
            statuses=(filters.status,) if filters.status is not None else self.view.statuses,
            tasks_only=self.view.tasks_only,
            entity=filters.entity,
            initiator=filters.run_by,
            started_from=started[0] if started else None,
            started_to=started[1] if started else None,
            order_by=self.sort.key,
            direction=self.direction,
            page_size=self.page_size,
            offset=self.offset,
        ).to_request()

    def with_filters(self, filters: RunFilters) -> RunListQuery:
        view = self.view
        if filters.status is not None and view.statuses and filters.status not in view.statuses:
            view = RunView.ALL
        return replace(self, filters=filters, view=view, offset=0)

    def with_view(self, view: RunView) -> RunListQuery:
        filters = self.filters
        if filters.status is not None and view.statuses and filters.status not in view.statuses:
            filters = replace(filters, status=None)
        return replace(self, filters=filters, view=view, offset=0)

    def next_sort(self) -> RunListQuery:
        index = SORT_FIELDS.index(self.sort) if self.sort in SORT_FIELDS else -1
        sort = SORT_FIELDS[(index + 1) % len(SORT_FIELDS)]
        return replace(self, sort=sort, direction=sort.direction, offset=0)

    def flipped(self) -> RunListQuery:
        return replace(self, direction="ASC" if self.direction == "DESC" else "DESC", offset=0)

    def next_page_size(self) -> RunListQuery:
        sizes = PAGE_SIZES
        index = sizes.index(self.page_size) if self.page_size in sizes else -1
        return replace(self, page_size=sizes[(index + 1) % len(sizes)], offset=0)

    def at_page(self, number: int) -> RunListQuery:
        return replace(self, offset=max(0, number - 1) * self.page_size)

    @property
    def sort_label(self) -> str:
        arrow = "↓" if self.direction == "DESC" else "↑"
        return f"{self.sort.label} {arrow}"


# -- custom range ------------------------------------------------------------------------

_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d")


def parse_moment(text: str, *, end_of_day: bool, tz: timezone = timezone.utc) -> datetime | None:
    """``2026-11-20`` (a whole day) or ``2026-11-20 14:00``; ``None`` when empty.

    Raises ``ValueError`` for anything else.
    """
    value = text.strip()
    if not value:
        return None
    for fmt in _FORMATS:
        try:
            moment = datetime.strptime(value, fmt)
        except ValueError:
            continue
        moment = moment.replace(tzinfo=tz)
        if fmt == "%Y-%m-%d" and end_of_day:
            moment += timedelta(days=1) - _LAST_MS
        return moment
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"not a date: {value!r} (use YYYY-MM-DD or YYYY-MM-DD HH:MM)") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=tz)


# -- the dialog ---------------------------------------------------------------------------

_ANY = "any"


class RunFilterDialog(ModalScreen[RunFilters | None]):
    """Edit the server-side filters; dismissed with the new filters, or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="run-filters.cancel"),
        Binding("ctrl+s", "apply", "Apply", id="run-filters.apply"),
    ]

    def __init__(
        self,
        filters: RunFilters,
        *,
        entities: Iterable[str] = (),
        initiators: Iterable[str] = (),
        show_run_by: bool = True,
        scope: str | None = None,
    ) -> None:
        super().__init__(classes="run-filter-dialog")
        self.filters = filters
        self.entities = sorted(set(entities))
        self.initiators = sorted(set(initiators))
        self.show_run_by = show_run_by
        """The Run by filter is an admin view (``orchestrator.instanceAdminView``)."""
        self.scope = scope
        """The console's entity scope: the entity is fixed, not a filter (as on the web UI's entity tab)."""

    def compose(self) -> ComposeResult:
        filters = self.filters
        with Vertical(id="run-filter-box") as box:
            box.border_title = Content("Filter runs")
            with Grid(id="run-filter-fields"):
                yield Label(Content("Status"), classes="run-filter-label")
                status_options = [("Any status", _ANY)] + [
                    (status_look(status).label(), status.value) for status in STATUS_CHOICES
                ]
                yield Select(
                    status_options,
                    value=filters.status.value if filters.status is not None else _ANY,
                    allow_blank=False,
                    compact=True,
                    id="run-filter-status",
                )
                yield Label(Content("Started"), classes="run-filter-label")
                yield Select(
                    [(window.label.capitalize(), window.value) for window in Window],
                    value=filters.window.value,
                    allow_blank=False,
                    compact=True,
                    id="run-filter-window",
                )
                yield Label(Content("From"), classes="run-filter-label run-filter-range")
                yield Input(
                    _day(filters.since, "") if filters.since else "",
                    placeholder="YYYY-MM-DD [HH:MM] (UTC)",
                    compact=True,
                    id="run-filter-since",
                    classes="run-filter-range",
                )
                yield Label(Content("To"), classes="run-filter-label run-filter-range")
                yield Input(
                    _day(filters.until, "") if filters.until else "",
                    placeholder="YYYY-MM-DD [HH:MM] (UTC)",
                    compact=True,
                    id="run-filter-until",
                    classes="run-filter-range",
                )
                yield Label(Content("Entity"), classes="run-filter-label")
                if self.scope is not None:
                    scope_note = Content(single_line(self.scope, 60)) + Content.styled(" (the entity scope)", "dim")
                    yield Static(scope_note, id="run-filter-scope")
                else:
                    yield Input(
                        filters.entity or "",
                        placeholder="kind:namespace/name",
                        compact=True,
                        suggester=SuggestFromList(self.entities, case_sensitive=False),
                        id="run-filter-entity",
                    )
                if self.show_run_by:
                    yield Label(Content("Run by"), classes="run-filter-label")
                    yield Input(
                        filters.run_by or "",
                        placeholder="user:namespace/name",
                        compact=True,
                        suggester=SuggestFromList(self.initiators, case_sensitive=False),
                        id="run-filter-run-by",
                    )
            yield Static(id="run-filter-error")
            with Horizontal(id="run-filter-buttons"):
                yield Button(Content("Clear"), id="run-filter-clear", compact=True)
                yield Button(Content("Cancel"), id="run-filter-cancel", compact=True)
                yield Button(Content("Apply"), variant="primary", id="run-filter-apply", compact=True)

    def on_mount(self) -> None:
        self._show_range()
        self.query_one("#run-filter-error", Static).display = False
        self.query_one("#run-filter-status", Select).focus()

    def _show_range(self) -> None:
        custom = self.query_one("#run-filter-window", Select).value == Window.CUSTOM.value
        for widget in self.query(".run-filter-range"):
            widget.display = custom

    @on(Select.Changed, "#run-filter-window")
    def _window_changed(self) -> None:
        self._show_range()

    @on(Button.Pressed, "#run-filter-apply")
    @on(Input.Submitted)
    def action_apply(self) -> None:
        try:
            filters = self.read()
        except ValueError as exc:
            error = self.query_one("#run-filter-error", Static)
            error.update(Content(str(exc)))
            error.display = True
            return
        self.dismiss(filters)

    @on(Button.Pressed, "#run-filter-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#run-filter-clear")
    def _clear(self) -> None:
        self.dismiss(RunFilters(entity=self.scope))

    def read(self) -> RunFilters:
        """The filters as entered; ``ValueError`` for a bad date."""
        status_value = self.query_one("#run-filter-status", Select).value
        window = Window(self.query_one("#run-filter-window", Select).value)
        status = RunStatus(status_value) if status_value != _ANY else None
        since = until = None
        if window is Window.CUSTOM:
            since = parse_moment(self.query_one("#run-filter-since", Input).value, end_of_day=False)
            until = parse_moment(self.query_one("#run-filter-until", Input).value, end_of_day=True)
            if since is None and until is None:
                raise ValueError("A custom range needs a start or an end date.")
            if since is not None and until is not None and since > until:
                raise ValueError("The range ends before it starts.")
        if self.scope is not None:
            entity = self.scope
        else:
            entity = expand_ref(self.query_one("#run-filter-entity", Input).value, self.entities)
        run_by = ""
        if self.show_run_by:
            run_by = expand_ref(
                self.query_one("#run-filter-run-by", Input).value, self.initiators, default_kind="user"
            )
        return RunFilters(
            status=status,
            window=window,
            since=since,
            until=until,
            entity=entity or None,
            run_by=run_by or None,
        )
