"""Failing steps, retry (PUT .../resume), abort (PUT .../abort) and what each leaves behind."""

from __future__ import annotations

import time

import pytest

from .conftest import CREATE, NAP_TASK, Core, create_pages, steps_of, unique_hostname

pytestmark = pytest.mark.integration


def test_fail_once_then_retry_completes(core: Core, product_id: str) -> None:
    process_id = core.start(CREATE, create_pages(product_id, unique_hostname("once"), failure_mode="fail_once"))

    failed = core.wait_for(process_id, "failed")
    assert failed["last_step"] == "Provision node"
    assert "fail_once" in failed["failed_reason"]
    assert "RuntimeError" in failed["traceback"]
    names = steps_of(failed)
    assert ("Provision node", "failed") in names
    # the failed step is followed by the same step again as "pending", then the rest
    assert names[names.index(("Provision node", "failed")) + 1] == ("Provision node", "pending")
    failed_step = next(s for s in failed["steps"] if s["status"] == "failed")
    assert failed_step["state"]["class"] == "RuntimeError"
    assert "fail_once" in failed_step["state"]["error"]

    response = core.http.put(f"/api/processes/{process_id}/resume", json=[{}])
    assert response.status_code == 204, response.text

    done = core.wait_for(process_id, "completed")
    assert done["failed_reason"] is None and done["traceback"] is None
    names = steps_of(done)
    # a retry appends a new entry; the failed one stays in the history
    at = names.index(("Provision node", "failed"))
    assert names[at + 1] == ("Provision node", "success")
    assert names[-1] == ("Done", "complete")
    assert done["subscriptions"][0]["status"] == "active"


def test_fail_always_retry_fails_again_then_abort(core: Core, product_id: str) -> None:
    process_id = core.start(CREATE, create_pages(product_id, unique_hostname("always"), failure_mode="fail_always"))
    core.wait_for(process_id, "failed")

    # retrying with an empty list works too: the server treats [] as [{}]
    assert core.http.put(f"/api/processes/{process_id}/resume", json=[]).status_code == 204
    again = core.wait_for(
        process_id,
        "failed",
        until=lambda d: any(s["status"] == "failed" and s["state"].get("retries") for s in d["steps"]),
    )
    # the same failure again updates the failed step in place (retries, completed_at) instead of adding one
    failed_steps = [s for s in again["steps"] if s["status"] == "failed"]
    assert len(failed_steps) == 1
    assert failed_steps[0]["state"]["retries"] == 1
    assert len(failed_steps[0]["state"]["completed_at"]) == 1

    assert core.http.put(f"/api/processes/{process_id}/abort").status_code == 204
    aborted = core.wait_for(process_id, "aborted")
    assert aborted["last_step"] == "User Aborted"
    # "User Aborted" follows the failed step and takes the place of its "pending" twin
    names = steps_of(aborted)
    assert names[names.index(("Provision node", "failed")) + 1] == ("User Aborted", "abort")
    # the subscription stays where the process left it
    assert aborted["subscriptions"][0]["status"] == "provisioning"
    assert aborted["subscriptions"][0]["insync"] is False

    response = core.http.put(f"/api/processes/{process_id}/resume", json=[{}])
    assert response.status_code == 409
    assert response.json()["detail"] == "Resuming a aborted workflow is not possible"


def test_abort_during_the_slow_step_is_final(core: Core, product_id: str) -> None:
    process_id = core.start(CREATE, create_pages(product_id, unique_hostname("abort"), slow_seconds=30))
    core.wait_for(
        process_id, "running", timeout=10, until=lambda d: d["last_step"] == "Create Process Subscription relation"
    )

    started = time.monotonic()
    response = core.http.put(f"/api/processes/{process_id}/abort")
    assert response.status_code == 204, response.text
    aborted = core.wait_for(process_id, "aborted", timeout=5)
    assert ("User Aborted", "abort") in steps_of(aborted)

    # the Lab Node slow step notices the abort within a second and ends the worker with Abort,
    # so nothing runs after it and the status stays "aborted"
    final = core.wait_for(
        process_id, "aborted", timeout=10, until=lambda d: ("Reserve resources (slow)", "abort") in steps_of(d)
    )
    assert time.monotonic() - started < 10
    assert final["last_step"] == "Reserve resources (slow)"
    time.sleep(1)
    assert core.process(process_id)["last_status"] == "aborted"
    assert ("Provision node", "success") not in steps_of(core.process(process_id))


def test_abort_does_not_stop_an_ordinary_running_step(core: Core) -> None:
    """orchestrator-core behaviour a UI must expect: abort marks the process, the thread runs on.

    task_lab_nap's steps just sleep. Aborted during the first one, the process reads "aborted"
    at once, then the worker finishes the step, logs it and goes on to "completed".
    """
    process_id = core.start(NAP_TASK, [{"seconds": 8}])
    core.wait_for(process_id, "running", timeout=10, until=lambda d: d["last_step"] == "Start")
    assert core.http.put(f"/api/processes/{process_id}/abort").status_code == 204
    core.wait_for(process_id, "aborted", timeout=5)

    done = core.wait_for(process_id, "completed", timeout=20, fail_early=False)
    names = steps_of(done)
    assert names.index(("User Aborted", "abort")) < names.index(("Second half of the nap", "success"))


def test_task_form_start_and_delete(core: Core) -> None:
    response = core.post_form(NAP_TASK, [])
    assert response.status_code == 510
    form = response.json()["form"]
    assert form["title"] == "Nap"
    assert form["properties"]["seconds"] == {
        "default": 4,
        "maximum": 120,
        "minimum": 0,
        "title": "Seconds",
        "type": "integer",
    }

    process_id = core.start(NAP_TASK, [{"seconds": 0}])
    done = core.wait_for(process_id, "completed")
    assert done["is_task"] is True and done["workflow_target"] == "SYSTEM"
    assert done["subscriptions"] == []

    # only tasks can be deleted
    assert core.http.delete(f"/api/processes/{process_id}").status_code == 204
    gone = core.http.get(f"/api/processes/{process_id}")
    assert gone.status_code == 404
    assert gone.json()["detail"] == f"Process with process_id {process_id} not found"
