"""The one protocol every orchestrator adapter implements.

Screens and the headless CLI talk only to this.  All methods are async and
raise only :mod:`orch_tui.core.errors` exceptions.  An adapter built read-only raises
:class:`~orch_tui.core.errors.ReadOnly` from ``execute``, ``retrigger`` and ``abort`` before
sending anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from orch_tui.core.catalog import CatalogEntity
from orch_tui.core.entity import EntityRef
from orch_tui.core.filters import SearchRequest
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

    def form_environment(self) -> FormEnvironment:
        """What the form's dynamic widgets fill ``$${{backend.baseUrl}}`` and ``identityApi`` with."""
        ...

    async def form_request(self, request: PreparedRequest) -> FormResponse:
        """Send a dynamic widget's fetch or validate request; any HTTP status is an answer."""
        ...

    async def aclose(self) -> None: ...
