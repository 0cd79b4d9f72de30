"""When a Textual app has actually drawn: for the benchmarks that time "until painted"."""

from __future__ import annotations

import asyncio
from typing import Any


class Frames:
    """Counts the frames ``app`` writes to its terminal (it wraps ``App._display``)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.count = 0
        display = app._display

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.count += 1
            return display(*args, **kwargs)

        app._display = counted

    async def painted(self) -> None:
        """Until the screen has drawn what it had to: Textual runs the callbacks after a refresh
        even when a batch update held the drawing back, so wait for a frame drawn (or for nothing
        left to draw)."""
        app, before = self.app, self.count
        loop = asyncio.get_running_loop()
        while True:
            done = loop.create_future()
            app.call_after_refresh(done.set_result, None)
            await done
            screen = app.screen
            if self.count > before or not (
                app._batch_count or screen._layout_required or screen._repaint_required or screen._dirty_widgets
            ):
                return
