"""The one-line header: where we are connected, and whether the data is fresh."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Label

from orch_tui.core.backend import CAN_ENGINE
from orch_tui.core.entity import EntityRef, compact_ref
from orch_tui.core.formatting import single_line
from orch_tui.ui.widgets.failure import Failure

from orch_tui.ui.crumbs import screen_crumb

if TYPE_CHECKING:
    from orch_tui.ui.app import OrchApp

MIN_CONTEXT_WIDTH = 12
MIN_SCOPED_CONTEXT_WIDTH = 8
"""With an entity scope the context name gives way first: the scope is what the user works on."""
MIN_SCOPE_WIDTH = 14
CRUMBS_MIN_WIDTH = 100
"""Below this many columns the breadcrumbs give way (each screen still titles itself)."""
ENGINE_ID = "header-engine"
"""The engine badge (backends with ``CAN_ENGINE``) gives way first: its longest text that leaves
the indicator its text and the context (and the scope) their minimum, down to ``⏸ paused``, or
none when not even that fits."""


@dataclass
class LinkState:
    """Freshness of the data on screen: last success, current failure, next retry."""

    last_ok: datetime | None = None
    failure: Failure | None = None
    failures: int = 0
    retry_at: datetime | None = None

    @property
    def stale(self) -> bool:
        return self.failure is not None

    def succeeded(self, now: datetime) -> None:
        self.last_ok = now
        self.failure = None
        self.failures = 0
        self.retry_at = None

    def failed(self, failure: Failure, now: datetime, interval: float) -> float:
        """Record a failure; return how long to wait before retrying: one refresh interval, so
        that data is fresh again within one interval of the backend's return.
        Requests never overlap and a timed-out one has already waited its timeout, so a
        struggling backend sees no more than one request per interval from a screen."""
        self.failure = failure
        self.failures += 1
        delay = max(0.1, interval)
        self.retry_at = now + timedelta(seconds=delay)
        return delay


def updated_ago(seconds: float) -> str:
    """A coarse age, so the header text changes rarely (at most once a minute when idle)."""
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds) // 60}m ago"
    return f"{int(seconds) // 3600}h ago"


def link_text(state: LinkState, now: datetime, width: int | None = None, events: str = "off") -> tuple[str, str]:
    """The indicator's text and the class that styles it.

    When ``width`` is given, a stale message is shortened so the
    retry countdown stays visible.  ``events`` is the state of the backend's change hints
    (``off`` for a backend without them): ``live`` says data arrives as it changes, ``down`` that
    the console polls because the hints stopped.
    """
    if state.failure is not None:
        countdown = ""
        if state.retry_at is not None:
            wait = math.ceil((state.retry_at - now).total_seconds())
            countdown = f" · retry in {wait}s" if wait > 0 else " · retrying…"
        head = "▲ STALE · "
        summary = state.failure.summary
        if width is not None:
            room = max(1, width - len(head) - len(countdown))
            summary = single_line(summary, room)
        return f"{head}{summary}{countdown}", "-stale"
    if state.last_ok is None:
        return "◌ connecting…", "-connecting"
    age = max(0.0, (now - state.last_ok).total_seconds())
    updated = f"updated {updated_ago(age)}"
    if events == "live":
        head = "● live · events · "
    elif events == "down":
        head = "● polling · events down · "
        if width is not None and len(head) + len(updated) > width:
            head = "● polling · "
    else:
        head = "● live · "
    return head + updated, "-live"


def scope_text(scope: EntityRef | None) -> str:
    """``⌖ component:payments-api`` (the default namespace left out); empty without a scope."""
    return f"⌖ {compact_ref(scope.target)}" if scope is not None else ""


class AppHeader(Horizontal):
    """Context, backend, DEMO/RO badges, the entity scope and the live-or-stale indicator."""

    DEFAULT_CSS = """
    AppHeader { height: 1; dock: top; }
    AppHeader > Label { height: 1; }
    """

    def __init__(self) -> None:
        super().__init__(id="app-header")
        self._shown: tuple[str, str] | None = None

    @property
    def orch_app(self) -> OrchApp:
        return cast("OrchApp", self.app)

    def compose(self) -> ComposeResult:
        app = self.orch_app
        info = app.backend.info if app.backend is not None else None
        yield Label(Content("orch-tui"), id="header-app")
        yield Label(id="header-crumbs")
        if info is None:
            context = Content(app.context_name)
        else:
            context = Content.assemble(app.context_name, " · ", info.label, (f" ({info.kind})", "dim"))
        yield Label(context, id="header-context")
        if info is not None and info.demo:
            yield Label(Content("DEMO"), id="header-demo", classes="badge")
        if app.read_only:
            yield Label(Content("RO"), id="header-ro", classes="badge")
        yield Label(Content(scope_text(app.scope)), id="header-scope", classes="badge")
        yield Label(id="header-spacer")
        if info is not None and CAN_ENGINE in info.capabilities:
            engine = Label(id=ENGINE_ID)
            engine.display = False  # until the engine has answered
            yield engine
        yield Label(id="header-link")

    def crumbs(self) -> str:
        """``Workflows › Greeting › Runs``: the places below this header's screen, and it."""
        app = self.orch_app
        stack = app.screen_stack
        screen = self.screen
        upto = stack[: stack.index(screen) + 1] if screen in stack else stack
        names = [crumb for below in upto if (crumb := screen_crumb(app, below))]
        return " › ".join(names) if len(names) > 1 else ""

    def _update_crumbs(self) -> None:
        label = self.query_one("#header-crumbs", Label)
        text = self.crumbs()
        label.update(Content(text))
        label.display = bool(text) and self.size.width >= CRUMBS_MIN_WIDTH

    def on_mount(self) -> None:
        self._update_crumbs()
        self.update_scope(self.orch_app.scope)
        self.update_link()
        self.set_interval(1.0, self._tick)
        self.orch_app.link_changed.subscribe(self, lambda _state: self.update_link())
        self.orch_app.scope_changed.subscribe(self, self.update_scope)
        self.orch_app.engine_changed.subscribe(self, lambda _app: self.update_engine())
        self.orch_app.context_changed.subscribe(self, self.context_changed)

    def _tick(self) -> None:
        # Only the shown screen's header keeps its age current: Textual repaints what changes on
        # the screen below the top one through the top one, so a hidden header would reach the
        # terminal.  The next tick after the screen is shown again catches up.
        if self.screen.is_active:
            self.update_link()

    async def context_changed(self, _context: str) -> None:
        """Another context, or read-only turned on or off: the context and the badges again."""
        await self.recompose()
        if not self.is_attached or not self.query_children("#header-crumbs"):
            return  # its screen closed, or the console is ending, while the context changed
        self._update_crumbs()
        self.update_scope(self.orch_app.scope)
        self.call_after_refresh(self.update_scope, self.orch_app.scope)

    def update_scope(self, scope: EntityRef | None) -> None:
        label = self.query_one("#header-scope", Label)
        label.update(Content(scope_text(scope)))
        label.display = scope is not None
        self._shown = None
        self.update_link()

    def on_resize(self) -> None:
        self._update_crumbs()
        self._shown = None
        self.update_link()

    def _scoped(self) -> bool:
        return self.orch_app.scope is not None

    def _link_width(self) -> int | None:
        """Cells the indicator may use, leaving the context (and the scope) at least a few."""
        if not self.size.width:
            return None
        others = MIN_SCOPED_CONTEXT_WIDTH + MIN_SCOPE_WIDTH + 1 if self._scoped() else MIN_CONTEXT_WIDTH
        return max(20, self.size.width - self._fixed_width() - self._engine_min_cells() - others - 2)

    def _fixed_width(self) -> int:
        """Cells taken by the app name and the DEMO/RO badges."""
        flexible = ("header-link", "header-context", "header-spacer", "header-scope", ENGINE_ID)
        return sum(
            label.outer_size.width + label.styles.margin.width
            for label in self.query(Label)
            if label.id not in flexible
        )

    def update_link(self) -> None:
        labels = self.query("#header-link")
        if not labels:
            return  # not composed yet, or being removed with its screen
        app = self.orch_app
        shown = link_text(app.link, app.clock(), self._link_width(), app.live.state)
        if shown == self._shown:
            return
        self._shown = shown
        text, css_class = shown
        label = labels.first(Label)
        label.update(Content(text))
        label.set_classes(css_class)
        if self.size.width:
            # The scope and the context get what the indicator leaves (it has 1 cell of padding each side).
            room = self.size.width - self._fixed_width() - (len(text) + 2)
            room -= self._place_engine(room)
            minimum = MIN_CONTEXT_WIDTH
            if self._scoped():
                scope = self.query_one("#header-scope", Label)
                wanted = len(scope_text(self.orch_app.scope)) + 2  # padding
                width = max(MIN_SCOPE_WIDTH, min(wanted, room - MIN_SCOPED_CONTEXT_WIDTH - 1))
                scope.styles.max_width = width
                room -= width + 1  # its margin
                minimum = MIN_SCOPED_CONTEXT_WIDTH
            self.query_one("#header-context", Label).styles.max_width = max(minimum, room)

    # -- the engine badge ----------------------------------------------------

    def update_engine(self) -> None:
        """The engine's state was fetched again (or could not be): show it (a hidden screen's
        header at its next tick once shown)."""
        self._shown = None
        if not self.screen.is_current:
            return
        if not self.size.width:
            self._place_engine(None)
        self.update_link()

    def _engine_texts(self) -> list[str]:
        from orch_tui.ui.engine import engine_texts

        app = self.orch_app
        return engine_texts(app.engine, app.engine_failure)

    def _engine_min_cells(self) -> int:
        """Cells the badge's shortest text takes (with its padding): the indicator leaves it that
        much when it can; 0 without a badge."""
        texts = self._engine_texts() if self.query(f"#{ENGINE_ID}") else []
        return len(texts[-1]) + 2 if texts else 0

    def _place_engine(self, room: int | None) -> int:
        """Show the longest badge text that leaves the context (and the scope) their minimum in
        ``room`` cells (None: the longest), or none; return the cells it takes."""
        labels = self.query(f"#{ENGINE_ID}")
        if not labels:
            return 0
        from orch_tui.ui.engine import engine_class

        app = self.orch_app
        label = labels.first(Label)
        texts = self._engine_texts()
        if not texts:
            label.display = False
            return 0
        text = texts[0]
        if room is not None:
            reserve = MIN_SCOPED_CONTEXT_WIDTH + MIN_SCOPE_WIDTH + 1 if self._scoped() else MIN_CONTEXT_WIDTH
            fitting = [candidate for candidate in texts if len(candidate) + 2 <= room - reserve]
            if not fitting:
                label.display = False
                return 0
            text = fitting[0]
        label.update(Content(text))
        label.set_classes(engine_class(app.engine, app.engine_failure))
        label.display = True
        return len(text) + 2
