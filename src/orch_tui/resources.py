"""Locate files shipped beside the code (the Textual stylesheets)."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def styles_dir() -> Path:
    """``styles/`` inside an installed wheel, or at the top of a source checkout."""
    for candidate in (_PACKAGE / "styles", _PACKAGE.parents[1] / "styles"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("orch-tui stylesheets not found (expected orch_tui/styles or <checkout>/styles)")


FIRST_SCREEN = ("app.tcss", "screens.tcss")
"""The stylesheets the first screen (the workflow list) needs; the console starts with these."""


def stylesheets() -> list[Path]:
    """Every stylesheet: the first screen's, then the others by name."""
    return first_stylesheets() + later_stylesheets()


def first_stylesheets() -> list[Path]:
    return [styles_dir() / name for name in FIRST_SCREEN]


def later_stylesheets() -> list[Path]:
    """What the other screens need, read once the first screen is up (or before another opens)."""
    return sorted(path for path in styles_dir().glob("*.tcss") if path.name not in FIRST_SCREEN)
