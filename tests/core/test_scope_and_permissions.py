"""Core pieces of entity scope and permissions: annotation reading, what the console knows of the
user's permissions, entity reference helpers, and the recent-entities store."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from orch_tui.core.catalog import CatalogEntity, EntityLookup, annotation_workflow_ids
from orch_tui.core.entity import EntityRef, compact_ref, expand_ref, parse_entity_ref, split_ref
from orch_tui.core.permissions import (
    INSTANCE_ADMIN_VIEW,
    WORKFLOW_ADMIN_VIEW,
    WORKFLOW_USE,
    Decision,
    PermissionDecision,
    PermissionRequest,
    PermissionSet,
    console_requests,
)
from orch_tui.core.recent import RecentEntities

# -- the orchestrator.io/workflows annotation ------------------------------------------------


@pytest.mark.parametrize(
    ("value", "ids", "problem"),
    [
        ('["greeting", "yamlgreet", "greeting"]', ("greeting", "yamlgreet"), None),
        ("[]", (), None),
        ("[deploy_to_staging,deploy_to_production]", (), "not valid JSON"),
        ('"greeting"', (), "not an array (str)"),
        ('{"a": 1}', (), "not an array (dict)"),
        ('["greeting", 3]', (), "not 3"),
        ('["greeting", ""]', (), 'not ""'),
    ],
)
def test_annotation_is_read_as_the_web_ui_does_and_says_what_is_wrong(
    value: str, ids: tuple[str, ...], problem: str | None
) -> None:
    result = annotation_workflow_ids(value)
    assert result.present and result.ids == ids and result.raw == value
    if problem is None:
        assert result.problem is None
    else:
        assert result.problem is not None and problem in result.problem


def test_missing_annotation_is_not_a_problem() -> None:
    result = annotation_workflow_ids(None)
    assert not result.present and result.ids == () and result.problem is None


def entity(annotation: str | None, kind: str = "Component", name: str = "Shop") -> CatalogEntity:
    annotations = {"orchestrator.io/workflows": annotation} if annotation is not None else {}
    return CatalogEntity.model_validate(
        {"kind": kind, "metadata": {"name": name, "annotations": annotations}, "spec": {"owner": "group:team-a"}}
    )


def test_catalog_entity_ref_is_lower_cased_with_the_default_namespace() -> None:
    shop = entity('["greeting"]')
    assert shop.ref.target == "component:default/shop"
    assert shop.owner == "group:team-a"
    assert shop.workflows.ids == ("greeting",)


def test_lookup_notes_say_why_the_list_is_only_what_ran() -> None:
    ref = parse_entity_ref("component:shop")
    assert EntityLookup(ref, entity('["greeting"]')).notes == []
    invalid = EntityLookup(ref, entity("[a,b]")).notes
    assert "not a valid JSON array" in invalid[0] and "[a,b]" in invalid[0]
    assert invalid[-1] == "Listed: the workflows that already ran for it."
    assert "has no orchestrator.io/workflows annotation" in EntityLookup(ref, entity(None)).notes[0]
    assert "is not in the catalog" in EntityLookup(ref, None).notes[0]
    down = EntityLookup(ref, None, "Backend unreachable: refused").notes[0]
    assert "could not be asked" in down and "refused" in down
    assert EntityLookup(ref, entity("[a,b]")).annotation.ids == ()


# -- permissions ----------------------------------------------------------------------------------


def decision(permission: object, ref: str | None, result: Decision) -> PermissionDecision:
    return PermissionDecision(PermissionRequest(permission, ref), result)  # type: ignore[arg-type]


def test_unknown_decisions_allow_and_denials_say_why() -> None:
    permissions = PermissionSet()
    assert permissions.allows(WORKFLOW_USE, "greeting") and permissions.denial(WORKFLOW_USE, "greeting") is None
    permissions.record([
        decision(WORKFLOW_USE, "rotate-secrets", Decision.DENY),
        decision(WORKFLOW_USE, "greeting", Decision.ALLOW),
        decision(INSTANCE_ADMIN_VIEW, None, Decision.DENY),
    ])
    assert permissions.allows(WORKFLOW_USE, "greeting")
    assert not permissions.allows(WORKFLOW_USE, "rotate-secrets")
    assert permissions.denial(WORKFLOW_USE, "rotate-secrets") == (
        "the permission policy denies you orchestrator.workflow.use for rotate-secrets"
    )
    assert permissions.allows(WORKFLOW_USE, "never-asked")
    assert not permissions.allows(INSTANCE_ADMIN_VIEW)
    assert permissions.allows(WORKFLOW_ADMIN_VIEW)


def test_a_decision_for_every_resource_applies_unless_one_is_known_for_the_resource() -> None:
    permissions = PermissionSet([decision(WORKFLOW_USE, None, Decision.DENY)])
    assert not permissions.allows(WORKFLOW_USE, "greeting")
    permissions.record([decision(WORKFLOW_USE, "greeting", Decision.ALLOW)])
    assert permissions.allows(WORKFLOW_USE, "greeting") and not permissions.allows(WORKFLOW_USE, "other")


def test_a_conditional_answer_is_not_a_decision() -> None:
    permissions = PermissionSet([decision(WORKFLOW_USE, None, Decision.CONDITIONAL)])
    assert permissions.decision(WORKFLOW_USE, "greeting") is None and permissions.allows(WORKFLOW_USE, "greeting")


def test_console_asks_admin_views_and_each_workflow_once_and_only_what_is_missing() -> None:
    requests = console_requests(["a", "b", "a"])
    assert [(r.permission.name, r.resource_ref) for r in requests] == [
        ("orchestrator.workflowAdminView", None),
        ("orchestrator.instanceAdminView", None),
        ("orchestrator.workflow.use", "a"),
        ("orchestrator.workflow.use", "b"),
    ]
    permissions = PermissionSet([decision(WORKFLOW_USE, "a", Decision.ALLOW)])
    assert [r.resource_ref for r in permissions.missing(requests)] == [None, None, "b"]


def test_permission_json_is_backstages_shape() -> None:
    assert WORKFLOW_USE.to_json() == {
        "type": "resource",
        "name": "orchestrator.workflow.use",
        "attributes": {"action": "update"},
        "resourceType": "orchestrator-workflow",
    }
    assert WORKFLOW_ADMIN_VIEW.to_json() == {
        "type": "basic", "name": "orchestrator.workflowAdminView", "attributes": {"action": "read"}
    }


# -- entity references ------------------------------------------------------------------------------


def test_loose_helpers_live_in_core() -> None:
    assert split_ref("component:team-a/api") == ("component", "team-a", "api")
    assert split_ref("api") == (None, None, "api")
    assert compact_ref("component:default/shop", drop_kind="component") == "shop"
    assert expand_ref("default:Component:Shop", []) == "component:default/shop"
    assert expand_ref("shop", []) == "shop"  # no kind, nothing known: kept as typed


def test_catalog_path_is_percent_encoded() -> None:
    assert EntityRef.of("component", "default", "shop").catalog_path == "component/default/shop"
    assert EntityRef("component", "default", "a%b?c").catalog_path == "component/default/a%25b%3Fc"


# -- recent entities ---------------------------------------------------------------------------------


def test_recent_entities_newest_first_per_context_private(tmp_path: Path) -> None:
    store = RecentEntities(tmp_path / "state" / "recent.json", limit=3)
    assert store.load("prod") == []
    refs = [parse_entity_ref(f"component:c{i}") for i in range(4)]
    for ref in refs:
        store.add("prod", ref)
    store.add("prod", refs[2])
    store.add("dev", refs[0])
    assert [r.name for r in store.load("prod")] == ["c2", "c3", "c1"]
    assert [r.name for r in RecentEntities(store.path).load("dev")] == ["c0"]
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert json.loads(store.path.read_text())["contexts"]["prod"][0] == "component:default/c2"


def test_recent_entities_survive_a_corrupt_or_unwritable_file(tmp_path: Path) -> None:
    path = tmp_path / "recent.json"
    path.write_text('{"contexts": {"prod": ["component:default/ok", "not a ref", 7]}}')
    assert [r.target for r in RecentEntities(path).load("prod")] == ["component:default/ok"]
    path.write_text("{nope")
    assert RecentEntities(path).load("prod") == []
    blocked = tmp_path / "file"
    blocked.write_text("x")
    kept = RecentEntities(blocked / "recent.json").add("prod", parse_entity_ref("component:shop"))
    assert [r.name for r in kept] == ["shop"]  # still returned; nothing raised
