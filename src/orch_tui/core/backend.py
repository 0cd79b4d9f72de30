"""The one protocol every orchestrator adapter implements.

Screens and the headless CLI talk only to this.  All methods are async and
raise only :mod:`orch_tui.core.errors` exceptions.  An adapter built read-only raises
:class:`~orch_tui.core.errors.ReadOnly` from ``execute``, ``retrigger``, ``abort`` and
``retry_failed_tasks`` before sending anything.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

from orch_tui.core import errors

if TYPE_CHECKING:
    from orch_tui.core.catalog import CatalogEntity
    from orch_tui.core.engine import EngineState
    from orch_tui.core.entity import EntityRef
    from orch_tui.core.entity_overview import EntityOverview
    from orch_tui.core.filters import SearchRequest
    from orch_tui.core.live import EventStream
    from orch_tui.core.forms import FieldError, FormModel
    from orch_tui.core.forms.dynamic import FormEnvironment, FormResponse, PreparedRequest
    from orch_tui.core.models import (
        AuthToken,
        InputSchemaResponse,
        PaginationInfo,
        ProcessInstance,
        StatusOption,
        WorkflowAvailability,
        WorkflowLogs,
        WorkflowOverview,
    )
    from orch_tui.core.permissions import PermissionDecision, PermissionRequest


@dataclass(frozen=True)
class RunPage:
    """One page of runs: ``total`` is None when the backend did not say."""

    items: list[ProcessInstance] = field(default_factory=list)
    total: int | None = None
    pagination: PaginationInfo | None = None


@dataclass(frozen=True)
class BackendInfo:
    """What the header shows about the connected backend."""

    kind: str
    label: str
    url: str
    demo: bool = False
    read_only: bool = False
    """The adapter refuses every mutating request (execute, retrigger, abort) itself."""
    capabilities: frozenset[str] = frozenset()
    """What the backend offers beyond the common protocol (``CAN_*`` below): screens show or hide
    the matching actions by these, never by ``kind``."""


CAN_RESUME = "resume"
"""A suspended run awaits input: :meth:`Backend.resume_session` opens its form."""
CAN_DELETE = "delete"
"""Some runs can be deleted (:meth:`Backend.delete_run`; which ones: ``run.can_delete``)."""
CAN_PAGED_FORMS = "paged-forms"
"""Start forms may have several pages, each checked by the server before the next one comes."""
CAN_EVENTS = "events"
"""The backend pushes invalidation hints; polling is the fallback."""
CAN_ENGINE = "engine"
"""The backend reports its engine's status (:meth:`Backend.engine_status`): running, pausing or
paused, with counts of runs and tasks per status."""
CAN_TASKS = "tasks"
"""Runs can be tasks (the ``isTask`` filter); failed tasks can be retried together
(:meth:`Backend.retry_failed_tasks`)."""


# -- starting a run: a form session -------------------------------------------------------------


@dataclass(frozen=True)
class StartPage:
    """One page of a start (or resume) form: its schema and what it starts filled with.

    A Backstage form is one page (the input schema); an orchestrator-core form has a page per
    server round trip.  ``schema`` None or empty: the workflow takes no input.
    """

    schema: dict[str, Any] | None
    data: dict[str, Any] | None = None
    title: str = ""
    index: int = 0
    """Position of the page (0 = the first page shown)."""
    has_next: bool | None = False
    """True: another page follows this one (Next submits the page); False: the last page (Run
    submits it after the review); None: the server did not say (treated as the last page, so that
    nothing is sent without a review)."""
    next_text: str | None = None
    """The server's label for the Next button, if it has one."""
    dialect: str | None = None
    labels: Mapping[str, Any] | None = field(default=None, compare=False, repr=False)

    @property
    def empty(self) -> bool:
        return not self.schema

    def model(self, data: dict[str, Any] | None = None) -> FormModel:
        """The page's form model, filled with ``data`` (default: :attr:`data`); SchemaError when
        the schema cannot be read."""
        from orch_tui.core.forms import FormModel
        from orch_tui.core.forms.data import deep_copy

        assert self.schema
        source = data if data is not None else self.data
        if self.dialect is not None:
            return FormModel(self.schema, deep_copy(source) if source else None, dialect=self.dialect, labels=self.labels)
        return FormModel(self.schema, data=source)


