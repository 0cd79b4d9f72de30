"""orch-tui's own orchestrator-core adapter against the real server: forms (start and resume)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from orch_tui.core.forms import FormModel
from orch_tui.core.models import RunStatus
from orch_tui.core.orchestrator_core import CoreBackend, CoreRun, FormSession

from .conftest import CREATE, MODIFY, PRODUCT_NAME, unique_hostname

pytestmark = pytest.mark.integration


async def settle(backend: CoreBackend, run_id: str, wanted: set[str], timeout: float = 30,
                 until: Any = None) -> CoreRun:
    """Poll through the adapter until the process's server status is one of ``wanted``."""
    deadline = time.monotonic() + timeout
    while True:
        run = await backend.get_run(run_id)
        if run.core_status in wanted and (until is None or until(run)):
            return run
        if time.monotonic() > deadline:
            pytest.fail(f"{run_id} still {run.core_status} ({run.last_step}) after {timeout}s, wanted {wanted}")
        await asyncio.sleep(0.2)


async def submit(form: FormSession, **values: Any) -> Any:
    """Fill the current page's form model and submit its payload (as the console would)."""
    assert form.current is not None
    model: FormModel = form.current.model()
    for key, value in values.items():
        model.set((key,), value)
    return await form.submit(model.payload())


async def test_three_page_create_form_to_a_completed_process(backend: CoreBackend) -> None:
    hostname = unique_hostname("adapter")
    form = await backend.start_form(CREATE)
    page1 = (await form.open()).page
    assert page1 is not None and page1.title == "Choose a product"
    product = page1.model().field(("product",))
    assert product is not None and [o.label for o in product.options] == [PRODUCT_NAME]

    page2 = (await submit(form, product=product.options[0].value)).page
    assert page2 is not None and page2.has_next is True and page2.model().field(("hostname",)) is not None
    invalid = await submit(form, hostname="X!", port_count=99)
    assert invalid.kind == "invalid" and {e.path for e in invalid.errors} == {("hostname",), ("port_count",)}
    page3 = (await submit(form, hostname=hostname, role="access", port_count=4)).page
    assert page3 is not None and page3.has_next is False
    assert page3.model().get(("hostname_check",)) == hostname  # computed from page 2: the pages are replayed

    back = await form.back()
    assert back.index == 1 and back.data is not None and back.data["hostname"] == hostname
    await submit(form, hostname=hostname, role="access", port_count=4)
    done = await submit(form, slow_seconds=0)
    assert done.kind == "done" and done.process_id

    run = await settle(backend, done.process_id, {"completed"})
    assert run.state is RunStatus.COMPLETED and run.processId == CREATE
    assert all(group.status in ("success", "complete") for group in run.step_groups)
    assert run.subscriptions[0].description == f"Lab node {hostname} (access, 4 ports)"


async def test_modify_suspends_then_resumes_with_its_form(backend: CoreBackend, new_subscription: str) -> None:
    form = await backend.start_form(MODIFY, prefill=[{"subscription_id": new_subscription}])
    change = (await form.open()).page
    assert change is not None and change.model().get(("port_count",)) == 12
    started = await submit(form, port_count=24)
    assert started.kind == "done"

    suspended = await settle(backend, started.process_id, {"suspended"})
    assert suspended.state is RunStatus.SUSPENDED and suspended.can_resume
    assert ("Approve the change", "suspend") in [(g.name, g.status) for g in suspended.step_groups]

    resume = await backend.resume_form(suspended.id)
    page = (await resume.open()).page
    assert page is not None and page.title == "Approve 24 ports?"
    refused = await submit(resume, approval="INCOMPLETE")
    assert refused.kind == "invalid" and refused.errors[0].message == "Not all tasks are done"
    assert (await backend.get_run(suspended.id)).core_status == "suspended"
    done = await submit(resume, approval="ACCEPTED", approver_comment="via the adapter")
    assert done.kind == "done" and done.process_id == suspended.id

    completed = await settle(backend, suspended.id, {"completed"})
    approve = next(g for g in completed.step_groups if g.name == "Approve the change")
    assert [a.status for a in approve.attempts] == ["suspend", "success"]
    assert approve.latest is not None and approve.latest.state_delta == {
        "approval": "ACCEPTED", "approver_comment": "via the adapter"}
    detail = await backend.get_subscription(new_subscription)
    assert detail.blocks[0].values["portCount"] == 24 and detail.insync
