from __future__ import annotations

from datetime import datetime, timezone

from orch_tui.core.filters import SearchRequest, all_of, any_of, between, eq, in_, nested, not_, page
from orch_tui.core.models import ProcessInstance, RunStatus, WorkflowOverview


def test_overview_never_run_and_availability() -> None:
    w = WorkflowOverview.model_validate(
        {"workflowId": "w", "format": "yaml", "lastTriggeredMs": 0, "isAvailable": False,
         "availability": {"isAvailable": False, "statusCode": 503, "reason": "Service Unavailable"},
         "somethingNew": {"x": 1}}
    )
    assert w.last_triggered is None and w.lastRunStatus is None
    assert not w.available and w.unavailable_reason == "Service Unavailable · HTTP 503"
    assert w.display_name == "w"
    ran = WorkflowOverview.model_validate({"workflowId": "w", "lastTriggeredMs": 1_700_000_000_000})
    assert ran.last_triggered == datetime.fromtimestamp(1_700_000_000, tz=timezone.utc) and ran.available


def test_instance_tolerates_missing_and_unknown() -> None:
    run = ProcessInstance.model_validate({"id": "r", "state": "WEIRD", "nodes": None, "extra": 1})
    assert run.status is RunStatus.UNKNOWN and run.nodes == [] and run.result is None
    full = ProcessInstance.model_validate({
        "id": "r", "processId": "greet", "state": "COMPLETED",
        "start": "2026-11-22T10:00:00Z", "end": "2026-11-22T10:00:03.5Z",
        "nodes": [{"id": "n1", "name": "Start", "enter": "2026-11-22T10:00:00Z", "__typename": "NodeInstance"}],
        "workflowdata": {"name": "a", "result": {"message": "done", "outputs": [{"key": "url", "value": "http://x", "format": "link"}],
                                                  "nextWorkflows": [{"id": "n", "name": "Next"}]}},
        "error": {"nodeDefinitionId": "d", "message": "boom"},
    })
    assert full.elapsed_seconds(datetime.now(timezone.utc)) == 3.5
    assert full.result is not None and full.result.outputs[0].format == "link" and full.result.nextWorkflows[0].id == "n"
    assert full.error is not None and full.error.message == "boom"
    assert ProcessInstance.model_validate({"id": "r", "workflowdata": {"result": "text"}}).result is None


def test_search_request_serialisation() -> None:
    start = datetime(2026, 11, 1, tzinfo=timezone.utc)
    end = datetime(2026, 11, 2, tzinfo=timezone.utc)
    request = SearchRequest(
        filters=all_of(
            eq("state", RunStatus.ACTIVE),
            between("start", start, end),
            nested("variables.targetEntity", "EQ", "component:default/x"),
            any_of(in_("processId", ["a", "b"]), not_(eq("processName", "z"))),
            None,
        ),
        paginationInfo=page(size=20, offset=40, order_by="start", direction="DESC"),
    )
    assert request.to_json() == {
        "filters": {"operator": "AND", "filters": [
            {"field": "state", "operator": "EQ", "value": "ACTIVE"},
            {"field": "start", "operator": "BETWEEN", "value": ["2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z"]},
            {"field": "variables", "nested": {"field": "targetEntity", "operator": "EQ", "value": "component:default/x"}},
            {"operator": "OR", "filters": [
                {"field": "processId", "operator": "IN", "value": ["a", "b"]},
                {"operator": "NOT", "filters": [{"field": "processName", "operator": "EQ", "value": "z"}]},
            ]},
        ]},
        "paginationInfo": {"pageSize": 20, "offset": 40, "orderBy": "start", "orderDirection": "DESC"},
    }
    assert all_of() is None and all_of(eq("a", 1)) == eq("a", 1)