@dataclass(frozen=True)
class StartOutcome:
    """What opening a session or submitting a page led to."""

    kind: Literal["page", "invalid", "done"]
    page: StartPage | None = None
    """``page``: the page to show now; ``invalid``: the page the errors belong to."""
    errors: list[FieldError] = field(default_factory=list)
    """``invalid``: the server's errors, by path in the page (``()`` for the page as a whole)."""
    run_id: str | None = None
    """``done``: the run started (or resumed)."""


@runtime_checkable
class StartSession(Protocol):
    """A start (or resume) form in progress: ``open()``, then ``submit()`` each page.

    ``submit`` of the last page starts the run (``done``); of an earlier page, it returns the next
    page or the server's errors (``invalid``).  ``back()`` returns the previous page filled with
    what was entered."""

    title: str
    keeps_drafts: bool
    """Whether the console may keep a draft of the form (one-page forms only)."""

    @property
    def current(self) -> StartPage | None: ...

    @property
    def can_go_back(self) -> bool: ...

    async def open(self) -> StartOutcome: ...

    async def submit(
        self, data: dict[str, Any], *, auth_tokens: list[AuthToken] | None = None
    ) -> StartOutcome: ...

    async def back(self) -> StartPage: ...


class OnePageSession:
    """A form that is one page: ``load`` gives the page, ``run`` starts the run with its payload.

    The Backstage adapter's sessions (the input schema, then ``execute``) and the playground's
    local schema are this."""

    keeps_drafts = True

    def __init__(
        self,
        load: Callable[[], Awaitable[StartPage]],
        run: Callable[[dict[str, Any], list[AuthToken] | None], Awaitable[str]],
        *,
        title: str = "",
    ) -> None:
        self._load = load
        self._run = run
        self.title = title
        self._current: StartPage | None = None

    @classmethod
    def for_backend(
        cls,
        backend: Backend,
        workflow_id: str,
        *,
        initial_data: dict[str, Any] | None = None,
        target_entity: str | None = None,
    ) -> OnePageSession:
        """The workflow's input schema (filled with ``initial_data``, else the data the backend
        sends with it), started with ``backend.execute`` (target entity and tokens passed on)."""

        async def load() -> StartPage:
            response = await backend.get_input_schema(workflow_id)
            data = initial_data if initial_data is not None else response.data
            return StartPage(response.inputSchema or None, data)

        async def run(payload: dict[str, Any], tokens: list[AuthToken] | None) -> str:
            return await backend.execute(workflow_id, payload, target_entity=target_entity, auth_tokens=tokens)

        return cls(load, run, title=workflow_id)

    @property
    def current(self) -> StartPage | None:
        return self._current

    @property
    def can_go_back(self) -> bool:
        return False

    async def open(self) -> StartOutcome:
        self._current = await self._load()
        return StartOutcome("page", self._current)

    async def submit(self, data: dict[str, Any], *, auth_tokens: list[AuthToken] | None = None) -> StartOutcome:
        run_id = await self._run(dict(data), auth_tokens)
        return StartOutcome("done", run_id=run_id)

    async def back(self) -> StartPage:
        raise errors.BadRequest("This form has one page: there is no earlier page to go back to.")


