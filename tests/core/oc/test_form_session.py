"""The paged-form session against recorded walks: create (3 pages, invalid, back), modify with a
prefilled subscription, resume of a suspended process, validate (prefill completes the form),
terminate and a task."""

from __future__ import annotations

from typing import Any

import pytest

from orch_tui.core import errors
from orch_tui.core.forms import FieldError
from orch_tui.core.orchestrator_core import FormReply, FormSession

from .conftest import request_of, response_of


def posted(rec: Any, name: str) -> list[Any]:
    return [exchange["request"]["body"] for exchange in rec["forms"][name]]


async def test_create_walk_three_pages_invalid_back_started(core: Any, rec: Any) -> None:
    backend, handler = core("forms/create_walk")
    bodies = posted(rec, "create_walk")
    form = await backend.start_form("create_lab_node")
    opened = await form.open()
    assert opened.kind == "page" and opened.page is not None
    page1 = opened.page
    assert page1.index == 0 and page1.title == "Choose a product" and page1.has_next is None
    assert page1.properties == ["product"] and not form.can_go_back

    outcome = await form.submit(bodies[1][0])
    assert outcome.kind == "page" and outcome.page is not None and outcome.page.index == 1
    assert outcome.page.title == "Lab Node: basics" and outcome.page.has_next is True
    assert form.pages == [bodies[1][0]] and form.can_go_back

    invalid = await form.submit(bodies[2][1])
    assert invalid.kind == "invalid" and invalid.page == outcome.page and form.pages == [bodies[1][0]]
    by_path = {error.path: error.message for error in invalid.errors}
    assert by_path[("hostname",)] == "String should have at least 3 characters"
    assert by_path[("port_count",)] == "Input should be less than or equal to 48"
    assert "hostname: String should have at least 3 characters" in invalid.messages

    page3 = await form.submit(bodies[3][1])
    assert page3.page is not None and page3.page.title == "Run options" and page3.page.has_next is False
    assert page3.page.schema["properties"]["hostname_check"]["const"] == bodies[3][1]["hostname"]

    back = await form.back()
    assert back.index == 1 and back.data == bodies[3][1] and form.pages == [bodies[1][0]]
    assert back.model().get(("hostname",)) == bodies[3][1]["hostname"]  # the entered input comes back

    await form.submit(bodies[5][1])
    done = await form.submit(bodies[6][2])
    assert done.kind == "done" and done.process_id == response_of(rec, "forms/create_walk", 6)["id"]
    assert form.done and form.current is None and not form.can_go_back
    # the whole list of pages is posted every time
    sent = [r["body"] for r in handler.sent if r["path"] == "/processes/create_lab_node"]
    assert sent == bodies and [len(body) for body in sent] == [0, 1, 2, 2, 1, 2, 3]
    with pytest.raises(errors.BadRequest, match="finished"):
        await form.submit({})


async def test_modify_with_a_prefilled_subscription(core: Any, rec: Any) -> None:
    backend, handler = core("forms/modify_walk")
    prefill = posted(rec, "modify_walk")[0]
    form = await backend.start_form("modify_lab_node", prefill=prefill)
    opened = await form.open()
    assert opened.page is not None and opened.page.index == 1 and opened.page.title.startswith("Change ")
    assert not form.can_go_back  # the subscription page was never shown
    model = opened.page.model()
    assert model.get(("port_count",)) == 12 or isinstance(model.get(("port_count",)), int)
    done = await form.submit(posted(rec, "modify_walk")[1][1])
    assert done.kind == "done" and done.process_id == response_of(rec, "forms/modify_walk", 1)["id"]
    assert handler.sent[-2]["body"] == prefill


async def test_resume_a_suspended_process(core: Any, rec: Any) -> None:
    backend, handler = core("forms/resume_walk")
    run_id = request_of(rec, "forms/resume_walk")["path"].rsplit("/", 1)[-1]
    form = await backend.resume_form(run_id)
    opened = await form.open()
    assert opened.page is not None and opened.page.title == "Approve 24 ports?"
    assert opened.page.schema == response_of(rec, "forms/resume_walk")["form"]
    assert not form.can_go_back
    refused = await form.submit({"approval": "INCOMPLETE"})
    assert refused.kind == "invalid"
    assert refused.errors == [FieldError(("approval",), "Not all tasks are done", "")]
    done = await form.submit({"approval": "ACCEPTED", "approver_comment": "fine"})
    assert done.kind == "done" and done.process_id == run_id
    puts = [r for r in handler.sent if r["method"] == "PUT"]
    assert [r["body"] for r in puts] == [[{"approval": "INCOMPLETE"}],
                                         [{"approval": "ACCEPTED", "approver_comment": "fine"}]]


