"""The 510 form protocol of create_lab_node, page by page, ending in a completed process."""

from __future__ import annotations

import pytest

from .conftest import CREATE, PRODUCT_NAME, Core, steps_of, unique_hostname

pytestmark = pytest.mark.integration


def test_three_page_create_form_then_completed_process(core: Core, product_id: str) -> None:
    hostname = unique_hostname("form")

    # page 1: the product choice that @create_workflow adds
    response = core.post_form(CREATE, [])
    assert response.status_code == 510
    body = response.json()
    assert body["type"] == "FormNotCompleteError" and body["meta"] is None
    page1 = body["form"]
    assert page1["required"] == ["product"]
    assert page1["properties"]["product"] == {"$ref": "#/$defs/ProductChoice", "format": "productId"}
    assert page1["$defs"]["ProductChoice"]["options"][product_id] == PRODUCT_NAME

    # page 2: FormPage -> meta.hasNext true
    pages: list[dict] = [{"product": product_id}]
    response = core.post_form(CREATE, pages)
    assert response.status_code == 510
    body = response.json()
    assert body["meta"] == {"hasNext": True}
    page2 = body["form"]
    assert page2["title"] == f"{PRODUCT_NAME}: basics"
    assert list(page2["properties"]) == ["intro", "hostname", "role", "port_count", "notes"]
    assert page2["properties"]["intro"]["format"] == "label"
    assert page2["properties"]["hostname"]["pattern"] == "^[a-z0-9-]+$"
    assert page2["properties"]["role"] == {"$ref": "#/$defs/Role", "default": "edge"}
    assert page2["$defs"]["Role"]["enum"] == ["core", "edge", "access"]
    assert page2["properties"]["notes"]["anyOf"][0] == {"format": "long", "type": "string"}

    # an invalid page 2 -> 400 with validation_errors whose loc is relative to that page
    response = core.post_form(CREATE, [*pages, {"hostname": "X!", "port_count": 99}])
    assert response.status_code == 400
    errors = {tuple(error["loc"]): error["type"] for error in response.json()["validation_errors"]}
    assert errors[("hostname",)] == "string_too_short"
    assert errors[("port_count",)] == "less_than_equal"
    # extra keys are refused (additionalProperties: false)
    response = core.post_form(CREATE, [*pages, {"hostname": hostname, "bogus": 1}])
    assert response.status_code == 400
    assert [e["loc"] for e in response.json()["validation_errors"]] == [["bogus"]]

    # page 3: SubmitFormPage -> meta.hasNext false; a read-only echo of page 2's answer
    pages.append({"hostname": hostname, "role": "access", "port_count": 4, "notes": "line one\nline two"})
    response = core.post_form(CREATE, pages)
    assert response.status_code == 510
    body = response.json()
    assert body["meta"] == {"hasNext": False}
    page3 = body["form"]
    assert page3["title"] == "Run options"
    assert page3["properties"]["hostname_check"]["const"] == hostname
    assert page3["properties"]["hostname_check"]["readOnly"] is True
    assert page3["properties"]["separator"]["format"] == "divider"
    assert page3["$defs"]["FailureMode"]["options"] == {
        "none": "Succeed",
        "fail_once": "Fail the first time, succeed when retried",
        "fail_always": "Fail every time",
    }

    # all pages -> 201 {"id"}; the process starts at once
    pages.append({"slow_seconds": 1, "failure_mode": "none", "notify": True})
    response = core.post_form(CREATE, pages)
    assert response.status_code == 201, response.text
    process_id = response.json()["id"]

    detail = core.wait_for(process_id, "completed")
    assert detail["workflow_name"] == CREATE and detail["is_task"] is False
    assert detail["workflow_target"] == "CREATE"
    assert detail["last_step"] == "Done" and detail["failed_reason"] is None
    assert steps_of(detail)[-1] == ("Done", "complete")
    assert all(status in {"success", "complete"} for _, status in steps_of(detail))
    assert isinstance(detail["started_at"], float)  # REST timestamps are epoch seconds
    subscription = detail["subscriptions"][0]
    assert subscription["status"] == "active" and subscription["insync"] is True
    assert subscription["description"] == f"Lab node {hostname} (access, 4 ports)"
    assert detail["current_state"]["reserved_for_seconds"] == 1

    model = core.http.get(f"/api/subscriptions/domain-model/{subscription['subscription_id']}").json()
    assert model["node"]["hostname"] == hostname
    assert model["node"]["notes"] == "line one\nline two"


def test_running_process_lists_pending_steps(core: Core, product_id: str) -> None:
    pages = [{"product": product_id}, {"hostname": unique_hostname("run")}, {"slow_seconds": 4}]
    process_id = core.start(CREATE, pages)
    detail = core.wait_for(
        process_id, "running", timeout=10, until=lambda d: d["last_step"] == "Create Process Subscription relation"
    )
    # last_step is the last *finished* step; the running one is the first "pending" entry
    statuses = steps_of(detail)
    first_pending = next(name for name, status in statuses if status == "pending")
    assert first_pending == "Reserve resources (slow)"
    assert statuses[-1] == ("Done", "pending")
    core.wait_for(process_id, "completed", timeout=20)
