"""Listing workflows: GraphQL (there is no REST list) and the labels from the translations."""

from __future__ import annotations

import pytest

from .conftest import CREATE, MODIFY, NAP_TASK, PRODUCT_NAME, TERMINATE, VALIDATE, Core

pytestmark = pytest.mark.integration

WORKFLOWS_QUERY = """
query Workflows($first: Int!, $after: Int!) {
  workflows(first: $first, after: $after, sortBy: [{field: "name", order: ASC}]) {
    page { workflowId name description target isTask isAllowed createdAt
           products { name productType tag status }
           steps { name assignee } }
    pageInfo { totalItems hasNextPage endCursor sortFields filterFields }
  }
}
"""


def test_graphql_lists_the_lab_node_workflows_and_task(core: Core) -> None:
    data = core.graphql(WORKFLOWS_QUERY, {"first": 100, "after": 0})["workflows"]
    by_name = {wf["name"]: wf for wf in data["page"]}
    assert data["pageInfo"]["totalItems"] == len(data["page"])  # one page holds them all

    expected = {CREATE: "CREATE", MODIFY: "MODIFY", TERMINATE: "TERMINATE", VALIDATE: "VALIDATE", NAP_TASK: "SYSTEM"}
    for name, target in expected.items():
        assert name in by_name, f"{name} missing from {sorted(by_name)}"
        assert by_name[name]["target"] == target  # GraphQL enums are upper case
        assert by_name[name]["isAllowed"] is True
    for name in (CREATE, MODIFY, TERMINATE, VALIDATE):
        assert by_name[name]["isTask"] is False
        assert by_name[name]["products"] == [
            {"name": PRODUCT_NAME, "productType": "LabNode", "tag": "LAB", "status": "ACTIVE"}
        ]
    assert by_name[NAP_TASK]["isTask"] is True
    assert by_name[NAP_TASK]["products"] == []
    # orchestrator-core's own tasks are always there too
    assert "task_validate_products" in by_name

    # the static step list (what a UI draws before a process exists), incl. the decorator's steps
    create_steps = [step["name"] for step in by_name[CREATE]["steps"]]
    assert create_steps[0] == "Start" and create_steps[-1] == "Done"
    assert {"Reserve resources (slow)", "Provision node"} <= set(create_steps)
    modify_steps = {step["name"]: step["assignee"] for step in by_name[MODIFY]["steps"]}
    assert modify_steps["Approve the change"] == "CHANGES"

    assert "name" in data["pageInfo"]["sortFields"] and "target" in data["pageInfo"]["filterFields"]


def test_graphql_filter_by_target_and_offset_paging(core: Core) -> None:
    query = """
    query($after: Int!) {
      workflows(first: 2, after: $after, filterBy: [{field: "target", value: "CREATE|MODIFY"}],
                sortBy: [{field: "name", order: ASC}]) {
        page { name target } pageInfo { totalItems hasNextPage hasPreviousPage startCursor endCursor }
      }
    }"""
    first = core.graphql(query, {"after": 0})["workflows"]
    assert {wf["target"] for wf in first["page"]} <= {"CREATE", "MODIFY"}
    assert first["pageInfo"]["totalItems"] >= 3  # create_lab_node, modify_lab_node, modify_note
    assert first["pageInfo"]["hasNextPage"] is True
    # offset paging: the next page starts at endCursor + 1
    second = core.graphql(query, {"after": first["pageInfo"]["endCursor"] + 1})["workflows"]
    assert second["pageInfo"]["hasPreviousPage"] is True
    assert not {wf["name"] for wf in first["page"]} & {wf["name"] for wf in second["page"]}


def test_translations_name_every_lab_node_workflow(core: Core) -> None:
    response = core.http.get("/api/translations/en-GB")
    assert response.status_code == 200
    labels = response.json()
    assert labels["workflow"][CREATE] == "Create lab node"
    assert labels["workflow"][NAP_TASK] == "Lab nap task"
    assert labels["forms"]["fields"]["hostname"] == "Host name"