async def test_resume_refuses_a_process_that_awaits_nothing(core: Any, rec: Any) -> None:
    backend, handler = core("forms/resume_completed")
    run_id = request_of(rec, "forms/resume_completed")["path"].rsplit("/", 1)[-1]
    with pytest.raises(errors.BadRequest, match="only a suspended process awaits input"):
        await backend.resume_form(run_id)
    assert not any(r["method"] == "PUT" for r in handler.sent)


async def test_validate_prefill_completes_the_form(core: Any, rec: Any) -> None:
    direct, _ = core("forms/validate_direct")
    prefill = posted(rec, "validate_direct")[0]
    form = await direct.start_form("validate_lab_node", prefill=prefill)
    started = await form.open()
    assert started.kind == "done" and started.process_id == response_of(rec, "forms/validate_direct")["id"]
    # confirm_prefilled shows the last prefilled page filled in, and starts only on submit
    confirmed, handler = core("forms/validate_confirm")
    form = await confirmed.start_form("validate_lab_node", prefill=prefill, confirm_prefilled=True)
    opened = await form.open()
    assert opened.kind == "page" and opened.page is not None and opened.page.title == "Choose a subscription"
    assert opened.page.data == prefill[0] and not form.can_go_back
    assert handler.sent[-1]["body"] == []
    done = await form.submit(opened.page.model().payload())
    assert done.kind == "done" and done.process_id == response_of(rec, "forms/validate_confirm", 1)["id"]


async def test_terminate_and_task_walks(core: Any, rec: Any) -> None:
    backend, _ = core("forms/terminate_walk", "forms/task_walk")
    terminate = await backend.start_form("terminate_lab_node", prefill=posted(rec, "terminate_walk")[0])
    page = (await terminate.open()).page
    assert page is not None and page.title == "Terminate lab node" and page.has_next is False
    assert (await terminate.submit(posted(rec, "terminate_walk")[1][1])).kind == "done"
    task = await backend.start_form("task_lab_nap")
    nap = (await task.open()).page
    assert nap is not None and nap.title == "Nap" and nap.index == 0
    assert (await task.submit({"seconds": 0})).kind == "done"


async def test_prefill_refused_by_the_server_is_an_error() -> None:
    async def post(pages: list[dict[str, Any]]) -> FormReply:
        return FormReply(400, {"detail": "Stale data", "validation_errors": [
            {"loc": ["version"], "msg": "Stale data: given version (1) does not match the current version (11)"}]})

    form = FormSession(post, mode="start", target="modify_x", initial_pages=[{"subscription_id": "s", "version": 1}])
    with pytest.raises(errors.BadRequest, match="version: Stale data: given version"):
        await form.open()


async def test_errors_for_fields_of_other_pages_and_root_errors_are_page_errors() -> None:
    replies = [
        FormReply(510, {"form": {"type": "object", "properties": {"name": {"type": "string"}}}, "meta": None}),
        FormReply(400, {"validation_errors": [{"loc": ["__root__"], "msg": "names must differ"},
                                              {"loc": ["version"], "msg": "Stale data"},
                                              {"loc": ["name"], "msg": "too short"}]}),
        FormReply(510, {"form": {"type": "object", "properties": {"name": {"type": "string"}}}, "meta": None}),
    ]

    async def post(pages: list[dict[str, Any]]) -> FormReply:
        return replies.pop(0)

    form = FormSession(post, mode="start", target="wf", title="Workflow X")
    opened = await form.open()
    assert opened.page is not None and opened.page.title == "Workflow X"  # no title: the session's
    invalid = await form.submit({"name": "a"})
    assert invalid.errors == [FieldError((), "names must differ", ""), FieldError((), "version: Stale data", ""),
                              FieldError(("name",), "too short", "")]
    with pytest.raises(errors.BadRequest, match="no earlier page"):
        await form.back()


async def test_back_in_a_multi_page_resume_returns_to_the_process_form() -> None:
    first = {"type": "object", "title": "Step 1", "properties": {"a": {"type": "string"}}}
    second = {"type": "object", "title": "Step 2", "properties": {"b": {"type": "string"}}}
    sent: list[list[dict[str, Any]]] = []

    async def put(pages: list[dict[str, Any]]) -> FormReply:
        sent.append(pages)
        return FormReply(510, {"form": second, "meta": {"hasNext": False,
                                                        "customButtons": {"next": {"text": "Approve"}}}})

    form = FormSession(put, mode="resume", target="p1", first_page=first)
    await form.open()
    page2 = (await form.submit({"a": "x"})).page
    assert page2 is not None and page2.button_text("next") == "Approve" and page2.button_text("previous") is None
    back = await form.back()
    assert back.title == "Step 1" and back.data == {"a": "x"}
    assert sent == [[{"a": "x"}]]  # going back to the first page needs no request
