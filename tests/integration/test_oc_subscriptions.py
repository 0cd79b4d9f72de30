"""Suspend/resume (modify), the workflows that apply to a subscription, validate and terminate."""

from __future__ import annotations

import pytest

from .conftest import CREATE, MODIFY, PRODUCT_NAME, TERMINATE, VALIDATE, Core, steps_of

pytestmark = pytest.mark.integration


def test_modify_suspends_then_resumes_with_the_approval_form(core: Core, new_subscription: str) -> None:
    # page 1 is the subscription page (@modify_workflow); page 2 is prefilled from the subscription
    response = core.post_form(MODIFY, [])
    assert response.status_code == 510
    assert response.json()["form"]["required"] == ["subscription_id"]
    response = core.post_form(MODIFY, [{"subscription_id": new_subscription}])
    assert response.status_code == 510
    change = response.json()["form"]
    assert change["properties"]["port_count"]["default"] == 12

    process_id = core.start(MODIFY, [{"subscription_id": new_subscription}, {"port_count": 24}])
    suspended = core.wait_for(process_id, "suspended")
    assert suspended["last_step"] == "Approve the change"
    assert suspended["assignee"] == "CHANGES"
    assert steps_of(suspended)[-1] != ("Approve the change", "suspend")  # pending steps follow
    assert ("Approve the change", "suspend") in steps_of(suspended)
    # the awaited input's JSON Schema travels on the process
    form = suspended["form"]
    assert form["title"] == "Approve 24 ports?"
    assert form["required"] == ["approval"]
    assert form["properties"]["approval"]["format"] == "accept"
    assert form["properties"]["approval"]["enum"] == ["ACCEPTED", "INCOMPLETE"]
    # the subscription is locked (out of sync) while the process runs
    model = core.http.get(f"/api/subscriptions/domain-model/{new_subscription}").json()
    assert model["insync"] is False

    # resume with nothing or with a refusal -> 400, the process stays suspended
    response = core.http.put(f"/api/processes/{process_id}/resume", json=[])
    assert response.status_code == 400
    assert response.json()["validation_errors"][0]["loc"] == ["approval"]
    response = core.http.put(f"/api/processes/{process_id}/resume", json=[{"approval": "INCOMPLETE"}])
    assert response.status_code == 400
    assert core.process(process_id)["last_status"] == "suspended"

    response = core.http.put(
        f"/api/processes/{process_id}/resume", json=[{"approval": "ACCEPTED", "approver_comment": "fine"}]
    )
    assert response.status_code == 204, response.text
    done = core.wait_for(process_id, "completed")
    assert done["form"] is None
    names = steps_of(done)
    assert names[names.index(("Approve the change", "suspend")) + 1] == ("Approve the change", "success")
    approved = next(s for s in done["steps"] if s["name"] == "Approve the change" and s["status"] == "success")
    assert approved["state_delta"] == {"approval": "ACCEPTED", "approver_comment": "fine"}

    model = core.http.get(f"/api/subscriptions/domain-model/{new_subscription}").json()
    assert model["node"]["port_count"] == 24
    assert model["status"] == "active" and model["insync"] is True


def test_workflows_that_apply_to_a_subscription(core: Core, new_subscription: str) -> None:
    # REST: grouped by target; an entry with "reason" is not allowed now
    response = core.http.get(f"/api/subscriptions/workflows/{new_subscription}")
    assert response.status_code == 200
    applicable = response.json()
    assert {"create", "modify", "terminate", "validate", "system", "reconcile"} <= set(applicable)
    modify = {wf["name"]: wf for wf in applicable["modify"]}
    assert MODIFY in modify and "reason" not in modify[MODIFY]
    assert modify[MODIFY]["description"] == "Change lab node (needs approval)"
    assert [wf["name"] for wf in applicable["terminate"]] == [TERMINATE]
    assert [wf["name"] for wf in applicable["validate"]] == [VALIDATE]
    create = {wf["name"]: wf for wf in applicable["create"]}
    assert create[CREATE]["reason"] == "subscription.no_modify_invalid_status"
    assert "reason" not in applicable

    # GraphQL has no "applicable workflows" field: it gives the subscription and its product,
    # whose workflows are the candidates (without the status/in-sync rules applied above)
    data = core.graphql(
        """
        query($id: String!) {
          subscriptions(filterBy: [{field: "subscriptionId", value: $id}]) {
            page { subscriptionId status insync description
                   product { name productId productType }
                   productBlockInstances { productBlockInstanceValues }
                   processes(first: 10, after: 0) { page { workflowName lastStatus workflowTarget } } }
          }
        }""",
        {"id": new_subscription},
    )
    [subscription] = data["subscriptions"]["page"]
    assert subscription["status"] == "ACTIVE" and subscription["insync"] is True
    assert subscription["product"]["name"] == PRODUCT_NAME
    values = {v["field"]: v["value"] for v in subscription["productBlockInstances"][0]["productBlockInstanceValues"]}
    assert values["portCount"] == 12  # camelCase field names here
    assert subscription["processes"]["page"][0]["workflowName"] == CREATE
    assert subscription["processes"]["page"][0]["lastStatus"] == "COMPLETED"

    products = core.graphql(
        """
        query($id: String!) {
          products(filterBy: [{field: "productId", value: $id}]) { page { name workflows { name target } } }
        }""",
        {"id": subscription["product"]["productId"]},
    )["products"]["page"]
    targets = {wf["name"]: wf["target"] for wf in products[0]["workflows"]}
    assert targets == {CREATE: "CREATE", MODIFY: "MODIFY", TERMINATE: "TERMINATE", VALIDATE: "VALIDATE"}


def test_validate_then_terminate(core: Core, new_subscription: str) -> None:
    # validate: the only page is the subscription page
    process_id = core.start(VALIDATE, [{"subscription_id": new_subscription}])
    done = core.wait_for(process_id, "completed")
    assert ("Check node values", "success") in steps_of(done)

    response = core.post_form(TERMINATE, [{"subscription_id": new_subscription}])
    assert response.status_code == 510
    assert response.json()["form"]["properties"]["reason"]["default"] == "no longer needed"
    process_id = core.start(TERMINATE, [{"subscription_id": new_subscription}, {"reason": "test over"}])
    core.wait_for(process_id, "completed")
    model = core.http.get(f"/api/subscriptions/domain-model/{new_subscription}").json()
    assert model["status"] == "terminated"
    assert isinstance(model["end_date"], float)

    # a terminated subscription offers no modify/terminate any more: every entry carries a reason
    applicable = core.http.get(f"/api/subscriptions/workflows/{new_subscription}").json()
    assert all("reason" in wf for wf in applicable["modify"] + applicable["terminate"])
