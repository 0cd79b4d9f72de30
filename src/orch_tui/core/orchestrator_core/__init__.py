"""The orchestrator-core (SURF Workflow Orchestrator) backend: adapter, forms, events.

* :class:`CoreBackend` implements :class:`~orch_tui.core.backend.Backend` (kind ``core``) and
  adds what orchestrator-core has beyond it (form sessions, subscriptions, engine status,
  retry, delete, live events);
* :class:`FormSession` walks the 510 paged-form protocol for starting a workflow or resuming a
  suspended process;
* :class:`CoreEvents` is the websocket event stream.
"""

from __future__ import annotations

from orch_tui.core.orchestrator_core.adapter import CoreBackend
from orch_tui.core.orchestrator_core.events import Connected, CoreEvents, Disconnected, Invalidation
from orch_tui.core.orchestrator_core.forms import FormOutcome, FormPage, FormReply, FormSession
from orch_tui.core.orchestrator_core.models import (
    ApplicableWorkflow,
    ApplicableWorkflows,
    CoreRun,
    CoreWorkflow,
    EngineStatus,
    ProductBlock,
    Step,
    StepGroup,
    SubscriptionDetail,
    SubscriptionPage,
    SubscriptionSummary,
)

__all__ = [
    "ApplicableWorkflow",
    "ApplicableWorkflows",
    "Connected",
    "CoreBackend",
    "CoreEvents",
    "CoreRun",
    "CoreWorkflow",
    "Disconnected",
    "EngineStatus",
    "FormOutcome",
    "FormPage",
    "FormReply",
    "FormSession",
    "Invalidation",
    "ProductBlock",
    "Step",
    "StepGroup",
    "SubscriptionDetail",
    "SubscriptionPage",
    "SubscriptionSummary",
]
