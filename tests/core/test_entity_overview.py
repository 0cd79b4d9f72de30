"""BackstageBackend.entity_overview and the catalog mapping: facts, relations, workflows, notes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from orch_tui.core.backend import Backend
from orch_tui.core.catalog import EntityLookup, entity_from_json
from orch_tui.core.entity import parse_entity_ref
from orch_tui.core.entity_overview import EntityWorkflow, catalog_overview, value_text
from orch_tui.core.models import WorkflowAvailability, WorkflowOverview


def facts(overview: Any) -> dict[str, str]:
    return {fact.label: fact.value for fact in overview.facts}


async def test_a_catalog_entity_from_the_demo(make_demo_backend: Callable[..., Backend]) -> None:
    backend = make_demo_backend()
    ref = parse_entity_ref("component:payments-api")
    overview = await backend.entity_overview(ref)
    await backend.aclose()

    assert overview.ref == ref and overview.title == "Payments API" and overview.kind == "Component"
    shown = facts(overview)
    assert shown == {
        "Kind": "Component", "Namespace": "default", "Name": "payments-api", "Title": "Payments API",
        "Owner": "group:default/payments", "Type": "service", "Lifecycle": "production",
        "Description": "Takes payments for the shop.",
        "Workflows annotation": '["greeting", "provision-environment", "flaky-deploy"]',
    }
    assert overview.parts_label == "Relations"
    [owned] = overview.parts
    assert owned.label == "ownedBy" and [child.label for child in owned.children] == ["group:default/payments"]
    ids = [wf.workflow_id for wf in overview.workflows]
    # The annotated workflows and those that already ran for the entity.
    assert {"greeting", "provision-environment", "flaky-deploy", "data-migration"} <= set(ids)
    assert all(wf.usable and wf.target is None for wf in overview.workflows)
    assert overview.reason is None and overview.notes == ()


async def test_an_unreadable_annotation_and_an_unknown_entity_are_notes(
    make_demo_backend: Callable[..., Backend],
) -> None:
    backend = make_demo_backend()
    checkout = await backend.entity_overview(parse_entity_ref("component:checkout-web"))
    nobody = await backend.entity_overview(parse_entity_ref("component:nobody-knows"))
    await backend.aclose()

    assert "is not a valid JSON array of workflow ids" in checkout.notes[0]
    assert checkout.notes[-1] == "Listed: the workflows that already ran for it."
    assert checkout.workflows and all(wf.usable for wf in checkout.workflows)  # those that ran for it

    assert nobody.title == "nobody-knows" and nobody.notes[0] == "component:default/nobody-knows is not in the catalog."
    assert facts(nobody) == {"Kind": "component", "Namespace": "default", "Name": "nobody-knows"}
    assert nobody.parts == () and nobody.workflows == ()


def test_unavailable_and_unknown_workflows_are_blocked_with_the_reason() -> None:
    entity = entity_from_json({
        "apiVersion": "backstage.io/v1alpha1",
        "kind": "Resource",
        "metadata": {
            "name": "orders-db", "namespace": "shop", "tags": ["data", "postgres"],
            "annotations": {"orchestrator.io/workflows": '["legacy-sync", "not-deployed"]'},
        },
        "spec": {"owner": "group:default/data", "type": "database", "system": "shop"},
        "relations": [
            {"type": "ownedBy", "targetRef": "group:default/data"},
            {"type": "partOf", "targetRef": "system:shop/shop"},
            {"type": "partOf", "target": {"kind": "domain", "namespace": "default", "name": "sales"}},
            {"type": "partOf", "targetRef": "system:shop/shop"},
        ],
    })
    assert entity is not None
    down = WorkflowOverview(
        workflowId="legacy-sync", name="Legacy CMDB sync", description="Synchronises the CMDB.",
        isAvailable=False,
        availability=WorkflowAvailability(isAvailable=False, statusCode=503, reason="Service Unavailable"),
    )
    overview = catalog_overview(EntityLookup(entity.ref, entity), [down])

    shown = facts(overview)
    assert shown["Tags"] == "data, postgres" and shown["System"] == "shop" and shown["Namespace"] == "shop"
    assert "Lifecycle" not in shown and "Description" not in shown  # nothing said, nothing shown
    assert [(part.label, [child.label for child in part.children]) for part in overview.parts] == [
        ("ownedBy", ["group:default/data"]),
        ("partOf", ["system:shop/shop", "domain:default/sales"]),
    ]
    legacy, missing = overview.workflows
    assert legacy == EntityWorkflow(
        "legacy-sync", "Legacy CMDB sync", "Synchronises the CMDB.",
        reason="the workflow is unavailable: Service Unavailable · HTTP 503",
    )
    assert missing.workflow_id == "not-deployed" and not missing.usable
    assert "annotation names it, but the orchestrator has no such workflow" in (missing.reason or "")
    assert overview.usable_workflows == []


def test_values_as_text() -> None:
    assert value_text(None) == "—" and value_text("") == "—"
    assert value_text(True) == "yes" and value_text(False) == "no"
    assert value_text(3) == "3" and value_text({"a": [1, "x"]}) == '{"a": [1, "x"]}'
    assert value_text("x" * 5000) == "x" * 5000  # kept whole: the screen cuts it and shows it whole on v