@runtime_checkable
class Backend(Protocol):
    info: BackendInfo

    async def list_workflows(self, request: SearchRequest | None = None) -> list[WorkflowOverview]: ...

    async def list_workflows_for_entity(
        self, target_entity: str, annotation_workflow_ids: list[str]
    ) -> list[WorkflowOverview]: ...

    async def get_workflow(self, workflow_id: str) -> WorkflowOverview: ...

    async def get_source(self, workflow_id: str) -> str: ...

    async def get_input_schema(
        self, workflow_id: str, instance_id: str | None = None
    ) -> InputSchemaResponse: ...

    async def ping(self, workflow_id: str) -> WorkflowAvailability: ...

    async def list_runs(
        self, request: SearchRequest | None = None, *, workflow_id: str | None = None
    ) -> RunPage: ...

    async def get_run(self, run_id: str) -> ProcessInstance: ...

    async def get_logs(self, run_id: str) -> WorkflowLogs: ...

    async def list_statuses(self) -> list[StatusOption]: ...

    async def execute(
        self,
        workflow_id: str,
        input_data: dict[str, Any],
        *,
        target_entity: str | None = None,
        auth_tokens: list[AuthToken] | None = None,
    ) -> str: ...

    async def retrigger(
        self, workflow_id: str, run_id: str, *, auth_tokens: list[AuthToken] | None = None
    ) -> None: ...

    async def abort(self, run_id: str) -> str: ...

    async def start_session(
        self,
        workflow_id: str,
        *,
        initial_data: dict[str, Any] | None = None,
        target_entity: str | None = None,
    ) -> StartSession:
        """The run form of a workflow as a session (nothing is sent to start anything before the
        last page is submitted); ``initial_data`` fills the form ("Run again", links)."""
        ...

    async def resume_session(self, run_id: str) -> StartSession:
        """The form a suspended run awaits (:data:`CAN_RESUME`); submitting its last page resumes
        the run.  Backends without the capability raise BadRequest."""
        ...

    async def delete_run(self, run_id: str) -> None:
        """Delete a run (:data:`CAN_DELETE`); backends without the capability raise BadRequest."""
        ...

    async def engine_status(self) -> EngineState:
        """The engine's state and run counts (:data:`CAN_ENGINE`); backends without the capability
        raise BadRequest."""
        ...

    async def retry_failed_tasks(self) -> int:
        """Retry every failed task; return how many were retried (:data:`CAN_TASKS`).  Backends
        without the capability raise BadRequest; a read-only adapter raises ReadOnly before sending."""
        ...

    async def authorize(self, requests: Sequence[PermissionRequest]) -> list[PermissionDecision]:
        """The caller's decision for each request, in order (a backend without permissions allows all)."""
        ...

    async def get_entity(self, ref: EntityRef) -> CatalogEntity:
        """One catalog entity; :class:`~orch_tui.core.errors.NotFound` when the catalog has none."""
        ...

    async def search_entities(
        self, text: str = "", *, kinds: Sequence[str] = (), limit: int = 50
    ) -> list[CatalogEntity]:
        """Catalog entities whose name, title or owner contain ``text``, of these kinds (any when empty)."""
        ...

    async def entity_overview(self, ref: EntityRef) -> EntityOverview:
        """What the entity detail screen shows about one entity: its facts, its parts (tree), the
        workflows that apply to it (each usable, or blocked with the reason; an overall reason
        blocks all) and notes.  :class:`~orch_tui.core.errors.NotFound` when the backend has no
        such entity and nothing can be said about it."""
        ...

    def form_environment(self) -> FormEnvironment:
        """What the form's dynamic widgets fill ``$${{backend.baseUrl}}`` and ``identityApi`` with."""
        ...

    async def form_request(self, request: PreparedRequest) -> FormResponse:
        """Send a dynamic widget's fetch or validate request; any HTTP status is an answer."""
        ...

    def events(self) -> EventStream | None:
        """A new stream of the backend's live hints (:data:`CAN_EVENTS`, see
        :mod:`orch_tui.core.live`); None when the backend pushes nothing and the console polls."""
        ...

    def set_read_only(self, read_only: bool) -> None:
        """From now on refuse (True) or send again (False) ``execute``, ``retrigger``, ``abort`` and
        every other mutating request; ``info.read_only`` follows."""
        ...

    async def aclose(self) -> None: ...
