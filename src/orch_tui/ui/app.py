"""The Textual application: owns the backend, the freshness state, the entity scope, what is known
of the user's permissions, and error routing."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

from textual import events, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.filter import LineFilter
from textual.screen import ModalScreen, Screen
from textual.signal import Signal
from textual.worker import Worker, WorkerState

from orch_tui.core.backend import CAN_ENGINE, Backend, BackendInfo
from orch_tui.core.entity import EntityRef
from orch_tui.core.errors import OrchError
from orch_tui.core.formatting import utcnow
from orch_tui.core.pending import PendingBackend
from orch_tui.core.permissions import WORKFLOW_USE, PermissionRequest, PermissionSet, console_requests
from orch_tui.resources import first_stylesheets
from orch_tui.ui.commands import OrchCommands
from orch_tui.ui.widgets.failure import Failure, PermissionDialog
from orch_tui.ui.widgets.header import LinkState

MUTATING_BINDINGS = frozenset({
    "workflows.run", "detail.run", "execute.run", "run.abort", "run.run-again", "run.retrigger", "run-next.choose",
    "runs.retry-tasks", "entity.run",
})
"""Keys that start, stop or resume runs (by binding id): never offered in a read-only context."""
SCOPE_ACTIONS = frozenset({"command_line", "pick_entity", "clear_scope", "history_back", "history_forward"})

if TYPE_CHECKING:
    from pydantic import SecretStr

    from orch_tui.core.config import Overrides, ResolvedContext
    from orch_tui.core.deeplink import DeepLink
    from orch_tui.core.drafts import DraftStore
    from orch_tui.core.engine import EngineState
    from orch_tui.core.http import RequestRecord
    from orch_tui.core.models import WorkflowOverview
    from orch_tui.core.recent import RecentEntities
    from orch_tui.core.run_query import RunView
    from orch_tui.core.start_snapshot import StartSnapshot

HISTORY_SIZE = 50

CONNECT_AT_LATEST = 0.5
"""Seconds after start by which the first screen counts as painted even if it did not say so
(see :meth:`OrchApp.first_screen_painted`)."""

INPUT_QUIET = 0.1
"""Seconds without a key or a click before the backend behind a start snapshot is built."""

CONNECT_WAIT_MAX = 1.0
"""Seconds after the first screen by which that build starts, keys or not."""

BUILD_SWITCH_INTERVAL = 0.001
"""The interpreter's thread switch interval while the backend is built in a thread (5 ms by
default): the event loop waits at most this long for the thread to let it run."""

log = logging.getLogger(__name__)


@runtime_checkable
class FailureHandler(Protocol):
    """A screen or widget that shows its own workers' failures (stale marker, error panel)."""

    def handle_failure(self, worker: Worker[Any], failure: Failure) -> bool: ...


