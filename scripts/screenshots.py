"""Write SVG screenshots of the main screens to ``screenshots/``.

Runs the console headless on the embedded demo orchestrator with a frozen
clock, so the pictures only change when the UI does::

    PYTHONPATH=src python scripts/screenshots.py [--size 120x40] [--out screenshots]
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import datetime, timezone
from pathlib import Path

from orch_tui.core.connect import demo_backend
from orch_tui.core.entity import parse_entity_ref
from orch_tui.core.filters import SearchRequest, eq, page
from orch_tui.core.models import RunStatus
from orch_tui.ui.app import OrchApp

FROZEN_NOW = datetime(2026, 11, 22, 14, 0, 0, tzinfo=timezone.utc)
ROOT = Path(__file__).resolve().parents[1]


def frozen_clock() -> datetime:
    return FROZEN_NOW


async def _settle(app: OrchApp, pilot: object) -> None:
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()  # type: ignore[attr-defined]


async def capture(out: Path, size: tuple[int, int]) -> list[Path]:
    app = OrchApp(demo_backend(clock=frozen_clock), clock=frozen_clock, refresh_interval=3600)
    written: list[Path] = []
    async with app.run_test(size=size) as pilot:
        await _settle(app, pilot)
        written.append(Path(app.save_screenshot("workflows.svg", str(out))))
        app.open_workflow("greeting")
        await _settle(app, pilot)
        written.append(Path(app.save_screenshot("workflow-detail.svg", str(out))))
        await pilot.press("2")
        await _settle(app, pilot)
        written.append(Path(app.save_screenshot("workflow-definition.svg", str(out))))
        app.open_execute("provision-environment")
        await _settle(app, pilot)
        written.append(Path(app.save_screenshot("run-form.svg", str(out))))
        app.pop_screen()
        app.open_execute("greeting", initial_data={"language": "French", "name": "Ada"})
        await _settle(app, pilot)
        await pilot.press("ctrl+r")
        await _settle(app, pilot)
        written.append(Path(app.save_screenshot("run-review.svg", str(out))))
        app.pop_screen()
        app.open_runs()
        await _settle(app, pilot)
        written.append(Path(app.save_screenshot("runs.svg", str(out))))
        for state, name in ((RunStatus.COMPLETED, "run-completed.svg"), (RunStatus.ERROR, "run-failed.svg")):
            request = SearchRequest(filters=eq("state", state), paginationInfo=page(size=1))
            (run,) = (await app.backend.list_runs(request, workflow_id="greeting")).items
            app.open_run(run.id)
            await _settle(app, pilot)
            written.append(Path(app.save_screenshot(name, str(out))))
            app.pop_screen()
        running = await app.backend.execute("data-migration", {"database": "orders", "targetVersion": 43})
        app.open_run(running)
        await _settle(app, pilot)
        written.append(Path(app.save_screenshot("run-running.svg", str(out))))
        app.pop_screen()
        app.set_scope(parse_entity_ref("component:default/payments-api"))
        await _settle(app, pilot)
        written.append(Path(app.save_screenshot("entity-scope.svg", str(out))))
        await pilot.press("question_mark")
        await _settle(app, pilot)
        written.append(Path(app.save_screenshot("help.svg", str(out))))
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", default="120x40", help="terminal size, COLSxROWS (default 120x40)")
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots", help="output directory")
    args = parser.parse_args()
    cols, rows = (int(part) for part in args.size.lower().split("x"))
    args.out.mkdir(parents=True, exist_ok=True)
    for path in asyncio.run(capture(args.out, (cols, rows))):
        print(path)


if __name__ == "__main__":
    main()
