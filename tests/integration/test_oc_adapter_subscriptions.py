"""orch-tui's orchestrator-core adapter against the real server: subscriptions and live events."""

from __future__ import annotations

import asyncio

import pytest

from orch_tui.core.entity import EntityRef
from orch_tui.core.orchestrator_core import CoreBackend, Invalidation
from orch_tui.core.orchestrator_core.events import Connected

from .conftest import CREATE, MODIFY, NAP_TASK, TERMINATE, VALIDATE, Core
from .test_oc_adapter_forms import settle

pytestmark = pytest.mark.integration


async def test_applicable_workflows_detail_and_processes(backend: CoreBackend, new_subscription: str) -> None:
    applicable = await backend.subscription_workflows(new_subscription)
    assert {wf.name for wf in applicable.allowed} == {MODIFY, TERMINATE, VALIDATE}
    [create] = applicable.by_target("create")
    assert create.name == CREATE and create.reason == "subscription.no_modify_invalid_status"

    detail = await backend.get_subscription(new_subscription)
    assert detail.status == "active" and detail.product is not None and detail.product.product_type == "LabNode"
    assert detail.blocks[0].name == "LabNodeBlock" and detail.blocks[0].values["portCount"] == 12
    assert [p.workflow_name for p in detail.processes] == [CREATE]
    runs = await backend.subscription_runs(new_subscription)
    assert [run.id for run in runs.items] == [p.process_id for p in detail.processes]

    listed = await backend.list_subscriptions(filters={"subscriptionId": new_subscription})
    assert [s.subscription_id for s in listed.items] == [new_subscription]


async def test_entity_overview_of_a_subscription(backend: CoreBackend, new_subscription: str) -> None:
    overview = await backend.entity_overview(EntityRef.of("subscription", "default", new_subscription))
    assert overview.ref.name == new_subscription and overview.kind == "Subscription"
    facts = {fact.label: fact.value for fact in overview.facts}
    assert facts["Status"] == "active" and facts["In sync"] == "yes" and facts["ID"] == new_subscription
    assert overview.parts[0].label == "LabNodeBlock"
    assert ("portCount", "12") in [(fact.label, fact.value) for fact in overview.parts[0].facts]
    assert {wf.workflow_id for wf in overview.usable_workflows} == {MODIFY, TERMINATE, VALIDATE}
    [create] = [wf for wf in overview.workflows if wf.workflow_id == CREATE]
    assert create.reason_key == "subscription.no_modify_invalid_status" and create.reason
    assert overview.reason is None and overview.notes == ()


async def test_a_websocket_invalidation_arrives_after_a_change(backend: CoreBackend, core: Core) -> None:
    events = backend.events(max_attempts=3)
    stream = events.__aiter__()
    first = await asyncio.wait_for(stream.__anext__(), 10)
    assert isinstance(first, Connected)
    process_id = core.start(NAP_TASK, [{"seconds": 0}])
    seen: list[object] = []

    async def until_process() -> None:
        while True:
            event = await stream.__anext__()
            seen.append(event)
            if isinstance(event, Invalidation) and event.run_id == process_id:
                return

    await asyncio.wait_for(until_process(), 20)
    assert Invalidation("runs", "LIST") in seen
    await events.aclose()
    await stream.aclose()
    await settle(backend, process_id, {"completed"})