class OrchApp(App[None]):
    """Terminal console for a workflow orchestrator."""

    TITLE = "orch-tui"
    CSS_PATH: ClassVar[list[str]] = [str(path) for path in first_stylesheets()]  # type: ignore[misc]
    """The first screen's stylesheets; the others come with :meth:`load_all_styles`."""
    COMMANDS = App.COMMANDS | {OrchCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="app.quit"),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("colon", "command_line", ":command", show=False, id="app.command-line"),
        Binding("e", "pick_entity", "Entity", show=False, id="app.pick-entity"),
        Binding("0", "clear_scope", "Clear entity scope", show=False, id="app.clear-scope"),
        Binding("at", "api_log", "API log", show=False, id="app.api-log"),
        Binding("left_square_bracket", "history_back", "History back", show=False, id="app.history-back"),
        Binding("right_square_bracket", "history_forward", "History forward", show=False, id="app.history-forward"),
        # [ and ] page the runs list: these work there too.
        Binding("alt+left", "history_back", "History back", show=False, id="app.history-back-alt"),
        Binding("alt+right", "history_forward", "History forward", show=False, id="app.history-forward-alt"),
    ]

    def __init__(
        self,
        backend: Backend | None,
        *,
        context_name: str = "demo",
        read_only: bool = False,
        refresh_interval: float = 5.0,
        clock: Callable[[], datetime] = utcnow,
        drafts: DraftStore | None = None,
        provider_tokens: Mapping[str, SecretStr] | None = None,
        deep_link: DeepLink | None = None,
        entity: EntityRef | None = None,
        recent_entities: RecentEntities | None = None,
        keymap: Mapping[str, str] | None = None,
        ascii_only: bool = False,
        context_overrides: Overrides | None = None,
        theme_name: str | None = None,
        connect: Callable[[], tuple[ResolvedContext, Backend, Overrides]] | None = None,
        remembered: StartSnapshot | None = None,
        remember: Callable[[BackendInfo, Sequence[Any]], object] | None = None,
    ) -> None:
        super().__init__()
        self.connect = connect
        """How the backend is built when ``backend`` is a :class:`PendingBackend`: called in a thread
        once the first screen is painted and no key came for a moment; it returns the resolved
        context, the backend, and the command line's overrides for every context."""
        self.remembered = remembered
        """The start snapshot the first screen shows until the backend answers, or None."""
        self.remember = remember
        """Keeps the first screen's list for the next start (the start snapshot), or None."""
        self._remembered_once = False
        self._connecting = False
        self._last_input = 0.0
        """When the last key or click came (monotonic seconds)."""
        import gc

        self._resume_gc = not gc.isenabled()
        """Start-up paused the garbage collector (``orch-tui`` does, until the first list is
        painted: start-up makes tens of thousands of objects that live as long as the process, and
        collections would walk them again and again)."""
        self._all_styles = False
        self.theme_name = theme_name
        """The theme asked for (``--theme``, ``ORCH_TUI_THEME``, the config's ``theme``), applied at start."""
        self.ascii_only = ascii_only
        """Draw glyphs, arrows and box lines in ASCII (``--ascii``)."""
        from orch_tui.ui.terminal import AsciiFilter

        self._ascii_filter = AsciiFilter(enabled=ascii_only)
        self.keymap_overrides: dict[str, str] = {}
        """The config's ``[keymap]`` entries in force: binding id → keys."""
        self.keymap_problems: list[str] = []
        """Binding ids of the config's ``[keymap]`` that were ignored (unknown, or no keys)."""
        if keymap:
            from orch_tui.ui.keymap import split_keymap

            valid, self.keymap_problems = split_keymap(dict(keymap))
            self.keymap_overrides = valid
            self.set_keymap(valid)
        self.scope: EntityRef | None = entity
        """The entity the console is scoped to (its workflows, its runs), or None."""
        self.scope_changed: Signal[EntityRef | None] = Signal(self, "scope-changed")
        self.recent_entities = recent_entities
        """Where recently scoped entities are remembered; None remembers none."""
        self.permissions = PermissionSet()
        """The user's permission decisions known so far; what is unknown is allowed (optimistic)."""
        self.permissions_changed: Signal[PermissionSet] = Signal(self, "permissions-changed")
        self.deep_link = deep_link
        """A web UI link to open once the console is up (``orch-tui open URL``)."""
        self.provider_tokens: Mapping[str, SecretStr] = dict(provider_tokens or {})
        """Sign-in tokens per provider, sent as ``authTokens`` to workflows that ask for them."""
        self.drafts = drafts
        """Where run-form drafts are kept; None keeps none."""
        self.backend = backend
        self.context_name = context_name
        self.read_only = read_only or (backend is not None and backend.info.read_only)
        """No run is started, aborted or retriggered: those actions are not offered (and the
        adapter of a read-only context, or of a session made read-only, refuses them)."""
        self.configured_read_only = self.read_only
        """The context is read-only by its configuration (or ``--readonly``): the session cannot be
        made writable."""
        self.context_overrides = context_overrides
        """The command line's settings that hold in every context switched to (``--readonly``,
        ``--refresh``)."""
        self._start_context = context_name
        self._start_scope = entity
        self.context_changed: Signal[str] = Signal(self, "context-changed")
        """Another context, or read-only turned on or off: the headers show it again."""
        self._switching: str | None = None
        self.refresh_interval = refresh_interval
        self.clock = clock
        self.link = LinkState()
        self.link_changed: Signal[LinkState] = Signal(self, "link-changed")
        self.engine: EngineState | None = None
        """The engine's state as last fetched (backends with ``CAN_ENGINE``), or None."""
        self.engine_failure: Failure | None = None
        """Why the last fetch of the engine's state failed, or None."""
        self.engine_changed: Signal[OrchApp] = Signal(self, "engine-changed")
        self.workflows: dict[str, WorkflowOverview] = {}
        """The latest workflow list, for the palette and for opening details quickly."""
        from orch_tui.ui.screens.api_log import ApiLog

        self.forward: list[Callable[[], Screen[Any]]] = []
        """Screens gone back from (``[``), re-opened by ``]``: the last one first."""
        self._reopening = False
        self.api_log = ApiLog()
        """The last requests made to the backend (method, path, status, latency; never a token)."""
        self.api_request: Signal[Any] = Signal(self, "api-request")
        from orch_tui.ui.live import LiveUpdates

        self.live = LiveUpdates(self)
        """The backend's change hints, followed while the app runs (backends that push them)."""
        add_listener = getattr(backend, "add_listener", None)
        if callable(add_listener):
            add_listener(self._api_request)

    def load_all_styles(self) -> None:
        """Read the stylesheets of the screens after the first (once): the first screen is shown
        before they are parsed, and any other screen after."""
        if self._all_styles:
            return
        self._all_styles = True
        from orch_tui.resources import later_stylesheets

        for path in later_stylesheets():
            self.stylesheet.read(path)
        # parse(), not reparse(): reparse() parses into a new stylesheet and keeps only its rules,
        # so the next parse (the next widget class with its own CSS, e.g. the first loading
        # indicator) would parse every sheet read here again, on the event loop.
        self.stylesheet.parse()
        self.stylesheet.update(self)

    def get_default_screen(self) -> Screen[Any]:
        from orch_tui.ui.screens.workflows import WorkflowListScreen

        return WorkflowListScreen()

    def get_line_filters(self) -> Sequence[LineFilter]:
        filters = list(super().get_line_filters())
        if self._ascii_filter.enabled:
            filters.append(self._ascii_filter)
        return filters

    def on_resize(self, event: events.Resize) -> None:
        self.check_size(event.size.width, event.size.height)

    def check_size(self, width: int, height: int) -> None:
        """Below 80×24 a screen says so (over everything); back at 80×24 or more it goes."""
        from orch_tui.ui.terminal import TooSmallScreen, too_small

        showing = isinstance(self.screen, TooSmallScreen)
        if too_small(width, height) and not showing:
            self.push_screen(TooSmallScreen(id="too-small"))
        elif showing and not too_small(width, height):
            self.pop_screen()

    def on_mount(self) -> None:
        self.call_after_refresh(lambda: self.check_size(*self.size))
        self._apply_theme()
        if self.keymap_problems:
            ignored = ", ".join(self.keymap_problems)
            log.warning("[keymap] ignores unknown binding ids (or empty keys): %s", ignored)
            self.notify(
                f"[keymap] in the config file: unknown binding id (or no keys), ignored: {ignored}. "
                "The ids are in ? help and docs/keybindings.md.",
                title="Key overrides", severity="warning", timeout=10, markup=False,
            )
        if self.scope is not None and self.recent_entities is not None:
            self.recent_entities.add(self.context_name, self.scope)
        # The first screen says when its list is painted; should it not, this does.
        self.set_timer(CONNECT_AT_LATEST, self.first_screen_painted)
        if self.backend is not None and not isinstance(self.backend, PendingBackend):
            # Asked once the first screen is painted: the permissions only grey out keys.
            self.call_after_refresh(self.ensure_permissions, ())
            self.refresh_engine()
            self.live.start()
        if self.deep_link is not None:
            from orch_tui.ui.deeplink import open_link

            open_link(self, self.deep_link)

    def _apply_theme(self) -> None:
        """Use the theme asked for; an unknown name is said, with the names there are."""
        name = self.theme_name
        if not name:
            return
        if name in self.available_themes:
            self.theme = name
            return
        known = ", ".join(sorted(self.available_themes))
        log.warning("unknown theme %r; themes: %s", name, known)
        self.notify(f"Unknown theme {name!r}; the themes are: {known}.", title="Theme",
                    severity="warning", timeout=10, markup=False)

    def first_screen_painted(self) -> None:
        """The first screen's list is on screen (or the first moment has passed): the garbage
        collector runs again if start-up paused it, over the objects made from now on, and the
        backend behind a start snapshot is built."""
        if self._resume_gc:
            import gc

            self._resume_gc = False
            gc.freeze()
            gc.enable()
        if isinstance(self.backend, PendingBackend) and self.connect is not None and not self._connecting:
            self._connecting = True
            self._last_input = max(self._last_input, time.monotonic())
            self._connect_when_quiet(time.monotonic() + CONNECT_WAIT_MAX)

    def _connect_when_quiet(self, deadline: float) -> None:
        """Build the backend once no key or click came for :data:`INPUT_QUIET` (or by ``deadline``):
        the build takes the interpreter from the event loop about half the time while it runs, so
        it waits for a moment the user is not typing."""
        now = time.monotonic()
        wait = self._last_input + INPUT_QUIET - now
        if wait > 0 and now < deadline:
            self.set_timer(min(wait, deadline - now), lambda: self._connect_when_quiet(deadline))
            return
        assert self.connect is not None
        self._connect_pending(self.connect)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown)):
            self._last_input = time.monotonic()
        await super().on_event(event)

    @work(group="connect", exit_on_error=False, description="Connecting to the backend")
    async def _connect_pending(self, connect: Callable[[], tuple[ResolvedContext, Backend, Overrides]]) -> None:
        """Build the backend the start snapshot stands in for, then use it; when it cannot be
        built, the console ends with the reason, as it would have before starting.

        It is built in a thread while the list is already in use; so that keys are still handled
        at once, the interpreter hands the thread's lock back to the event loop more often
        meanwhile."""
        import asyncio
        import sys

        pending = self.backend
        assert isinstance(pending, PendingBackend)
        interval = sys.getswitchinterval()
        sys.setswitchinterval(min(interval, BUILD_SWITCH_INTERVAL))
        try:
            context, backend, overrides = await asyncio.to_thread(connect)
        except Exception as exc:
            from rich.text import Text

            from orch_tui.core.errors import ConfigError
            from orch_tui.core.formatting import clean_text

            failure = Failure.from_exception(exc)
            if not failure.expected:
                log.error("building the backend crashed", exc_info=exc)
            if pending.settled:  # another context was switched to meanwhile: this one is let go
                log.warning("the start context failed after switching away: %s", failure.summary)
                return
            pending.fail(exc)
            text = exc.message if isinstance(exc, ConfigError) else failure.summary
            self.exit(return_code=2 if isinstance(exc, ConfigError) else 1,
                      message=Text(f"orch-tui: {clean_text(text)}"))
            return
        finally:
            sys.setswitchinterval(interval)
        if self.backend is not pending:
            await self._close_backend(backend)  # another context was switched to meanwhile
            return
        self.backend = backend
        self.context_overrides = overrides
        self.provider_tokens = dict(context.provider_tokens)
        self.configured_read_only = context.config.read_only or backend.info.read_only
        pending.resolve(backend)  # passes on the API log's listener and a read-only toggled meanwhile
        self.context_changed.publish(self.context_name)
        for screen in self.screen_stack:
            screen.refresh_bindings()
        self._backend_changed()

    async def on_unmount(self) -> None:
        self._remember_list(final=True)
        await self.live.stop()
        if self.backend is None:
            return
        try:
            await self.backend.aclose()
        except Exception:  # closing must never turn a clean quit into a crash
            log.exception("closing the backend failed")

    # -- shared state ------------------------------------------------------

    def _api_request(self, record: RequestRecord) -> None:
        """An adapter made a request: keep it for the API log."""
        if threading.get_ident() != self._thread_id:
            self.call_from_thread(self._api_request, record)
            return
        entry = self.api_log.add(self.clock(), record)
        self.api_request.publish(entry)

    def action_api_log(self) -> None:
        from orch_tui.ui.screens.api_log import ApiLogScreen

        if isinstance(self.screen, ApiLogScreen):
            return
        self.push_screen(ApiLogScreen(id="api-log"))

    def workflows_loaded(self, workflows: list[WorkflowOverview]) -> None:
        self.workflows = {workflow.key: workflow for workflow in workflows}
        self.call_after_refresh(self.ensure_permissions, self.workflows)
        if not self._remembered_once:
            self._remembered_once = True
            self._remember_list(final=False)

    @property
    def as_started(self) -> bool:
        """The console shows the context and entity scope it started with (what the start snapshot
        keeps)."""
        return self.context_name == self._start_context and self.scope == self._start_scope

    def _remember_list(self, *, final: bool) -> None:
        """Keep the first screen's list for the next start (the start snapshot): the first list
        loaded, and the last one at exit; only while the console shows what it started with (the
        same context and entity scope)."""
        remember = self.remember
        if remember is None or not self.workflows or isinstance(self.backend, PendingBackend):
            return
        if not self.as_started or self.backend is None:
            return
        info, rows = self.backend.info, list(self.workflows.values())
        if final:
            remember(info, rows)
        else:
            self.run_worker(lambda: remember(info, rows), thread=True, group="remember",
                            exit_on_error=False, description="Remembering the workflow list")

    # -- permissions -------------------------------------------------------

    def ensure_permissions(self, workflow_ids: Collection[str]) -> None:
        """Ask the backend about the admin views and running these workflows, unless known."""
        missing = self.permissions.missing(console_requests(workflow_ids))
        if missing and self.backend is not None:
            self._authorize(missing)

    @work(group="permissions", exit_on_error=False, description="Asking the permission backend")
    async def _authorize(self, requests: list[PermissionRequest]) -> None:
        """A permission check that fails is logged and leaves the decisions unknown (allowed, as the
        web UI is optimistic): the backend still refuses what is not permitted, and that refusal
        is what the user is shown."""
        assert self.backend is not None
        try:
            decisions = await self.backend.authorize(requests)
        except OrchError as exc:
            log.warning("permission check failed: %s", exc.summary)
            return
        self.permissions.record(decisions)
        self.permissions_changed.publish(self.permissions)

    def reload_permissions(self) -> None:
        """Forget what is known and ask again (an explicit refresh)."""
        self.permissions.clear()
        self.ensure_permissions(self.workflows)

    def run_denied(self, workflow_id: str | None) -> str | None:
        """Why the permissions say the user may not run (retrigger, abort) this workflow, or None."""
        return self.permissions.denial(WORKFLOW_USE, workflow_id) if workflow_id else None

    # -- entity scope ------------------------------------------------------

    def set_scope(self, ref: EntityRef | None) -> None:
        """Scope the console to an entity (None: to every entity) and show its workflows."""
        if ref is not None and self.recent_entities is not None:
            self.recent_entities.add(self.context_name, ref)
        changed = ref != self.scope
        self.scope = ref
        while len(self.screen_stack) > 1 and not self._is_root(self.screen):
            self.pop_screen()
        if changed:
            self.forward.clear()  # the places gone back from were the other scope's
            self.scope_changed.publish(ref)
            self.notify(
                f"Scoped to {ref.target}: its workflows and runs." if ref else "Scope cleared: every entity.",
                markup=False,
            )

    def action_clear_scope(self) -> None:
        if self.scope is None:
            self.notify("No entity scope to clear.", markup=False)
            return
        self.set_scope(None)

    def action_pick_entity(self) -> None:
        from orch_tui.ui.screens.entity_picker import EntityPickerScreen

        if isinstance(self.screen, EntityPickerScreen):
            return
        recent = self.recent_entities.load(self.context_name) if self.recent_entities is not None else []
        self.push_screen(EntityPickerScreen(recent), self._entity_picked)

    def _entity_picked(self, ref: EntityRef | None) -> None:
        if ref is not None:
            self.set_scope(ref)

    def action_command_line(self) -> None:
        from orch_tui.ui.screens.command_line import CommandLine

        if isinstance(self.screen, CommandLine):
            return
        self.push_screen(CommandLine())

    def poll_interval(self) -> float:
        """Seconds between two polls of a screen: the refresh interval, or a slow safety net while
        the backend's change hints arrive."""
        return self.live.poll_interval(self.refresh_interval)

    # -- the engine (backends with CAN_ENGINE) -------------------------------

    @property
    def capabilities(self) -> frozenset[str]:
        """What the backend offers beyond the common protocol (``CAN_*``)."""
        return self.backend.info.capabilities if self.backend is not None else frozenset()

    def refresh_engine(self) -> None:
        """Fetch the engine's state again (at start, on a refresh, after retrying tasks)."""
        if CAN_ENGINE in self.capabilities:
            self._fetch_engine()

    @work(exclusive=True, group="engine", exit_on_error=False, description="Fetching the engine status")
    async def _fetch_engine(self) -> None:
        """A failure is logged and shown as an unknown engine in the header, never a crash."""
        assert self.backend is not None
        try:
            engine = await self.backend.engine_status()
        except OrchError as exc:
            log.warning("engine status not available: %s", exc.summary)
            self.engine_failure = Failure.from_exception(exc)
        else:
            self.engine = engine
            self.engine_failure = None
        self.engine_changed.publish(self)

    def link_succeeded(self) -> None:
        was_stale = self.link.stale
        self.link.succeeded(self.clock())
        self.link_changed.publish(self.link)
        if was_stale:
            self.notify("Backend reachable again.", title="Recovered", markup=False)

    def link_failed(self, failure: Failure) -> float:
        """Mark the data stale; return the delay before the next retry."""
        delay = self.link.failed(failure, self.clock(), self.refresh_interval)
        self.link_changed.publish(self.link)
        return delay

    # -- contexts and read-only ---------------------------------------------

    def switch_context(self, name: str) -> None:
        """Connect to another context (of the config file, or the built-in demo) in place.

        The new backend is built as at start-up and must answer its workflow list; then the old
        one is closed and the console starts over at the new context's workflow list.  When
        anything fails on the way, nothing changes and the reason is shown."""
        from orch_tui.core.formatting import single_line

        shown = single_line(name, 60)
        if name == self.context_name:
            self.notify(f"Already on context {shown}.", markup=False)
            return
        if self._switching is not None:
            self.notify(
                f"Already switching to {single_line(self._switching, 60)}.", severity="warning", markup=False
            )
            return
        self._switching = name
        self.notify(f"Connecting to {shown}…", timeout=3, markup=False)
        self._switch_context(name)

    @work(group="context-switch", exit_on_error=False, description="Switching context")
    async def _switch_context(self, name: str) -> None:
        try:
            connected = await self._connect(name)
            if connected is not None:
                await self._adopt(*connected)
        finally:
            self._switching = None

    async def _connect(self, name: str) -> tuple[ResolvedContext, Backend] | None:
        """The context resolved, its backend built and answering; None (the reason shown) when
        the context is unknown, its configuration or token cannot be read, or it does not answer."""
        import asyncio
        from dataclasses import replace

        from orch_tui.core.config import Overrides, resolve_context
        from orch_tui.core.connect import make_backend
        from orch_tui.core.formatting import single_line

        overrides = replace(self.context_overrides or Overrides(), context=name)
        backend: Backend | None = None
        try:
            # A token_command may take its time: never on the event loop.
            context = await asyncio.to_thread(resolve_context, overrides)
            backend = make_backend(context)
            await backend.list_workflows()
        except Exception as exc:
            if backend is not None:
                await self._close_backend(backend)
            failure = Failure.from_exception(exc)
            if failure.expected:
                log.warning("switching to context %r failed: %s", name, failure.summary)
            else:
                log.error("switching to context %r crashed", name, exc_info=exc)
            self.notify(
                f"{failure.summary}\nStill on {single_line(self.context_name, 60)}.",
                title=f"Could not switch to {single_line(name, 60)}",
                severity="error", timeout=10, markup=False,
            )
            return None
        except BaseException:
            if backend is not None:
                await self._close_backend(backend)
            raise
        return context, backend

    async def _adopt(self, context: ResolvedContext, backend: Backend) -> None:
        """Make a connected context the console's: back to the workflow list, which starts over
        with the new backend's workflows; the history and what was learnt from the old backend are
        forgotten, and the old backend is closed."""
        from orch_tui.core.formatting import single_line
        from orch_tui.ui.screens.api_log import ApiLog

        old = self.backend
        await self.live.stop()
        for worker in list(self.workers):
            if worker.node is self and worker.group != "context-switch":
                worker.cancel()  # the app's own fetches (permissions, …) are the old backend's
        while len(self.screen_stack) > 1:
            await self.pop_screen()
        self.workers.cancel_node(self.screen)  # what the workflow list is fetching is the old backend's
        self.backend = backend
        self.context_name = context.name
        self.read_only = self.configured_read_only = context.config.read_only or backend.info.read_only
        self.refresh_interval = context.config.refresh_interval
        self.provider_tokens = dict(context.provider_tokens)
        self.scope = None
        self.deep_link = None
        self.workflows = {}
        self.permissions.clear()
        self.link = LinkState()
        self.api_log = ApiLog()
        add_listener = getattr(backend, "add_listener", None)
        if callable(add_listener):
            add_listener(self._api_request)
        self.forward.clear()
        # The workflow list starts over: unscoped, in the new context.
        self.scope_changed.publish(None)
        self.permissions_changed.publish(self.permissions)
        self.context_changed.publish(self.context_name)
        if isinstance(old, PendingBackend) and not old.settled:
            from orch_tui.core.pending import NotConnected

            old.fail(NotConnected(f"Switched to {self.context_name} before connecting."))
        if old is not None:
            await self._close_backend(old)
        self._backend_changed()
        self.call_after_refresh(lambda: self.check_size(*self.size))
        self.notify(f"Switched to {single_line(self.context_name, 60)}.", markup=False)

    def _backend_changed(self) -> None:
        """The backend was replaced: what follows it starts again, on the new one."""
        self.ensure_permissions(())
        self.engine = None
        self.engine_failure = None
        self.refresh_engine()
        self.live.start()

    async def _close_backend(self, backend: Backend) -> None:
        try:
            await backend.aclose()
        except Exception:  # a backend that cannot close cleanly is let go all the same
            log.exception("closing the backend failed")

    def set_read_only(self, read_only: bool) -> bool:
        """Turn the session read-only, or writable again unless the context is configured
        read-only; the keys, footer, palette, help and the adapter itself follow.  False (and the
        reason shown) when refused."""
        if not read_only and self.configured_read_only:
            self.notify(
                "This context is configured read-only (read_only = true, ORCH_TUI_READ_ONLY or "
                "--readonly): it stays read-only.",
                title="Still read-only", severity="warning", timeout=8, markup=False,
            )
            return False
        if read_only != self.read_only:
            self.read_only = read_only
            if self.backend is not None:
                self.backend.set_read_only(read_only)
            self.context_changed.publish(self.context_name)
            # What may be done changed: every screen shows its actions again.
            self.permissions_changed.publish(self.permissions)
            for screen in self.screen_stack:
                screen.refresh_bindings()
        self.notify(
            "Read-only: runs are not started, aborted or retriggered from here." if read_only
            else "Read-only off: runs can be started, aborted and retriggered again.",
            markup=False,
        )
        return True

    def action_toggle_read_only(self) -> None:
        self.set_read_only(not self.read_only)

    # -- navigation --------------------------------------------------------

    def open_workflow(self, workflow_id: str) -> None:
        from orch_tui.ui.screens.workflow_detail import WorkflowDetailScreen

        while len(self.screen_stack) > 1 and not self._is_root(self.screen):
            self.pop_screen()
        self.push_screen(WorkflowDetailScreen(workflow_id, self.workflows.get(workflow_id)))
        self.ensure_permissions([workflow_id])

    def open_execute(
        self,
        workflow_id: str,
        *,
        initial_data: dict[str, Any] | None = None,
        target_entity: str | None = None,
        prefilled_paths: Collection[str] = frozenset(),
    ) -> None:
        """Open the run form of a workflow on top of the current screen.

        A run started from an entity scope is a run for that entity (as the web UI's entity tab
        sends ``targetEntity``), unless a target entity is given.
        """
        from orch_tui.ui.screens.execute import ExecuteScreen

        if target_entity is None and self.scope is not None:
            target_entity = self.scope.target
        self.push_screen(
            ExecuteScreen(
                workflow_id,
                initial_data=initial_data,
                target_entity=target_entity,
                prefilled_paths=set(prefilled_paths),
            )
        )
        self.ensure_permissions([workflow_id])

    def open_runs(
        self, workflow_id: str | None = None, *, entity: str | None = None, view: RunView | None = None
    ) -> None:
        """Open the runs list: of every workflow, or of one; of the scope's entity (else of every
        entity, or of ``entity`` as a filter); in a view (active, completed, tasks) if given."""
        from orch_tui.ui.screens.runs import RunListScreen
        from orch_tui.ui.widgets.run_filters import RunFilters

        workflow = self.workflows.get(workflow_id) if workflow_id is not None else None
        scope = self.scope.target if self.scope is not None else None
        screen = RunListScreen(workflow_id, workflow.display_name if workflow is not None else None, scope=scope)
        if entity is not None and scope is None:
            screen.query_state = screen.query_state.with_filters(RunFilters(entity=entity))
        if view is not None:
            screen.query_state = screen.query_state.with_view(view)
        self.push_screen(screen)

    def open_run(self, run_id: str) -> None:
        """Open one run on top of the current screen."""
        from orch_tui.ui.screens.run_detail import RunDetailScreen

        self.push_screen(RunDetailScreen(run_id))

    # -- history: [ back, ] forward -----------------------------------------

    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        """Every screen opened by the user (not by ``]``) starts a new history: forward is forgotten."""
        self.load_all_styles()
        if not self._reopening and not isinstance(screen, (str, ModalScreen)):
            self.forward.clear()
        return super().push_screen(screen, *args, **kwargs)

    def pop_screen(self) -> Any:
        """Popping a place (not a dialog) remembers how to re-open it, for ``]``."""
        reopen = reopener(self.screen) if len(self.screen_stack) > 1 else None
        result = super().pop_screen()
        if reopen is not None:
            self.forward.append(reopen)
            del self.forward[:-HISTORY_SIZE]
        return result

    def action_history_back(self) -> None:
        if len(self.screen_stack) <= 1:
            self.notify("Nothing to go back to.", markup=False)
            return
        back = getattr(self.screen, "action_back", None)
        if callable(back):
            back()  # the screen's own way back (it may stop a poller first)
        else:
            self.pop_screen()

    def action_history_forward(self) -> None:
        if not self.forward:
            self.notify("Nothing to go forward to.", markup=False)
            return
        reopen = self.forward.pop()
        self._reopening = True
        try:
            self.push_screen(reopen())
        finally:
            self._reopening = False

    def breadcrumbs(self) -> list[str]:
        """Where the user is: ``Workflows › Greeting › Runs › 1a2b3c4d``."""
        from orch_tui.ui.crumbs import screen_crumb

        return [crumb for screen in self.screen_stack if (crumb := screen_crumb(self, screen))]

    def go_root(self) -> None:
        """Back to the workflow list (the first screen)."""
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def link_mismatch(self, link: DeepLink) -> str | None:
        """Why a web UI link cannot be opened in this console (it is another context's), or None."""
        if link.origin is None:
            return None  # a path alone: the current context's
        from orch_tui.core.config import ContextConfig
        from orch_tui.core.deeplink import LinkError, context_for_link

        info = self.backend.info if self.backend is not None else None
        elsewhere = (
            f"This link is for {link.origin}{link.base_path}, not the current context "
            f"{self.context_name}: open it with  orch-tui open URL  (its host picks the context)."
        )
        if info is None or info.demo:
            return elsewhere
        try:
            context_for_link(link, {self.context_name: ContextConfig(name=self.context_name, url=info.url)})
        except LinkError:
            return elsewhere
        return None

    def _is_root(self, screen: Screen[Any]) -> bool:
        return screen is self.screen_stack[0]

    def action_help(self) -> None:
        from orch_tui.ui.screens.execute import ExecuteScreen
        from orch_tui.ui.screens.help import HelpScreen, KeySection
        from orch_tui.ui.screens.run_detail import RunDetailScreen
        from orch_tui.ui.screens.runs import RunListScreen
        from orch_tui.ui.screens.workflow_detail import WorkflowDetailScreen
        from orch_tui.ui.screens.workflows import WorkflowListScreen
        from orch_tui.ui.widgets.run_results import LinkTable, NextWorkflowTable
        from orch_tui.ui.widgets.run_table import RunTable
        from orch_tui.ui.widgets.workflow_table import WorkflowTable

        if isinstance(self.screen, HelpScreen):
            return
        # The run screens' keys are listed when help is asked for from one of them.
        run_sections: list[KeySection] = []
        if isinstance(self.screen, (RunListScreen, RunDetailScreen)):
            run_sections = [
                ("Runs", [*RunTable.BINDINGS, *RunListScreen.BINDINGS]),
                ("Run detail", [*RunDetailScreen.BINDINGS, *LinkTable.BINDINGS, *NextWorkflowTable.BINDINGS]),
            ]
        from orch_tui.ui.screens.entity_detail import EntityDetailScreen, WorkflowChoices

        if isinstance(self.screen, EntityDetailScreen):
            entity_keys = [*WorkflowChoices.BINDINGS, *RunTable.BINDINGS, *EntityDetailScreen.BINDINGS]
            run_sections = [("Entity detail", entity_keys)]
        sections: list[KeySection] = [
            ("Everywhere", [*self.BINDINGS, self._palette_binding()]),
            *run_sections,
            ("Workflow list", [*WorkflowTable.BINDINGS, *WorkflowListScreen.BINDINGS]),
            ("Workflow detail", WorkflowDetailScreen.BINDINGS),
            ("Run form", ExecuteScreen.BINDINGS),
            ("Help", HelpScreen.BINDINGS),
        ]
        notes: list[str] = []
        if self.read_only:
            sections = [(title, self.offered(bindings)) for title, bindings in sections]
            notes.append("Read-only context (RO): runs are never started, aborted or retriggered from here.")
        if self.scope is not None:
            notes.append(f"Scoped to {self.scope.target}: its workflows and runs. 0 clears the scope, e picks another.")
        self.push_screen(HelpScreen(sections, notes))

    def offered(self, bindings: Any) -> list[Binding]:
        """The bindings a read-only context offers: none that starts, stops or resumes a run."""
        made = Binding.make_bindings(bindings)
        return [b for b in made if not (self.read_only and b.id in MUTATING_BINDINGS)]

    def _palette_binding(self) -> Binding:
        return Binding(self.COMMAND_PALETTE_BINDING, "command_palette", "Command palette")

    def action_refresh(self) -> None:
        refresh = getattr(self.screen, "action_refresh", None) or getattr(self.screen, "action_reload", None)
        if callable(refresh):
            refresh()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.screen_stack and self.screen.id == "too-small" and action != "quit":
            return False
        if action in SCOPE_ACTIONS and not getattr(self.screen, "SCOPE_KEYS", False):
            # Not over a run form or a dialog: there the keys are the form's.
            return False
        if action == "clear_scope":
            return self.scope is not None
        return True

    # -- the one place worker failures are handled -------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.worker_state_changed(event)

    def worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Every worker failure, from any screen, ends up here."""
        if event.state is not WorkerState.ERROR:
            return
        worker = event.worker
        error = worker.error
        if error is None:
            return
        failure = Failure.from_exception(error)
        if failure.expected:
            log.warning("%s failed: %s", worker.description or worker.name, failure.summary)
        else:
            log.error("%s crashed", worker.description or worker.name, exc_info=error)
        node = worker.node
        handled = isinstance(node, FailureHandler) and node.is_attached and node.handle_failure(worker, failure)
        if handled and failure.expected:
            return
        if failure.denied and not isinstance(self.screen, PermissionDialog):
            # A refusal nobody showed in place: the permission panel, never a bare toast.
            self.push_screen(PermissionDialog(failure))
            return
        self.notify(failure.message, title=failure.title, severity="error", timeout=8, markup=False)


def reopener(screen: Screen[Any]) -> Callable[[], Screen[Any]] | None:
    """How to open a place again for ``]``: a workflow, a runs list, a run; None for the rest
    (a run form keeps what was typed as a draft, dialogs and help are not places)."""
    from orch_tui.ui.screens.entity_detail import EntityDetailScreen
    from orch_tui.ui.screens.run_detail import RunDetailScreen
    from orch_tui.ui.screens.runs import RunListScreen
    from orch_tui.ui.screens.workflow_detail import WorkflowDetailScreen

    if isinstance(screen, WorkflowDetailScreen):
        workflow_id = screen.workflow_id
        return lambda: WorkflowDetailScreen(workflow_id)
    if isinstance(screen, RunListScreen):
        workflow_id, name, scope, query = screen.workflow_id, screen.workflow_name, screen.scope, screen.query_state

        def runs() -> Screen[Any]:
            again = RunListScreen(workflow_id, name, scope=scope)
            again.query_state = query
            return again

        return runs
    if isinstance(screen, RunDetailScreen):
        run_id = screen.run_id
        return lambda: RunDetailScreen(run_id)
    if isinstance(screen, EntityDetailScreen):
        ref = screen.ref
        return lambda: EntityDetailScreen(ref)
    return None

