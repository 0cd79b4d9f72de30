"""Updates that leave a widget alone when nothing would change on screen.

Setting a border title or a Static's content repaints the whole widget even when the value is
the same, so a refresh that changed no data would still send the whole table to the terminal.
"""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static


def set_border_title(widget: Widget, title: Content) -> None:
    """Set ``widget``'s border title unless it already is ``title`` (text and styles)."""
    if widget.border_title != title.markup:
        widget.border_title = title


def same_content(old: Any, new: Content) -> bool:
    return isinstance(old, Content) and old.plain == new.plain and old.spans == new.spans


def update_static(widget: Static, content: Content) -> None:
    """Show ``content`` in ``widget`` unless it already shows exactly that."""
    if not same_content(widget.content, content):
        widget.update(content)
