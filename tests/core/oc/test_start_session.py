"""The console's start session over orchestrator-core's paged forms, and the Backstage one-page session."""

from __future__ import annotations

from typing import Any

import pytest

from orch_tui.core import errors
from orch_tui.core.backend import CAN_PAGED_FORMS, CAN_RESUME, OnePageSession, StartPage, StartSession

from .conftest import response_of


def posted(rec: Any, name: str) -> list[Any]:
    return [exchange["request"]["body"] for exchange in rec["forms"][name]]


async def test_core_session_pages_errors_back_and_start(core: Any, rec: Any) -> None:
    backend, _ = core("forms/create_walk")
    assert {CAN_PAGED_FORMS, CAN_RESUME} <= backend.info.capabilities
    bodies = posted(rec, "create_walk")
    session = await backend.start_session("create_lab_node", initial_data={"hostname": "from-before"})
    assert isinstance(session, StartSession) and not session.keeps_drafts
    opened = await session.open()
    assert opened.kind == "page" and opened.page is not None
    assert opened.page.title == "Choose a product" and opened.page.has_next is None and opened.page.index == 0

    basics = await session.submit(bodies[1][0])
    page = basics.page
    assert page is not None and page.has_next is True and page.dialect == "pydantic-forms"
    assert page.data == {"hostname": "from-before"}  # "Run again": the page's fields from the run's inputs
    assert page.model().get(("hostname",)) == "from-before" and session.can_go_back

    invalid = await session.submit(bodies[2][1])
    assert invalid.kind == "invalid" and {e.path for e in invalid.errors} == {("hostname",), ("port_count",)}
    last = await session.submit(bodies[3][1])
    assert last.page is not None and last.page.has_next is False and last.page.title == "Run options"
    back = await session.back()
    assert back.index == 1 and back.data == bodies[3][1]
    await session.submit(bodies[5][1])
    done = await session.submit(bodies[6][2])
    assert done.kind == "done" and done.run_id == response_of(rec, "forms/create_walk", 6)["id"]


async def test_one_page_session_loads_the_schema_and_executes() -> None:
    ran: list[tuple[dict[str, Any], Any]] = []

    async def load() -> StartPage:
        return StartPage({"type": "object", "properties": {"name": {"type": "string"}}}, {"name": "a"})

    async def run(payload: dict[str, Any], tokens: Any) -> str:
        ran.append((payload, tokens))
        return "run-1"

    session = OnePageSession(load, run)
    assert session.keeps_drafts and not session.can_go_back
    opened = await session.open()
    assert opened.page is not None and opened.page.model().get(("name",)) == "a"
    assert session.current == opened.page and opened.page.has_next is False
    done = await session.submit({"name": "b"}, auth_tokens=None)
    assert done.kind == "done" and done.run_id == "run-1" and ran == [({"name": "b"}, None)]
    with pytest.raises(errors.BadRequest):
        await session.back()
