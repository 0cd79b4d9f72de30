"""The form playground: a local schema in the run form; Run returns the payload, quitting returns None."""

from __future__ import annotations

from orch_tui.ui.playground import PlaygroundApp, PlaygroundScreen

SCHEMA = {
    "type": "object",
    "title": "[/] playground",
    "required": ["name"],
    "properties": {
        "name": {"type": "string", "title": "Name"},
        "size": {"type": "integer", "default": 3},
    },
}


async def _settle(app: PlaygroundApp, pilot: object) -> None:
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()  # type: ignore[attr-defined]


async def test_run_returns_payload() -> None:
    app = PlaygroundApp(SCHEMA, {"name": "alice"}, "[@click=app.quit]x.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, PlaygroundScreen)
        assert "[@click=app.quit]x.json" in str(screen.query_one("#execute-title").render())
        await pilot.press("ctrl+r")  # to the review
        await _settle(app, pilot)
        await pilot.press("ctrl+r")  # run
        await _settle(app, pilot)
    assert app.return_value == {"name": "alice", "size": 3}


async def test_required_field_blocks_and_escape_returns_none() -> None:
    app = PlaygroundApp(SCHEMA, None, "schema.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        await pilot.press("ctrl+r")
        await _settle(app, pilot)
        assert app.is_running and app.screen.page.name == "STEP"
        await pilot.press("escape")
        await _settle(app, pilot)
    assert app.return_value is None


async def test_query_prefill_is_marked_and_what_was_not_applied_is_listed() -> None:
    from orch_tui.core.prefill import merge_query_params
    from orch_tui.ui.screens.execute import NOTICE_ID

    prefill = merge_query_params(SCHEMA, "name=bob&size=many&nope=1", {})
    app = PlaygroundApp(SCHEMA, prefill.data, "schema.json", prefill)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, PlaygroundScreen)
        notice = str(screen.query_one(f"#{NOTICE_ID}").render())
        assert "1 field prefilled from --query" in notice
        assert "Not applied from --query" in notice and "size=many" in notice and "nope=1" in notice
        name_label = [str(box.render()) for box in screen.query(".form-field.-titled")]
        assert any("Name" in text and "(prefilled)" in text for text in name_label)
        assert not any("size" in text and "(prefilled)" in text for text in name_label)
