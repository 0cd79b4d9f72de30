"""CoreBackend.entity_overview: a subscription's facts, block tree and workflows (recorded exchanges)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from orch_tui.core import errors
from orch_tui.core.entity import EntityRef
from orch_tui.core.orchestrator_core import CoreBackend
from orch_tui.core.orchestrator_core.adapter import block_tree
from orch_tui.core.orchestrator_core.overview import block_part, reason_sentence

from .conftest import URL, request_of
from .replay import replay

SUBSCRIPTION = "9c0d27b7-5191-432f-98dd-f5bf67eda190"
REF = EntityRef.of("subscription", "default", SUBSCRIPTION)


def facts(overview: Any) -> dict[str, str]:
    return {fact.label: fact.value for fact in overview.facts}


async def test_an_active_subscription(core: Any, rec: Any) -> None:
    backend, handler = core("subscriptions/detail", "subscriptions/workflows_active")
    assert request_of(rec, "subscriptions/detail")["body"]["variables"]["id"] == SUBSCRIPTION
    overview = await backend.entity_overview(REF)

    assert overview.ref == REF and overview.kind == "Subscription"
    assert overview.title == "Lab node rec-72e6dc (access, 4 ports)"
    shown = facts(overview)
    assert shown["Kind"] == "Subscription" and shown["Status"] == "active" and shown["In sync"] == "yes"
    assert shown["Product"] == "Lab Node (LAB, LabNode)"
    assert shown["Customer"] == "Default::Orchestrator-Core Customer (21f5c444-0f29-4bdb-95f6-05e474c3d627)"
    assert shown["Start date"] == "2026-11-22 18:27:41 UTC" and shown["End date"] == "—"
    assert shown["Description"] == "Lab node rec-72e6dc (access, 4 ports)" and shown["Note"] == "—"
    assert shown["Version"] == "4" and shown["ID"] == SUBSCRIPTION

    assert overview.parts_label == "Product blocks"
    [block] = overview.parts
    assert block.label == "LabNodeBlock" and block.children == ()
    assert {fact.label: fact.value for fact in block.facts} == {
        "label": "—", "hostname": "rec-72e6dc", "role": "access", "portCount": "4", "notes": "line one\nline two",
    }

    assert [(wf.workflow_id, wf.name, wf.target) for wf in overview.workflows] == [
        ("create_lab_node", "Create lab node", "create"),
        ("modify_lab_node", "Change lab node (needs approval)", "modify"),
        ("terminate_lab_node", "Terminate lab node", "terminate"),
        ("validate_lab_node", "Validate lab node", "validate"),
    ]
    create = overview.workflows[0]
    assert not create.usable and create.reason_key == "subscription.no_modify_invalid_status"
    assert create.reason == "this workflow cannot run for a subscription that is active"
    assert create.reason_text == f"{create.reason} (subscription.no_modify_invalid_status)"
    assert overview.reason is None and overview.blocked(create) == create.reason_text
    assert [wf.workflow_id for wf in overview.usable_workflows] == [
        "modify_lab_node", "terminate_lab_node", "validate_lab_node"]
    assert overview.notes == ()
    assert [key["path"] for key in handler.sent] == ["/graphql", f"/subscriptions/workflows/{SUBSCRIPTION}"]


async def test_a_subscription_out_of_sync_blocks_every_workflow(core: Any) -> None:
    backend, _ = core("subscriptions/detail", "workflows/subscription_workflows_locked")
    overview = await backend.entity_overview(REF)
    assert overview.reason_key == "subscription.not_in_sync"
    assert overview.reason is not None and "not in sync" in overview.reason
    assert overview.reason_text == f"{overview.reason} (subscription.not_in_sync)"
    assert overview.usable_workflows == []
    assert all(overview.blocked(wf) == overview.reason_text for wf in overview.workflows)


async def test_the_status_the_server_judged_by_words_the_reason(core: Any) -> None:
    backend, _ = core("subscriptions/detail", "subscriptions/workflows_terminated")
    overview = await backend.entity_overview(REF)
    reasons = {wf.workflow_id: wf.reason for wf in overview.workflows}
    assert reasons["modify_lab_node"] == "the subscription is terminated; this workflow needs it active"
    assert reasons["terminate_lab_node"] == "the subscription is terminated; this workflow needs it active or provisioning"
    assert reasons["create_lab_node"] == "this workflow cannot run for a subscription that is terminated"


async def test_workflows_that_cannot_be_asked_leave_a_note(core: Any, rec: Any) -> None:
    failing = copy.deepcopy(rec["subscriptions"]["workflows_active"])
    failing[0]["response"] = {"status": 500, "headers": {"content-type": "application/json"},
                              "body": {"detail": "database is down"}}
    transport, _ = replay(rec["subscriptions"]["detail"], failing)
    backend = CoreBackend(URL, transport=transport, retries=0)
    overview = await backend.entity_overview(REF)
    assert overview.workflows == () and overview.reason is None
    [note] = overview.notes
    assert note.startswith("The workflows of this subscription could not be asked:") and "database is down" in note
    assert facts(overview)["Status"] == "active"


async def test_no_such_subscription_and_no_such_kind(core: Any) -> None:
    backend, _ = core("subscriptions/detail_missing")
    with pytest.raises(errors.NotFound, match="not found"):
        await backend.entity_overview(EntityRef.of("subscription", "default", "00000000-0000-0000-0000-000000000000"))
    with pytest.raises(errors.NotFound, match="has no catalog"):
        await backend.entity_overview(EntityRef.of("component", "default", "payments-api"))
    with pytest.raises(errors.NotFound, match="not a valid id"):
        await backend.entity_overview(EntityRef.of("subscription", "default", "not-a-uuid"))


def test_nested_blocks_become_nested_parts() -> None:
    def block(index: int, parent: int | None, name: str, **extra: Any) -> dict[str, Any]:
        values = [{"field": "name", "value": name}, {"field": "speed", "value": index * 10},
                  {"field": "tags", "value": ["a", "b"]}, {"field": "enabled", "value": index % 2 == 0}]
        return {"id": index, "parent": parent, "productBlockInstanceValues": values,
                "ownerSubscriptionId": extra.get("owner", SUBSCRIPTION),
                "inUseByRelations": extra.get("in_use", [])}

    roots = block_tree([
        block(0, None, "Node"),
        block(1, 0, "Port", in_use=[{"subscription_id": "aaaa", "subscription_instance_id": "x"}]),
        block(2, 1, "Vlan", owner="bbbb"),
    ])
    [node] = [block_part(root, SUBSCRIPTION) for root in roots]
    assert [(depth, part.label) for depth, part in node.walk()] == [(0, "Node"), (1, "Port"), (2, "Vlan")]
    assert {f.label: f.value for f in node.facts} == {"speed": "0", "tags": '["a", "b"]', "enabled": "yes"}
    port = node.children[0]
    assert ("in use by", "aaaa") in [(f.label, f.value) for f in port.facts]
    vlan = port.children[0]
    assert ("owned by subscription", "bbbb") in [(f.label, f.value) for f in vlan.facts]
    assert ("enabled", "yes") in [(f.label, f.value) for f in vlan.facts]


def test_reason_keys_in_words() -> None:
    assert reason_sentence("subscription.insufficient_workflow_permissions") == "you are not allowed to run this workflow"
    assert reason_sentence("subscription.no_modify_invalid_status") == (
        "the subscription's status does not allow this workflow")
    assert reason_sentence("subscription.no_modify_invalid_status", status="initial", usable_when=["active"]) == (
        "the subscription is initial; this workflow needs it active")
    # A key the console does not know is said in its own words (and shown beside them).
    assert reason_sentence("subscription.some_new_rule") == "some new rule"
