"""Domain models for what orchestrator backends return.

The shapes follow the Backstage Orchestrator REST API v2 as the real backend
serves it.  Every model tolerates unknown fields and treats missing optional
ones as absent, so a newer or older server does not break the console.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from orch_tui.core.overview import OverviewNames
from orch_tui.core.run_status import RunStatus


class ApiModel(BaseModel):
    """Base for every wire model: unknown fields are kept, names as on the wire."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class PaginationInfo(ApiModel):
    pageSize: int | None = None
    offset: int | None = None
    orderBy: str | None = None
    orderDirection: Literal["ASC", "DESC"] | None = None


class WorkflowAvailability(ApiModel):
    """Result of a workflow service ping (an object in 8.13.2, a boolean in the spec)."""

    isAvailable: bool = False
    statusCode: int | None = None
    urlToFetch: str | None = None
    reason: str | None = None


class WorkflowRunStats(ApiModel):
    successRatio: float | None = None
    runsLastMonth: int | None = None
    successCount: int | None = None
    errorCount: int | None = None
    totalCount: int | None = None
    averageTimeToComplete: float | None = None


class WorkflowOverview(OverviewNames, ApiModel):
    """One row of the workflow list (``WorkflowOverviewDTO``)."""

    workflowId: str
    name: str | None = None
    format: str | None = None
    description: str | None = None
    version: str | None = None
    lastRunId: str | None = None
    lastTriggeredMs: float | None = None
    lastRunStatus: RunStatus | None = None
    isAvailable: bool | None = None
    availability: WorkflowAvailability | None = None
    workflowRunStats: WorkflowRunStats | None = None

    @property
    def available(self) -> bool:
        if self.isAvailable is not None:
            return self.isAvailable
        if self.availability is not None:
            return self.availability.isAvailable
        return True

    @property
    def unavailable_reason(self) -> str | None:
        if self.available:
            return None
        if self.availability is not None:
            parts = [p for p in (self.availability.reason, _status(self.availability.statusCode)) if p]
            if parts:
                return " · ".join(parts)
        return "workflow service is not available"


def _status(code: int | None) -> str | None:
    return f"HTTP {code}" if code else None


class WorkflowOverviewList(ApiModel):
    overviews: list[WorkflowOverview] = Field(default_factory=list)
    paginationInfo: PaginationInfo | None = None


class NodeInstance(ApiModel):
    id: str
    nodeId: str | None = None
    definitionId: str | None = None
    type: str | None = None
    name: str | None = None
    enter: datetime | None = None
    exit: datetime | None = None
    errorMessage: str | None = None
    attempts: int = 1
    """How often the step ran (a failure and its retries); 1 where the backend does not retry steps."""
    detail: Any = None
    """What the step recorded, when the backend has it (orchestrator-core: the state delta of a
    step, the state of a failed one with its error and traceback); the progress tab shows it."""


class ProcessInstanceError(ApiModel):
    nodeDefinitionId: str | None = None
    nodeInstanceId: str | None = None
    message: str | None = None


class WorkflowOutput(ApiModel):
    key: str
    value: str | float | int | bool | None | list[Any] | dict[str, Any] = None
    format: str | None = None


class NextWorkflow(ApiModel):
    id: str
    name: str | None = None


class WorkflowResult(ApiModel):
    message: str | None = None
    outputs: list[WorkflowOutput] = Field(default_factory=list)
    nextWorkflows: list[NextWorkflow] = Field(default_factory=list)
    completedWith: str | None = None


class ProcessInstance(ApiModel):
    """A workflow run (``ProcessInstanceDTO``)."""

    id: str
    processId: str | None = None
    processName: str | None = None
    version: str | None = None
    description: str | None = None
    serviceUrl: str | None = None
    endpoint: str | None = None
    state: RunStatus | None = None
    start: datetime | None = None
    end: datetime | None = None
    duration: str | None = None
    workflowdata: dict[str, Any] | None = None
    initiatorEntity: str | None = None
    targetEntity: str | None = None
    executionSummary: list[str] = Field(default_factory=list)
    nodes: list[NodeInstance] = Field(default_factory=list)
    error: ProcessInstanceError | None = None
    parentInstanceId: str | None = None

    @field_validator("executionSummary", "nodes", mode="before")
    @classmethod
    def _none_is_empty(cls, value: Any) -> Any:
        return [] if value is None else value

    @property
    def key(self) -> str:
        return self.id

    @property
    def status(self) -> RunStatus:
        return self.state or RunStatus.UNKNOWN

    @property
    def workflow_label(self) -> str:
        return self.processName or self.processId or ""

    @property
    def delete_refusal(self) -> str | None:
        """Why the backend would refuse to delete this run (beyond its still going), or None."""
        return None

    @property
    def result(self) -> WorkflowResult | None:
        """The conventional ``workflowdata.result`` block, when it is well formed."""
        raw = (self.workflowdata or {}).get("result")
        if not isinstance(raw, dict):
            return None
        try:
            return WorkflowResult.model_validate(raw)
        except ValueError:
            return None

    def elapsed_seconds(self, now: datetime) -> float | None:
        if self.start is None:
            return None
        end = self.end or now
        return max(0.0, (end - self.start).total_seconds())


class ProcessInstanceList(ApiModel):
    totalCount: int | None = None
    items: list[ProcessInstance] = Field(default_factory=list)
    paginationInfo: PaginationInfo | None = None


class InputSchemaResponse(ApiModel):
    inputSchema: dict[str, Any] | None = None
    data: dict[str, Any] | None = None


class LogLine(ApiModel):
    id: str | None = None
    log: str = ""


class WorkflowLogs(ApiModel):
    instanceId: str | None = None
    logs: list[LogLine] = Field(default_factory=list)


class StatusOption(ApiModel):
    key: str
    value: str


class AuthToken(ApiModel):
    provider: str
    token: str

    def __repr__(self) -> str:  # never show the secret
        return f"AuthToken(provider={self.provider!r}, token='***')"

    __str__ = __repr__


class ExecuteRequest(ApiModel):
    inputData: dict[str, Any] = Field(default_factory=dict)
    authTokens: list[AuthToken] | None = None
    targetEntity: str | None = None


class ExecuteResponse(ApiModel):
    id: str
