"""Terminal reality: ASCII glyphs for terminals and fonts without symbols, and the screen shown
when the terminal is smaller than the console needs."""

from __future__ import annotations

from functools import lru_cache

from rich.cells import cell_len
from rich.segment import Segment
from textual.app import ComposeResult
from textual.color import Color
from textual.containers import Center, Middle
from textual.content import Content
from textual.filter import LineFilter
from textual.screen import ModalScreen
from textual.widgets import Static

from orch_tui.core.status import ascii_fallback

MIN_WIDTH = 80
MIN_HEIGHT = 24


@lru_cache(4096)
def ascii_text(text: str) -> str:
    """``text`` with every one-cell symbol replaced by its ASCII stand-in (cell widths kept)."""
    if text.isascii():
        return text
    return "".join(ascii_fallback(char) if cell_len(char) == 1 else char for char in text)


class AsciiFilter(LineFilter):
    """Draws status glyphs, arrows and box lines in ASCII (``--ascii``), everywhere at once."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [
            segment if segment.control or segment.text.isascii() else Segment(ascii_text(segment.text), segment.style)
            for segment in segments
        ]


def too_small(width: int, height: int) -> bool:
    return width < MIN_WIDTH or height < MIN_HEIGHT


class TooSmallScreen(ModalScreen[None]):
    """Shown over everything while the terminal is below 80×24; gone when it is big enough."""

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Static(id="too-small-message")

    def on_mount(self) -> None:
        self.update_size()

    def on_resize(self) -> None:
        self.update_size()

    def update_size(self) -> None:
        width, height = self.app.size
        self.query_one("#too-small-message", Static).update(
            Content(
                f"Terminal too small: {width}×{height}.\n"
                f"orch-tui needs at least {MIN_WIDTH}×{MIN_HEIGHT}; enlarge the window.\n"
                "ctrl+q quits."
            )
        )
